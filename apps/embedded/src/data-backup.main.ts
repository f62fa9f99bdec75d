// `npm run data:backup -- <target>`: a consistent backup of npm start's data directory (DATA_DIR, default ./.data)
// into <target> (new or empty), while the engine runs (it copies at a consistent point, asked through its control
// socket) or while it is stopped. See backup/data-backup.ts for why the copy is consistent.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { askEngine } from './backup/control-socket';
import { backupDataDirectory, BackupManifest, checkBackupTarget } from './backup/data-backup';
import { engineUsing } from './backup/engine-presence';

async function main(): Promise<void> {
  const [target, ...rest] = process.argv.slice(2);
  if (!target || rest.length > 0) throw new Error('usage: npm run data:backup -- <target directory>');
  const dataDir = resolve(process.env.DATA_DIR || './.data');
  if (!existsSync(dataDir)) throw new Error(`there is no data directory at ${dataDir} (set DATA_DIR as for npm start)`);
  const destination = checkBackupTarget(dataDir, target);
  let manifest: BackupManifest;
  if (await engineUsing(dataDir)) {
    const answer = await askEngine(dataDir, { command: 'backup', target: destination });
    if (!answer.ok) throw new Error(answer.error);
    manifest = answer.manifest;
  } else {
    manifest = await backupDataDirectory(dataDir, destination, (copy) => copy(), false);
    // An engine that started meanwhile may have written during the copy: such a backup is not trusted.
    if (await engineUsing(dataDir)) throw new Error('an engine started during the backup; run it again (it asks the running engine)');
  }
  const bytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
  console.log(
    `backed up ${dataDir} into ${destination}: ${manifest.files.length} files, ${(bytes / 1e6).toFixed(1)} MB` +
      (manifest.online
        ? `, the running engine paused its writes for ${manifest.pausedMs} ms (all its work for ${manifest.blockedMs} ms)`
        : ', the engine was not running'),
  );
}

main().catch((error) => {
  console.error(`data:backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
