// Rebuilding the read model from position 0 of the event store: in one transaction, the projector's checkpoint
// locked and rewound, the model emptied, and the projector's quarantine forgotten (its events are tried again).
// Projectors may keep running: they find their checkpoint moved at their next batch and start over from there.
// Kafka plays no part: the topic's retention cannot make a rebuild incomplete.

import type { SqlDatabase } from '@engine/database';
import { EventQuarantine, SqlCheckpointStore } from '@engine/event-store';
import { READ_MODEL_CHECKPOINT, ReadModel } from '@engine/read-model';

export async function rebuildReadModel({ database, storeSchema, readModel = new ReadModel(database) }: { database: SqlDatabase; storeSchema: string; readModel?: ReadModel }): Promise<void> {
  await readModel.migrate();
  const quarantine = new EventQuarantine(database, storeSchema);
  await quarantine.migrate();
  await database.transaction(async (tx) => {
    const checkpoints = new SqlCheckpointStore(tx, storeSchema);
    await checkpoints.lock(READ_MODEL_CHECKPOINT); // waits for a projector's batch in flight
    await checkpoints.rewind(READ_MODEL_CHECKPOINT);
    await readModel.reset(tx);
    const held = new EventQuarantine(tx, storeSchema);
    await held.release('projector', (await held.list('projector')).map((entry) => entry.eventId));
  });
}
