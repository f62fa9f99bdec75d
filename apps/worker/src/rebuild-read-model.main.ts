// `npm run read-model:rebuild`: empties the read model and rewinds the projector's checkpoint to position 0 of the
// event store, so that the projector (running or started later) rebuilds it from every stored event. Uses
// DATABASE_URL (or DATA_DIR's PGlite, while no engine runs on it); no Kafka.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@engine/database';
import { eventStoreOptionsFromEnv, openEventStore } from '@engine/event-store';
import { engineUsing } from '../../embedded/src/backup/engine-presence';
import { rebuildReadModel } from './projector/rebuild-read-model';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const engineDir = process.env.DATA_DIR || './.data';
  if (!databaseUrl) {
    // PGlite is one process's database: opening its files beside the engine could damage them.
    const running = await engineUsing(engineDir);
    if (running) throw new Error(`${running}; stop it first (the PGlite database can be opened by one process only)`);
    if (!existsSync(join(engineDir, 'postgres'))) throw new Error(`there is no PGlite database in ${resolve(engineDir, 'postgres')} (set DATA_DIR, or DATABASE_URL for PostgreSQL)`);
  }
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : join(engineDir, 'postgres') });
  try {
    const store = await openEventStore(database, { schema: eventStoreOptionsFromEnv(process.env).schema });
    await rebuildReadModel({ database, storeSchema: store.schema });
    console.log('read model emptied and the projector rewound to the start of the event store: it rebuilds the model as it runs');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(`read model rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
