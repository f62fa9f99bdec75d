// A backup of npm start's data directory: PGlite's database, the embedded Temporal server's journal, the embedded
// broker's logs and offsets, the tokens, credentials and anchor key, taken at one consistent point.
//
// Why it is consistent while the engine runs: the copy happens inside PGlite's queue (no query or transaction in
// flight, after a CHECKPOINT), and no query runs until it is done. First everything but the database is copied
// synchronously while the stand-ins' thread sleeps, so nothing in the process runs meanwhile: the journal and the
// broker's files are exactly what a kill -9 at that instant would leave (their recovery drops a torn, never
// acknowledged tail). Then the database's files, while the rest of the engine goes on but cannot touch the database:
// it holds exactly what was committed when the queue was taken, which is before that instant, and nothing the
// journal or the broker recorded after the queue was taken can depend on a write it lacks (no write happened). So
// the database is never behind them: every append a workflow or the relay made before is in it. What was
// acknowledged before the backup began is therefore in it; an action in flight is either in it whole or is completed
// on the first start after a restore, as after a crash (activities retried against idempotent appends, events
// republished at least once, duplicates dropped).

import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const BACKUP_FORMAT = 'report-escalation-engine-data-backup/1';
export const MANIFEST_FILE = 'backup.json';
/** The copy of the data directory inside a backup. */
export const BACKUP_DATA_DIR = 'data';

/**
 * Files that belong to a running process, not to the data: its control socket, the broker's lock, and the copy a
 * journal compaction is writing (a start drops it).
 */
const NOT_BACKED_UP = new Set(['engine.sock', join('kafka', 'broker.lock'), join('temporal', 'journal.jsonl.compacting')]);
/** PGlite's directory, copied last (see above). */
const DATABASE_DIR = 'postgres';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** The data directory it was taken from. */
  source: string;
  /** Whether the engine was running: its database then waited `pausedMs`, everything else `blockedMs`. */
  online: boolean;
  pausedMs: number;
  blockedMs: number;
  files: { path: string; size: number; sha256: string }[];
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** Refuses a target that exists and is not empty, or that lies inside the data directory. */
export function checkBackupTarget(dataDir: string, target: string): string {
  const absolute = resolve(target);
  const data = resolve(dataDir);
  if (absolute === data || absolute.startsWith(data + sep)) throw new BackupError(`the backup target ${absolute} is inside the data directory ${data}`);
  if (existsSync(absolute) && (!statSync(absolute).isDirectory() || readdirSync(absolute).length > 0)) {
    throw new BackupError(`the backup target ${absolute} exists and is not an empty directory`);
  }
  return absolute;
}

/**
 * Copies `dataDir` into `target` (a new or empty directory). `freeze` runs the copy at the consistent point (the
 * running engine passes PGlite's snapshotWhileIdle; offline, the copy runs as is). The backup appears under
 * `target` only once complete, with its manifest last.
 */
export async function backupDataDirectory(
  dataDir: string,
  target: string,
  freeze: <T>(copy: () => Promise<T>) => Promise<T>,
  online: boolean,
  /** Runs the synchronous copy of everything but the database while nothing else writes it (the stand-ins sleep). */
  holdStill: <T>(copy: () => T) => Promise<T> = async (copy) => copy(),
): Promise<BackupManifest> {
  const source = resolve(dataDir);
  const destination = checkBackupTarget(source, target);
  const staging = `${destination}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  mkdirSync(staging, { mode: 0o700 }); // it holds the tokens, credentials and the anchor key
  try {
    const copyData = join(staging, BACKUP_DATA_DIR);
    const { pausedMs, blockedMs } = await freeze(async () => {
      const started = performance.now();
      const blocked = await holdStill(() => {
        const copying = performance.now();
        cpSync(source, copyData, { recursive: true, filter: (path) => !NOT_BACKED_UP.has(relative(source, path)) && relative(source, path) !== DATABASE_DIR });
        return performance.now() - copying;
      });
      if (existsSync(join(source, DATABASE_DIR))) await cp(join(source, DATABASE_DIR), join(copyData, DATABASE_DIR), { recursive: true });
      return { pausedMs: Math.round(performance.now() - started), blockedMs: Math.round(blocked) };
    });
    const files = await checksums(copyData);
    const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), source, online, pausedMs, blockedMs, files };
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    if (existsSync(destination)) rmSync(destination, { recursive: true }); // empty, as checked
    renameSync(staging, destination);
    return manifest;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Every regular file under `root`, with its size and sha256, sorted by path. */
export async function checksums(root: string): Promise<BackupManifest['files']> {
  const files: BackupManifest['files'] = [];
  const walk = async (directory: string): Promise<void> => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push({ path: relative(root, path).split(sep).join('/'), size: statSync(path).size, sha256: await sha256(path) });
    }
  };
  await walk(root);
  return files;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
