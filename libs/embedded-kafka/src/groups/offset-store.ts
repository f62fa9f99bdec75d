// Committed consumer-group offsets, kept in memory and, with a data directory, in an fsync'd append-only file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileDurably } from '../storage/files';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
  commitTimestamp: number;
}

interface OffsetLine {
  group: string;
  topic: string;
  partition: number;
  /** null removes the entry (its topic was deleted). */
  offset: number | null;
  metadata?: string | null;
  timestamp?: number;
}

const FILE_NAME = 'consumer-offsets.jsonl';

export class OffsetStore {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd = -1;

  constructor(dataDirectory: string | null) {
    if (!dataDirectory) return;
    const file = path.join(dataDirectory, FILE_NAME);
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.apply(JSON.parse(line) as OffsetLine);
        } catch {
          // Only the last line can be torn (a crash mid-append); it was never acknowledged.
          break;
        }
      }
    }
    // Compact on start: one line per live offset.
    writeFileDurably(file, this.snapshotLines().join(''));
    this.fd = fs.openSync(file, 'a');
  }

  private snapshotLines(): string[] {
    const lines: string[] = [];
    for (const [group, topics] of this.groups) {
      for (const [topic, partitions] of topics) {
        for (const [partition, committed] of partitions) {
          const line: OffsetLine = { group, topic, partition, offset: committed.offset, metadata: committed.metadata, timestamp: committed.commitTimestamp };
          lines.push(`${JSON.stringify(line)}\n`);
        }
      }
    }
    return lines;
  }

  private apply(line: OffsetLine): void {
    let topics = this.groups.get(line.group);
    if (!topics) {
      topics = new Map();
      this.groups.set(line.group, topics);
    }
    let partitions = topics.get(line.topic);
    if (!partitions) {
      partitions = new Map();
      topics.set(line.topic, partitions);
    }
    if (line.offset === null) {
      partitions.delete(line.partition);
      if (partitions.size === 0) topics.delete(line.topic);
      if (topics.size === 0) this.groups.delete(line.group);
    } else {
      partitions.set(line.partition, { offset: line.offset, metadata: line.metadata ?? null, commitTimestamp: line.timestamp ?? 0 });
    }
  }

  /** Stores the commits of one request; they are on disk (fsync'd) before this returns. */
  commit(group: string, commits: { topic: string; partition: number; offset: number; metadata: string | null }[], now: number): void {
    const lines = commits.map((c): OffsetLine => ({ group, topic: c.topic, partition: c.partition, offset: c.offset, metadata: c.metadata, timestamp: now }));
    this.persist(lines);
    for (const line of lines) this.apply(line);
  }

  private persist(lines: OffsetLine[]): void {
    if (this.fd < 0 || lines.length === 0) return;
    fs.writeSync(this.fd, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    fs.fsyncSync(this.fd);
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** All committed offsets of a group, topic by topic. */
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    return this.groups.get(group) ?? new Map();
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  forgetTopic(topic: string): void {
    const lines: OffsetLine[] = [];
    for (const [group, topics] of this.groups) {
      for (const partition of topics.get(topic)?.keys() ?? []) lines.push({ group, topic, partition, offset: null });
    }
    this.persist(lines);
    for (const line of lines) this.apply(line);
  }

  forgetGroup(group: string): void {
    const lines: OffsetLine[] = [];
    for (const [topic, partitions] of this.groups.get(group) ?? []) {
      for (const partition of partitions.keys()) lines.push({ group, topic, partition, offset: null });
    }
    this.persist(lines);
    for (const line of lines) this.apply(line);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
