// Restores a backup (data-backup.ts) into a data directory: checks every file against the manifest, refuses while
// an engine runs on the directory, and refuses to replace a non-empty one unless told (it is then moved aside,
// never deleted). The restored directory appears whole or not at all.

import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKUP_DATA_DIR, BACKUP_FORMAT, BackupError, BackupManifest, checksums, MANIFEST_FILE } from './data-backup';
import { engineUsing } from './engine-presence';

export interface RestoreResult {
  manifest: BackupManifest;
  dataDir: string;
  /** Where the directory's previous content went (with `replace`). */
  movedAside?: string;
}

export async function readVerifiedBackup(backup: string): Promise<BackupManifest> {
  const root = resolve(backup);
  const manifestFile = join(root, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new BackupError(`${root} is not a backup (no ${MANIFEST_FILE}; an interrupted backup leaves none)`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`${root} has format ${String(manifest.format)}, this version reads ${BACKUP_FORMAT}`);
  const actual = new Map((await checksums(join(root, BACKUP_DATA_DIR))).map((file) => [file.path, file]));
  for (const file of manifest.files) {
    const found = actual.get(file.path);
    if (!found) throw new BackupError(`the backup is damaged: ${file.path} is missing`);
    if (found.sha256 !== file.sha256) throw new BackupError(`the backup is damaged: ${file.path} does not match its checksum`);
    actual.delete(file.path);
  }
  if (actual.size > 0) throw new BackupError(`the backup is damaged: ${[...actual.keys()][0]} is not in its manifest`);
  return manifest;
}

export async function restoreDataDirectory(backup: string, dataDir: string, { replace = false } = {}): Promise<RestoreResult> {
  const target = resolve(dataDir);
  const running = await engineUsing(target);
  if (running) throw new BackupError(`${running}; stop it before restoring into its data directory`);
  const manifest = await readVerifiedBackup(backup);
  const occupied = existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0);
  if (occupied && !replace) throw new BackupError(`${target} is not empty; restore into a new directory, or pass --replace to move its content aside first`);

  const staging = `${target}.restoring-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(join(resolve(backup), BACKUP_DATA_DIR), staging, { recursive: true });
  chmodSync(staging, 0o700);
  let movedAside: string | undefined;
  if (occupied) {
    movedAside = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, movedAside);
  } else if (existsSync(target)) {
    rmSync(target, { recursive: true });
  }
  renameSync(staging, target);
  return { manifest, dataDir: target, ...(movedAside && { movedAside }) };
}
