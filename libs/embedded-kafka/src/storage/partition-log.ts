// The ordered log of one topic partition: appends batches, serves reads by offset and time, applies retention
// and, when file-backed, recovers from its segment files (truncating a torn tail).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH, batchCrcMatches, readBatchHeader, recordTimestamps, BatchHeader, UnreadableCompressionError } from '../protocol/record-batch';
import { syncDirectory } from './files';
import { BatchEntry, FileSegment, MemorySegment, Segment, SEGMENT_SUFFIX } from './segment';

export interface LogConfig {
  /** -1 keeps data forever. */
  retentionMs: number;
  /** -1 keeps data of any size. */
  retentionBytes: number;
  segmentBytes: number;
}

export interface RecoveryReport {
  truncatedBytes: number;
}

export class PartitionLog {
  private readonly segments: Segment[] = [];
  /** Segments written since the last sync (a roll inside one request can touch two). */
  private readonly unsynced = new Set<Segment>();
  logStartOffset = 0;

  private constructor(
    private readonly directory: string | null,
    public config: LogConfig,
  ) {}

  static inMemory(config: LogConfig): PartitionLog {
    const log = new PartitionLog(null, config);
    log.segments.push(new MemorySegment(0));
    return log;
  }

  /** Opens (creating if needed) a file-backed log and recovers every valid batch in it. */
  static open(directory: string, config: LogConfig, report?: RecoveryReport): PartitionLog {
    fs.mkdirSync(directory, { recursive: true });
    const log = new PartitionLog(directory, config);
    const files = fs
      .readdirSync(directory)
      .filter((name) => name.endsWith(SEGMENT_SUFFIX))
      .sort();
    let expectedOffset = -1;
    let damaged = false;
    for (const file of files) {
      const filePath = path.join(directory, file);
      const baseOffset = Number(file.slice(0, -SEGMENT_SUFFIX.length));
      if (damaged || !Number.isSafeInteger(baseOffset)) {
        // Everything after a damaged segment is unreachable: offsets must stay contiguous.
        if (report) report.truncatedBytes += fs.statSync(filePath).size;
        fs.rmSync(filePath, { force: true });
        continue;
      }
      const segment = new FileSegment(baseOffset, filePath);
      const bytes = fs.readFileSync(filePath);
      let position = 0;
      while (position < bytes.length) {
        const header = readBatchHeader(bytes, position);
        if (
          !header ||
          header.magic !== 2 ||
          header.baseOffset < Math.max(baseOffset, expectedOffset) ||
          !batchCrcMatches(bytes, position, header.size)
        ) {
          break;
        }
        segment.adopt(entryFromHeader(header, position));
        expectedOffset = header.baseOffset + header.lastOffsetDelta + 1;
        position += header.size;
      }
      if (position < bytes.length) {
        if (report) report.truncatedBytes += bytes.length - position;
        segment.truncateTo(position);
        damaged = true;
      }
      log.segments.push(segment);
    }
    if (log.segments.length === 0) log.segments.push(FileSegment.create(directory, 0));
    log.logStartOffset = log.segments[0].entries[0]?.baseOffset ?? log.segments[0].baseOffset;
    return log;
  }

