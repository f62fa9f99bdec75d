// Reads the lifecycle topic as an outside consumer would (its own group, from offset 0) and compares it with the
// event store: per report every stored event on the topic, in stream order, nothing that was not stored.

import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { REPORTS_TOPIC, ReportLifecycleMessage } from '@engine/contracts';
import { eventually } from './eventually';

export interface TopicRecord {
  key: string;
  partition: number;
  offset: string;
  value: string;
  headers: Record<string, string>;
  message: ReportLifecycleMessage;
}

/** A stored event as the comparison needs it (the API's `/events` items have these fields). */
export interface StoredEventId {
  streamVersion: number;
  eventId: string;
  type: string;
}

/** How to reach the broker: its addresses, and SASL when it asks for it. */
export type TopicConnection = Pick<KafkaConfig, 'sasl' | 'ssl'> & { brokers: string[] };

/** Reads the topic from offset 0 with a group of its own until `enough` holds for the records so far. */
export async function readLifecycleTopic(
  connection: TopicConnection,
  enough: (records: TopicRecord[]) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<TopicRecord[]> {
  const kafka = new Kafka({ ...connection, clientId: 'test-topic-reader', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2_000 } });
  const consumer = kafka.consumer({ groupId: `test-topic-reader-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const records: TopicRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        const value = String(message.value);
        records.push({ key: String(message.key), partition, offset: message.offset, value, headers, message: JSON.parse(value) });
      },
    });
    await eventually(async () => (enough(records) ? true : undefined), timeoutMs, what, 200);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Enough read: every stored event id of every report in `stored` has arrived. */
export const everyStoredEventRead = (stored: Record<string, StoredEventId[]>) => (records: TopicRecord[]) => {
  const seen = new Set(records.map((r) => r.message.eventId));
  return Object.values(stored).every((events) => events.every((e) => seen.has(e.eventId)));
};

export interface TopicComparison {
  /** What is wrong, one line each; empty when the topic agrees with the store. */
  problems: string[];
  /** Records that repeat an event id already on the topic (a relay's re-sent batch). */
  redelivered: number;
}

/**
 * Compares the records of the reports in `stored` with their stored events. Per report: every stored event on the
 * topic, under its key, in stream order (first occurrence of each event id), nothing unknown. With
 * `redelivery: 'allowed'` a record may repeat an earlier one byte for byte (a batch the relay sent but could not
 * checkpoint before it was killed, re-sent after its restart: consumers drop it by event id); with 'refused' every
 * event id must be on the topic exactly once.
 */
export function compareTopicWithStore(records: TopicRecord[], stored: Record<string, StoredEventId[]>, redelivery: 'allowed' | 'refused'): TopicComparison {
  const problems: string[] = [];
  let redelivered = 0;
  for (const [reportId, events] of Object.entries(stored)) {
    const ofReport = records.filter((r) => r.key === reportId);
    const first = new Map<string, TopicRecord>();
    const order: TopicRecord[] = [];
    for (const record of ofReport) {
      const earlier = first.get(record.message.eventId);
      if (!earlier) {
        first.set(record.message.eventId, record);
        order.push(record);
        continue;
      }
      redelivered++;
      if (redelivery === 'refused') problems.push(`${reportId}: event ${record.message.streamVersion} (${record.message.eventId}) is on the topic more than once`);
      else if (earlier.value !== record.value) problems.push(`${reportId}: event ${record.message.eventId} was published twice with different contents`);
    }
    const versions = order.map((r) => r.message.streamVersion);
    const expected = events.map((e) => e.streamVersion);
    if (versions.join(',') !== expected.join(',')) {
      problems.push(`${reportId}: stream versions on the topic ${versions.join(',') || '(none)'}, stored ${expected.join(',')}`);
      continue;
    }
    events.forEach((event, i) => {
      const { message } = order[i];
      if (message.eventId !== event.eventId || message.type !== event.type) {
        problems.push(`${reportId}: version ${event.streamVersion} is ${message.type} ${message.eventId} on the topic, ${event.type} ${event.eventId} stored`);
      }
      if (order[i].headers.ce_id !== event.eventId) problems.push(`${reportId}: version ${event.streamVersion} has ce_id ${order[i].headers.ce_id}`);
    });
    const partitions = new Set(ofReport.map((r) => r.partition));
    if (partitions.size > 1) problems.push(`${reportId}: its events are on partitions ${[...partitions].join(', ')} (one key, one partition)`);
  }
  return { problems, redelivered };
}
