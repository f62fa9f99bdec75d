// Creates the lifecycle topic when it is missing, with its partitions and retention. Brokers here and in
// production do not auto-create topics, and a relay that published into the void would only fail later and less
// clearly. When the cluster refuses (no right to create topics), the error names the command that creates it.

import { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';

/**
 * The topic keeps every event for ever by default: it is the outward contract, and integrators may start from
 * offset 0. A shorter retention is an operator's decision (create or alter the topic with its own retention.ms; the
 * engine leaves an existing topic as it is): it limits what an integrator can replay, not the engine's read model,
 * which is projected (and rebuilt) from the event store.
 */
export const DEFAULT_TOPIC_RETENTION_MS = -1;

export interface LifecycleTopicOptions {
  topic?: string;
  partitions?: number;
  /** -1 = broker default replication (fits one node and a cluster alike). */
  replicationFactor?: number;
  /** retention.ms of a topic this creates; -1 keeps events for ever. */
  retentionMs?: number;
}

/** The cluster refused to create the topic: retrying does not help, an operator has to act. */
export class TopicProvisioningError extends Error {
  override readonly name = 'TopicProvisioningError';
}

const REFUSALS = ['TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'POLICY_VIOLATION', 'INVALID_CONFIG', 'INVALID_REPLICATION_FACTOR', 'INVALID_PARTITIONS'];

/** kafkajs wraps a broker's refusal (non-retriable, aggregate per topic, cause): the error types anywhere inside. */
function errorTypes(error: unknown, seen = new Set<unknown>()): string[] {
  if (!error || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const e = error as { type?: unknown; errors?: unknown[]; cause?: unknown; originalError?: unknown };
  return [
    ...(typeof e.type === 'string' ? [e.type] : []),
    ...(Array.isArray(e.errors) ? e.errors.flatMap((inner) => errorTypes(inner, seen)) : []),
    ...errorTypes(e.cause, seen),
    ...errorTypes(e.originalError, seen),
  ];
}

export function createTopicCommand({ topic, partitions, retentionMs }: { topic: string; partitions: number; retentionMs: number }): string {
  return `kafka-topics.sh --bootstrap-server <broker> --create --topic ${topic} --partitions ${partitions} --config retention.ms=${retentionMs}`;
}

export async function ensureLifecycleTopic(
  kafka: Kafka,
  { topic = REPORTS_TOPIC, partitions = 6, replicationFactor = -1, retentionMs = DEFAULT_TOPIC_RETENTION_MS }: LifecycleTopicOptions = {},
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return;
    // replicationFactor -1: the broker's default, so the same call fits one embedded broker and a cluster.
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries: [{ name: 'retention.ms', value: String(retentionMs) }] }],
      waitForLeaders: true,
    });
  } catch (error) {
    const refusal = errorTypes(error).find((type) => REFUSALS.includes(type));
    if (!refusal) throw error;
    throw new TopicProvisioningError(
      `Kafka refused to create the topic ${topic} (${refusal}). An operator creates it (with the replication the cluster needs): ` +
        `${createTopicCommand({ topic, partitions, retentionMs })}, and grants the engine Write (relay) and Read (projector) on it`,
    );
  } finally {
    await admin.disconnect();
  }
}
