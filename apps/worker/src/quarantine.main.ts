// `npm run quarantine`: lists the events the relay or the projector set aside (see quarantining-projection.ts
// and libs/event-store quarantine.ts). `npm run quarantine -- retry`: once the cause is fixed, projects the held
// reports again from the event store and, with KAFKA_BROKERS set, publishes the relay's again.
// `npm run quarantine -- dismiss <id>...`: forgets entries that need no retry (an unreadable topic message). Uses
// DATABASE_URL, or DATA_DIR's PGlite while no engine runs on it (PGlite opens in one process only), and the worker's
// Kafka TLS and SASL settings.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@engine/database';
import { EventQuarantine, openEventStore, QUARANTINE_COMPONENTS, QuarantinedEvent } from '@engine/event-store';
import { createKafka, KafkaLifecyclePublisher, readKafkaConnectionOptions } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { engineUsing } from '../../embedded/src/backup/engine-presence';
import { retryProjectorQuarantine, retryRelayQuarantine } from './projector/retry-quarantined';

const USAGE = 'usage: npm run quarantine [-- list | retry | dismiss <id>...]';

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'list';
  if (command !== 'list' && command !== 'retry' && command !== 'dismiss') throw new Error(USAGE);
  const ids = process.argv.slice(3);
  if (command === 'dismiss' && ids.length === 0) throw new Error(USAGE);
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
    const store = await openEventStore(database);
    const quarantine = new EventQuarantine(database, store.schema);
    await quarantine.migrate();
    if (command === 'dismiss') {
      const known = new Set((await quarantine.list()).map((entry) => entry.eventId));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new Error(`not quarantined: ${unknown.join(', ')}`);
      for (const component of QUARANTINE_COMPONENTS) await quarantine.release(component, ids);
      console.log(`dismissed ${ids.length} entr${ids.length === 1 ? 'y' : 'ies'}`);
      return;
    }
    if (command === 'list') {
      const entries = await quarantine.list();
      if (entries.length === 0) console.log('no quarantined events');
      for (const entry of entries) console.log(describe(entry));
      return;
    }
    const readModel = new ReadModel(database);
    await readModel.migrate();
    const projector = await retryProjectorQuarantine({ store, readModel, quarantine });
    console.log(`projector: ${projector.released} event(s) applied and released, ${projector.remaining.length} still quarantined`);
    const kafkaOptions = readKafkaConnectionOptions(process.env);
    if ((await quarantine.counts()).relay > 0) {
      if (kafkaOptions.brokers.length === 0) {
        console.log('relay: events are quarantined; set KAFKA_BROKERS (and the worker\'s Kafka settings) to publish them again');
      } else {
        const publisher = new KafkaLifecyclePublisher(createKafka({ ...kafkaOptions, clientId: 'quarantine-retry' }));
        try {
          const relay = await retryRelayQuarantine({ store, publisher, quarantine });
          console.log(`relay: ${relay.released} event(s) published and released, ${relay.remaining.length} still quarantined`);
        } finally {
          await publisher.close();
        }
      }
    }
    for (const entry of await quarantine.list()) console.log(describe(entry));
  } finally {
    await database.close();
  }
}

function describe(entry: QuarantinedEvent): string {
  return `${entry.component}\t${entry.streamId} v${entry.version}\t${entry.eventId}\tfirst ${entry.firstSeenAt}, ${entry.attempts} attempt(s)\t${entry.error}`;
}

main().catch((error) => {
  console.error(`quarantine: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
