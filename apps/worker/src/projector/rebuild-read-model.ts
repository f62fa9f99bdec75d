// Rebuilding the read model from the topic's beginning: empty it, and move the projector's consumer group
// back to the earliest offsets. The projector must be stopped (Kafka refuses to move an active group's offsets).

import type { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import type { SqlDatabase } from '@engine/database';
import { ReadModel } from '@engine/read-model';

export async function rebuildReadModel({ database, kafka, groupId }: { database: SqlDatabase; kafka: Kafka; groupId: string }): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group && group.members.length > 0) {
      throw new Error(`the projector group "${groupId}" still has ${group.members.length} member(s): stop every projector first`);
    }
    const readModel = new ReadModel(database);
    await readModel.migrate();
    await readModel.reset();
    await admin.resetOffsets({ groupId, topic: REPORTS_TOPIC, earliest: true });
  } finally {
    await admin.disconnect();
  }
}
