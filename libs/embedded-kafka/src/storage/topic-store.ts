// The broker's topics and partitions: creation, deletion, partition growth, topic configs, persistence of
// topic metadata, and the per-partition append path (sequence checks, then the log).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode } from '../protocol/api';
import { BatchHeader } from '../protocol/record-batch';
import { ProducerState } from '../producers/producer-state';
import { LogConfig, PartitionLog, RecoveryReport } from './partition-log';
import { writeFileDurably } from './files';

/** Topic configs the broker understands; anything else in CreateTopics is refused with INVALID_CONFIG. */
export const KNOWN_TOPIC_CONFIGS = [
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'cleanup.policy',
  'max.message.bytes',
  'min.insync.replicas',
  'compression.type',
  'message.timestamp.type',
] as const;

/** Kafka's max.message.bytes default: the largest record batch a topic takes. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1048588;

/**
 * Values Kafka accepts but the stand-in does not imitate are refused with a message saying so (the README
 * lists them); values Kafka itself refuses are refused too.
 */
function refusedConfigValue(key: string, value: string): string | null {
  const oneOf = (allowed: string[], imitated: string[], why: string) => {
    if (!allowed.includes(value)) return `invalid value '${value}' for '${key}' (Kafka takes ${allowed.join(', ')})`;
    return imitated.includes(value) ? null : `the embedded broker does not support ${key}=${value}: ${why}`;
  };
  switch (key) {
    case 'cleanup.policy':
      if (value.split(',').every((policy) => ['delete', 'compact'].includes(policy.trim()))) {
        return value.trim() === 'delete' ? null : `the embedded broker does not support ${key}=${value}: it has no log compaction`;
      }
      return `invalid value '${value}' for '${key}' (Kafka takes delete, compact or both)`;
    case 'compression.type':
      return oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'], ['producer'], 'it stores batches as the producer compressed them');
    case 'message.timestamp.type':
      return oneOf(['CreateTime', 'LogAppendTime'], ['CreateTime'], 'records keep the timestamps their producer gave');
    default:
      return null;
  }
}

export interface AppendResult {
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}

export class Partition {
  constructor(
    readonly topic: string,
    readonly index: number,
    readonly log: PartitionLog,
    readonly producerState: ProducerState,
    private readonly directory: string | null,
  ) {}

  static open(topic: string, index: number, topicDirectory: string | null, config: LogConfig, report?: RecoveryReport): Partition {
    if (!topicDirectory) return new Partition(topic, index, PartitionLog.inMemory(config), new ProducerState(), null);
    const directory = path.join(topicDirectory, String(index));
    const log = PartitionLog.open(directory, config, report);
    const producerState = new ProducerState();
    const replayFrom = producerState.loadSnapshot(directory);
    for (const entry of log.allEntries()) {
      if (entry.baseOffset >= replayFrom) {
        producerState.record({ ...entry, lastOffsetDelta: entry.lastOffset - entry.baseOffset }, entry.baseOffset);
      }
    }
    return new Partition(topic, index, log, producerState, directory);
  }

  /** Appends the batches of one produce request for this partition; `durable` fsyncs before returning. */
  append(batches: { buffer: Buffer; header: BatchHeader }[], now: number, durable: boolean): AppendResult {
    try {
      return this.appendToLog(batches, now, durable);
    } catch (error) {
      return this.storageFailure(error);
    }
  }

  private appendToLog(batches: { buffer: Buffer; header: BatchHeader }[], now: number, durable: boolean): AppendResult {
    let firstOffset = -1;
    for (const { buffer, header } of batches) {
      const check = this.producerState.check(header);
      if (check.kind === 'reject') {
        return { errorCode: check.errorCode, baseOffset: -1, logStartOffset: this.log.logStartOffset };
      }
      if (check.kind === 'duplicate') {
        if (firstOffset < 0) firstOffset = check.baseOffset;
        continue;
      }
      // The request buffer is shared with the socket; the log keeps its own copy.
      const entry = this.log.append(Buffer.from(buffer), header, now);
      this.producerState.record(header, entry.baseOffset);
      if (firstOffset < 0) firstOffset = entry.baseOffset;
    }
    if (durable) this.log.sync();
    return { errorCode: ErrorCode.NONE, baseOffset: firstOffset, logStartOffset: this.log.logStartOffset };
  }

  /** A disk that fails (full, I/O error) fails the request as Kafka does, retriable; anything else is a bug. */
  private storageFailure(error: unknown): AppendResult {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, baseOffset: -1, logStartOffset: this.log.logStartOffset };
  }

  applyRetention(now: number): void {
    const directory = this.directory;
    this.log.applyRetention(now, () => {
      // The producer state is rebuilt from the log on recovery; keep it before its batches go.
      if (directory) this.producerState.writeSnapshot(directory, this.log.nextOffset);
    });
  }

  close(): void {
    this.log.close();
  }
}

export class Topic {
  constructor(
    readonly name: string,
    readonly partitions: Partition[],
    readonly configs: Record<string, string>,
  ) {}
}

