// One log segment: a file of v2 record batches named after its base offset, or the same kept in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  /** Byte position of the batch inside its segment. */
  position: number;
  size: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

export abstract class Segment {
  readonly entries: BatchEntry[] = [];
  size = 0;
  maxTimestamp = -1;

  constructor(readonly baseOffset: number) {}

  get lastOffset(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].lastOffset : this.baseOffset - 1;
  }

  /** Appends one batch; its bytes must already carry the assigned baseOffset. */
  append(batch: Buffer, entry: Omit<BatchEntry, 'position' | 'size'>): BatchEntry {
    const full: BatchEntry = { ...entry, position: this.size, size: batch.length };
    this.write(batch);
    this.entries.push(full);
    this.size += batch.length;
    this.maxTimestamp = Math.max(this.maxTimestamp, entry.maxTimestamp);
    return full;
  }

  protected abstract write(batch: Buffer): void;
  abstract read(position: number, length: number): Buffer;
  abstract sync(): void;
  abstract close(): void;
  abstract remove(): void;
}

export class MemorySegment extends Segment {
  private readonly chunks: Buffer[] = [];

  protected write(batch: Buffer): void {
    this.chunks.push(Buffer.from(batch));
  }

  read(position: number, length: number): Buffer {
    // Reads always start and end on batch boundaries, so they map onto whole chunks.
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid].position < position) low = mid + 1;
      else high = mid;
    }
    const first = low;
    const parts: Buffer[] = [];
    let total = 0;
    for (let i = first; i >= 0 && i < this.chunks.length && total < length; i++) {
      parts.push(this.chunks[i]);
      total += this.chunks[i].length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  sync(): void {}
  close(): void {}
  remove(): void {
    this.chunks.length = 0;
  }
}

export const SEGMENT_SUFFIX = '.log';

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export class FileSegment extends Segment {
  private fd: number;

  constructor(
    baseOffset: number,
    readonly filePath: string,
  ) {
    super(baseOffset);
    this.fd = fs.openSync(filePath, 'a+');
  }

  static create(directory: string, baseOffset: number): FileSegment {
    return new FileSegment(baseOffset, path.join(directory, segmentFileName(baseOffset)));
  }

  /** After recovery has validated `validBytes`, drops whatever follows (a torn tail). */
  truncateTo(validBytes: number): void {
    fs.ftruncateSync(this.fd, validBytes);
    fs.fsyncSync(this.fd);
  }

  /** Registers a batch found on disk during recovery without writing it again. */
  adopt(entry: BatchEntry): void {
    this.entries.push(entry);
    this.size = entry.position + entry.size;
    this.maxTimestamp = Math.max(this.maxTimestamp, entry.maxTimestamp);
  }

  protected write(batch: Buffer): void {
    let written = 0;
    try {
      while (written < batch.length) written += fs.writeSync(this.fd, batch, written, batch.length - written);
    } catch (error) {
      // Part of the batch may be in the file (a disk filling up): cut off, or the next batch would follow it
      // where the index does not expect it, and recovery would drop both.
      if (written > 0) fs.ftruncateSync(this.fd, this.size);
      throw error;
    }
  }

  read(position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const bytes = fs.readSync(this.fd, buffer, done, length - done, position + done);
      if (bytes === 0) break;
      done += bytes;
    }
    return buffer.subarray(0, done);
  }

  sync(): void {
    fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  remove(): void {
    this.close();
    fs.rmSync(this.filePath, { force: true });
  }
}
