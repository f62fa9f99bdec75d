// Creates the lifecycle topic when it is missing. Brokers here and in production do not auto-create topics,
// and a relay that published into the void would only fail later and less clearly.

import { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';

export async function ensureLifecycleTopic(kafka: Kafka, { topic = REPORTS_TOPIC, partitions = 6, replicationFactor = -1 } = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return;
    // replicationFactor -1: the broker's default, so the same call fits one embedded broker and a cluster.
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
