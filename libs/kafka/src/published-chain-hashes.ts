// Reads the chain hash of every event published on the lifecycle topic (header ce_chainhash), from the start of the
// topic to its end at the time of the call, for the verifier to compare with the store: records on the broker are
// outside the reach of whoever can write the event store's database.

import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { CHAIN_HASH_HEADER, REPORTS_TOPIC } from '@engine/contracts';
import { REPORT_STREAM_PREFIX } from './lifecycle-record';

export interface PublishedHash {
  readonly hash: string;
  /** `partition/offset`, for the report. */
  readonly where: string;
}

export interface PublishedChainHashes {
  /** Stream id → version → the hash first published for it. */
  readonly byStream: Map<string, Map<number, PublishedHash>>;
  readonly records: number;
  /** Records published before the header existed, or not lifecycle messages: not compared. */
  readonly withoutHash: number;
  /** The same event version published with two different hashes (the store changed between two publications). */
  readonly conflicts: { streamId: string; version: number; first: PublishedHash; other: PublishedHash }[];
}

/**
 * Consumes `topic` from its beginning up to the end offsets it had when called, in a group of its own that commits
 * nothing (a read-only user may do that). Fails after `timeoutMs`.
 */
export async function readPublishedChainHashes(kafka: Kafka, { topic = REPORTS_TOPIC, timeoutMs = 120_000 } = {}): Promise<PublishedChainHashes> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const result: PublishedChainHashes = { byStream: new Map(), records: 0, withoutHash: 0, conflicts: [] };
  if (ends.size === 0) return result;

  const consumer = kafka.consumer({ groupId: `chain-verify-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
      const pending = new Set(ends.keys());
      consumer
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = ends.get(partition);
              if (end === undefined || BigInt(message.offset) >= end) return;
              record(result, partition, message.offset, message.headers?.[CHAIN_HASH_HEADER], message.value);
              if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          }),
        )
        .catch((error) => {
          clearTimeout(timer);
          reject(error);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return result;
}

function record(result: PublishedChainHashes, partition: number, offset: string, header: Buffer | string | (Buffer | string)[] | undefined, value: Buffer | null): void {
  (result as { records: number }).records += 1;
  const hash = Array.isArray(header) ? header[0]?.toString() : header?.toString();
  let message: { reportId?: unknown; streamVersion?: unknown };
  try {
    message = JSON.parse(value?.toString() ?? 'null') ?? {};
  } catch {
    message = {};
  }
  if (!hash || typeof message.reportId !== 'string' || !Number.isInteger(message.streamVersion)) {
    (result as { withoutHash: number }).withoutHash += 1;
    return;
  }
  const streamId = `${REPORT_STREAM_PREFIX}${message.reportId}`;
  const version = message.streamVersion as number;
  const published: PublishedHash = { hash, where: `partition ${partition} offset ${offset}` };
  const versions = result.byStream.get(streamId) ?? new Map<number, PublishedHash>();
  result.byStream.set(streamId, versions);
  const first = versions.get(version);
  if (!first) versions.set(version, published);
  else if (first.hash !== hash) result.conflicts.push({ streamId, version, first, other: published });
}
