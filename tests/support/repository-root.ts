import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from the sources (tests/…) or from compiled code (dist/tests/…, dist/bench/…). */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