  private get activeSegment(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** The offset the next appended record gets (log end offset = high watermark on a single broker). */
  get nextOffset(): number {
    return this.activeSegment.lastOffset + 1;
  }

  get sizeInBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  /** Every batch still in the log, oldest first (used to rebuild producer state). */
  *allEntries(): Iterable<BatchEntry> {
    for (const segment of this.segments) yield* segment.entries;
  }

  /** Appends a validated batch, rewriting only its baseOffset; returns the offsets it was given. */
  append(batch: Buffer, header: BatchHeader, now: number): BatchEntry {
    if (this.activeSegment.size > 0 && this.activeSegment.size + batch.length > this.config.segmentBytes) {
      this.roll();
    }
    const baseOffset = this.nextOffset;
    batch.writeBigInt64BE(BigInt(baseOffset), BATCH.BASE_OFFSET);
    this.unsynced.add(this.activeSegment);
    return this.activeSegment.append(batch, {
      baseOffset,
      lastOffset: baseOffset + header.lastOffsetDelta,
      maxTimestamp: header.maxTimestamp >= 0 ? header.maxTimestamp : now,
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
    });
  }

  /** Makes everything appended so far durable (acks=-1). */
  sync(): void {
    for (const segment of this.unsynced) segment.sync();
    this.unsynced.clear();
  }

  private roll(): void {
    const baseOffset = this.nextOffset;
    if (this.directory) {
      this.segments.push(FileSegment.create(this.directory, baseOffset));
      // The new file's directory entry must be durable too, or an fsync'd segment could vanish on power loss.
      syncDirectory(this.directory);
    } else {
      this.segments.push(new MemorySegment(baseOffset));
    }
  }

  /**
   * Whole batches starting with the one that holds `offset`, up to `maxBytes` — but always at least one
   * batch when there is one, so a batch larger than the limit still gets through (KIP-74).
   */
  read(offset: number, maxBytes: number): Buffer {
    const parts: Buffer[] = [];
    let total = 0;
    for (let s = this.segmentIndexFor(offset); s >= 0 && s < this.segments.length; s++) {
      const segment = this.segments[s];
      const first = firstEntryEndingAtOrAfter(segment.entries, offset);
      if (first >= segment.entries.length) continue;
      let end = first;
      let bytes = 0;
      while (end < segment.entries.length) {
        const size = segment.entries[end].size;
        if (total + bytes + size > maxBytes && total + bytes > 0) break;
        bytes += size;
        end++;
      }
      if (bytes > 0) {
        parts.push(segment.read(segment.entries[first].position, bytes));
        total += bytes;
      }
      if (end < segment.entries.length) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private segmentIndexFor(offset: number): number {
    let index = 0;
    for (let i = 0; i < this.segments.length; i++) if (this.segments[i].baseOffset <= offset) index = i;
    return index;
  }

  /** The earliest offset whose record timestamp is >= `timestamp`, or null if none. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (const segment of this.segments) {
      if (segment.maxTimestamp < timestamp) continue;
      for (const entry of segment.entries) {
        if (entry.maxTimestamp < timestamp) continue;
        const batch = segment.read(entry.position, entry.size);
        const header = readBatchHeader(batch);
        // Like Kafka, the first record at or after the timestamp, also inside a compressed batch (inflated for
        // it; UnreadableCompressionError for a codec the stand-in cannot inflate).
        if (header) {
          let records: { offsetDelta: number; timestamp: number }[];
          try {
            records = recordTimestamps(batch, header);
          } catch (error) {
            // Without inflating: when even the first record is late enough, it is the answer.
            if (error instanceof UnreadableCompressionError && header.baseTimestamp >= timestamp) return { offset: header.baseOffset, timestamp: header.baseTimestamp };
            throw error;
          }
          for (const record of records) {
            if (record.timestamp >= timestamp) return { offset: header.baseOffset + record.offsetDelta, timestamp: record.timestamp };
          }
        }
        return { offset: entry.baseOffset, timestamp: entry.maxTimestamp };
      }
    }
    return null;
  }

  /**
   * Drops whole segments that are older than retention.ms or beyond retention.bytes. Returns true if
   * anything was deleted. The log end offset never moves backwards.
   */
  applyRetention(now: number, beforeFirstDeletion: () => void = () => {}): boolean {
    let deleted = false;
    const removeOldest = () => {
      if (!deleted) beforeFirstDeletion();
      deleted = true;
      this.removeOldestSegment();
    };
    const { retentionMs, retentionBytes } = this.config;
    if (retentionMs >= 0) {
      while (this.segments[0].entries.length > 0 && this.segments[0].maxTimestamp < now - retentionMs) {
        if (this.segments.length === 1) this.roll();
        removeOldest();
      }
    }
    if (retentionBytes >= 0) {
      let size = this.sizeInBytes;
      while (this.segments.length > 1 && size - this.segments[0].size >= retentionBytes) {
        size -= this.segments[0].size;
        removeOldest();
      }
    }
    return deleted;
  }

  private removeOldestSegment(): void {
    const oldest = this.segments.shift();
    if (oldest) this.unsynced.delete(oldest);
    oldest?.remove();
    this.logStartOffset = this.segments[0].entries[0]?.baseOffset ?? this.segments[0].baseOffset;
  }

  close(): void {
    for (const segment of this.segments) segment.close();
  }
}

function entryFromHeader(header: BatchHeader, position: number): BatchEntry {
  return {
    baseOffset: header.baseOffset,
    lastOffset: header.baseOffset + header.lastOffsetDelta,
    position,
    size: header.size,
    maxTimestamp: header.maxTimestamp,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
  };
}

function firstEntryEndingAtOrAfter(entries: BatchEntry[], offset: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid].lastOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
