// `npm run read-model:rebuild`: empties the read model and rewinds the projector's consumer group, so that the
// next projector start rebuilds it from offset 0. Uses DATABASE_URL (or DATA_DIR's PGlite) and KAFKA_BROKERS
// with the same Kafka TLS and SASL settings as the worker.

import { join } from 'node:path';
import { openDatabase } from '@engine/database';
import { createKafka, readKafkaConnectionOptions } from '@engine/kafka';
import { PROJECTOR_GROUP_ID } from './projector/projector.service';
import { rebuildReadModel } from './projector/rebuild-read-model';

async function main(): Promise<void> {
  const kafkaOptions = readKafkaConnectionOptions(process.env);
  if (kafkaOptions.brokers.length === 0) throw new Error('KAFKA_BROKERS must be set');
  const dataDir = process.env.DATABASE_URL ? undefined : join(process.env.DATA_DIR || './.data', 'postgres');
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
  try {
    await rebuildReadModel({ database, kafka: createKafka({ ...kafkaOptions, clientId: 'read-model-rebuild' }), groupId: PROJECTOR_GROUP_ID });
    console.log('read model emptied; the projector rebuilds it from offset 0 when it starts');
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(`read model rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
