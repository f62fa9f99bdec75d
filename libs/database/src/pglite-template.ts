// A freshly initialised PGlite data directory, made once by `npm run build`: a new database is unpacked from it
// instead of running initdb (seconds of WebAssembly) at every first start and every in-memory test database.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '@engine/config';

const TEMPLATE_FILE = 'pgdata.tar.gz';
const VERSION_FILE = 'pglite-version';

/** Where `npm run build` writes the template. */
export function pgliteTemplateDirectory(): string {
  return join(packageRoot(), 'dist', 'pglite-template');
}

/** The installed PGlite's version, from its package.json (which its `exports` do not expose to require). */
function installedPgliteVersion(): string {
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The template as a tarball for `PGlite.create({ loadDataDir })`, when there is one made by the PGlite installed
 * now (another version's files would not be what its initdb makes); undefined otherwise, and initdb runs.
 */
export function pgliteTemplate(directory = pgliteTemplateDirectory()): Blob | undefined {
  try {
    if (readFileSync(join(directory, VERSION_FILE), 'utf8').trim() !== installedPgliteVersion()) return undefined;
    return new Blob([readFileSync(join(directory, TEMPLATE_FILE))]);
  } catch {
    return undefined; // not built (yet): initdb
  }
}

/** Runs initdb once and writes its data directory as the template, unless one for this PGlite version exists. */
export async function writePgliteTemplate(directory = pgliteTemplateDirectory()): Promise<{ file: string; written: boolean }> {
  const file = join(directory, TEMPLATE_FILE);
  if (pgliteTemplate(directory)) return { file, written: false };
  const db = await PGlite.create();
  try {
    const tarball = await db.dumpDataDir('gzip');
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
    writeFileSync(join(directory, VERSION_FILE), `${installedPgliteVersion()}\n`);
  } finally {
    await db.close();
  }
  return { file, written: true };
}
