// `npm start` runs dist/ as last built (it does not build first): it says so when sources changed after that build.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Written by `npm run build:server` when it is done (scripts/build-start-assets.ts). */
export const BUILD_STAMP = join('dist', 'build-stamp');

const SOURCE_FOLDERS = ['apps', 'libs', 'workflows'];

/**
 * The sources (TypeScript under apps/, libs/, workflows/, specs left out) changed after the last build, relative to
 * `root`; empty when none did or when there is nothing to compare (no stamp, or no sources as in an image).
 */
export function sourcesChangedSinceBuild(root: string): string[] {
  const stamp = join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return [];
  const builtAt = statSync(stamp).mtimeMs;
  const changed: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    if (!existsSync(join(root, folder))) continue;
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.spec\.tsx?$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      if (path.split(sep).includes('node_modules')) continue;
      if (statSync(path).mtimeMs > builtAt) changed.push(path.slice(root.length + 1));
    }
  }
  return changed.sort();
}

/** The warning for a person, or undefined when the build is current. */
export function staleBuildWarning(root: string): string | undefined {
  const changed = sourcesChangedSinceBuild(root);
  if (changed.length === 0) return undefined;
  const named = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
  return `sources changed since the last build (${named}): this start runs the code as built; run \`npm run build\` to run the changes`;
}
