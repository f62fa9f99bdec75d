import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder that holds the engine's package.json, found upwards from `from`: the repository, whether the code runs
 * from source or from dist/, or an image's /app. Build outputs beside the code (dist/…) are found from it.
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
