// `npm run data:restore -- <backup> [--replace]`: restores a backup made by data:backup into DATA_DIR (default
// ./.data). Refuses while an engine runs on it, and when it is not empty unless --replace (its content is then
// moved aside to DATA_DIR.replaced-<time>, not deleted). Every file is checked against the backup's manifest first.

import { resolve } from 'node:path';
import { restoreDataDirectory } from './backup/data-restore';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const replace = args.includes('--replace');
  const positional = args.filter((arg) => arg !== '--replace');
  if (positional.length !== 1 || positional[0].startsWith('--')) throw new Error('usage: npm run data:restore -- <backup directory> [--replace]');
  const dataDir = resolve(process.env.DATA_DIR || './.data');
  const result = await restoreDataDirectory(positional[0], dataDir, { replace });
  console.log(
    [
      `restored the backup of ${result.manifest.source} taken at ${result.manifest.createdAt} into ${result.dataDir} (${result.manifest.files.length} files, checksums verified)`,
      ...(result.movedAside ? [`the directory's previous content is in ${result.movedAside}`] : []),
      'start the engine on it with npm start (the same DATA_DIR); npm run chain:verify checks its event store',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(`data:restore refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