export interface TopicDefaults {
  partitions: number;
  retentionMs: number;
  retentionBytes: number;
  segmentBytes: number;
}

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  readonly recovery: RecoveryReport = { truncatedBytes: 0 };

  constructor(
    private readonly dataDirectory: string | null,
    readonly defaults: TopicDefaults,
  ) {
    if (dataDirectory) this.load();
  }

  private topicsDirectory(): string | null {
    return this.dataDirectory ? path.join(this.dataDirectory, 'topics') : null;
  }

  private load(): void {
    const root = this.topicsDirectory() as string;
    fs.mkdirSync(root, { recursive: true });
    for (const name of fs.readdirSync(root)) {
      const metaFile = path.join(root, name, 'topic.json');
      if (!fs.existsSync(metaFile)) continue;
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { partitions: number; configs: Record<string, string> };
      const config = this.logConfig(meta.configs);
      const partitions = Array.from({ length: meta.partitions }, (_, index) =>
        Partition.open(name, index, path.join(root, name), config, this.recovery),
      );
      this.topics.set(name, new Topic(name, partitions, meta.configs));
    }
  }

  logConfig(configs: Record<string, string>): LogConfig {
    const numberOr = (key: string, fallback: number) => (configs[key] !== undefined ? Number(configs[key]) : fallback);
    return {
      retentionMs: numberOr('retention.ms', this.defaults.retentionMs),
      retentionBytes: numberOr('retention.bytes', this.defaults.retentionBytes),
      segmentBytes: numberOr('segment.bytes', this.defaults.segmentBytes),
    };
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Returns an error code and message; NONE means the topic now exists. */
  validateCreation(name: string, partitions: number, configs: Record<string, string>): { errorCode: number; message: string | null } {
    if (!isLegalTopicName(name)) {
      return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: `illegal topic name '${name}'` };
    }
    if (this.topics.has(name)) {
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `topic '${name}' already exists` };
    }
    // Kafka refuses names that differ from an existing one only by '.' against '_' (they collide in its metric names).
    const collision = [...this.topics.keys()].find((existing) => existing.replaceAll('.', '_') === name.replaceAll('.', '_'));
    if (collision !== undefined) {
      return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: `topic '${name}' collides with existing topic '${collision}'` };
    }
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 10_000) {
      return { errorCode: ErrorCode.INVALID_PARTITIONS, message: `invalid partition count ${partitions}` };
    }
    for (const [key, value] of Object.entries(configs)) {
      if (!(KNOWN_TOPIC_CONFIGS as readonly string[]).includes(key)) {
        return { errorCode: ErrorCode.INVALID_CONFIG, message: `unknown topic config '${key}'` };
      }
      if (['retention.ms', 'retention.bytes', 'segment.bytes', 'max.message.bytes', 'min.insync.replicas'].includes(key) && !/^-?\d+$/.test(value)) {
        return { errorCode: ErrorCode.INVALID_CONFIG, message: `config '${key}' must be an integer` };
      }
      const refusal = refusedConfigValue(key, value);
      if (refusal) return { errorCode: ErrorCode.INVALID_CONFIG, message: refusal };
    }
    return { errorCode: ErrorCode.NONE, message: null };
  }

  create(name: string, partitionCount: number, configs: Record<string, string>): { errorCode: number; message: string | null } {
    const verdict = this.validateCreation(name, partitionCount, configs);
    if (verdict.errorCode !== ErrorCode.NONE) return verdict;
    const root = this.topicsDirectory();
    const topicDirectory = root ? path.join(root, name) : null;
    if (topicDirectory) {
      fs.mkdirSync(topicDirectory, { recursive: true });
      writeFileDurably(path.join(topicDirectory, 'topic.json'), JSON.stringify({ partitions: partitionCount, configs }));
    }
    const config = this.logConfig(configs);
    const partitions = Array.from({ length: partitionCount }, (_, index) => Partition.open(name, index, topicDirectory, config));
    this.topics.set(name, new Topic(name, partitions, configs));
    return verdict;
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    if (!topic) return false;
    this.topics.delete(name);
    for (const partition of topic.partitions) partition.close();
    const root = this.topicsDirectory();
    if (root) {
      // Remove the metadata first so a crash halfway never resurrects a half-deleted topic.
      fs.rmSync(path.join(root, name, 'topic.json'), { force: true });
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }
    return true;
  }

  addPartitions(name: string, totalCount: number): { errorCode: number; message: string | null } {
    const topic = this.topics.get(name);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: `unknown topic '${name}'` };
    if (!Number.isInteger(totalCount) || totalCount <= topic.partitions.length || totalCount > 10_000) {
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        message: `topic '${name}' has ${topic.partitions.length} partitions; the new count must be larger`,
      };
    }
    const root = this.topicsDirectory();
    const topicDirectory = root ? path.join(root, name) : null;
    const config = this.logConfig(topic.configs);
    for (let index = topic.partitions.length; index < totalCount; index++) {
      topic.partitions.push(Partition.open(name, index, topicDirectory, config));
    }
    if (topicDirectory) {
      writeFileDurably(path.join(topicDirectory, 'topic.json'), JSON.stringify({ partitions: totalCount, configs: topic.configs }));
    }
    return { errorCode: ErrorCode.NONE, message: null };
  }

  applyRetention(now: number): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.applyRetention(now);
  }

  close(): void {
    for (const topic of this.topics.values()) for (const partition of topic.partitions) partition.close();
  }
}
