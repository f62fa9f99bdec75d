// Reads and validates the header of a v2 record batch; the batch bytes themselves are stored untouched.
import * as zlib from 'node:zlib';
import { crc32c } from './crc32c';
import { Reader } from './reader';

/** Byte positions inside a v2 record batch (Kafka's DefaultRecordBatch layout). */
export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  HEADER_SIZE: 61,
  /** baseOffset + batchLength: the part not counted by batchLength. */
  LOG_OVERHEAD: 12,
} as const;

export interface BatchHeader {
  baseOffset: number;
  /** Total bytes of the batch including baseOffset and length fields. */
  size: number;
  magic: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export class InvalidBatchError extends Error {}

/** Bytes that hold no whole record batch (empty, or cut short). */
export class MissingBatchError extends InvalidBatchError {}

/** A message set in the old formats (magic 0 or 1), which only Produce v0-v2 may carry and the broker does not store. */
export class OldMessageFormatError extends InvalidBatchError {}

export function compressionOf(attributes: number): number {
  return attributes & 0x07;
}
export function isControlBatch(attributes: number): boolean {
  return (attributes & 0x20) !== 0;
}

/** Reads the batch header at `position`; returns null if fewer bytes than a full batch remain. */
export function readBatchHeader(buffer: Buffer, position = 0): BatchHeader | null {
  if (buffer.length - position < BATCH.HEADER_SIZE) return null;
  const batchLength = buffer.readInt32BE(position + BATCH.LENGTH);
  const size = batchLength + BATCH.LOG_OVERHEAD;
  if (batchLength < BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD || buffer.length - position < size) return null;
  return {
    baseOffset: Number(buffer.readBigInt64BE(position + BATCH.BASE_OFFSET)),
    size,
    magic: buffer.readInt8(position + BATCH.MAGIC),
    attributes: buffer.readInt16BE(position + BATCH.ATTRIBUTES),
    lastOffsetDelta: buffer.readInt32BE(position + BATCH.LAST_OFFSET_DELTA),
    baseTimestamp: Number(buffer.readBigInt64BE(position + BATCH.BASE_TIMESTAMP)),
    maxTimestamp: Number(buffer.readBigInt64BE(position + BATCH.MAX_TIMESTAMP)),
    producerId: Number(buffer.readBigInt64BE(position + BATCH.PRODUCER_ID)),
    producerEpoch: buffer.readInt16BE(position + BATCH.PRODUCER_EPOCH),
    baseSequence: buffer.readInt32BE(position + BATCH.BASE_SEQUENCE),
    recordsCount: buffer.readInt32BE(position + BATCH.RECORDS_COUNT),
  };
}

export function batchCrcMatches(buffer: Buffer, position: number, size: number): boolean {
  const stored = buffer.readUInt32BE(position + BATCH.CRC);
  return crc32c(buffer, position + BATCH.ATTRIBUTES, position + size) === stored;
}

/**
 * Splits a produce request's record set into batches, rejecting anything that is not a complete,
 * CRC-valid v2 batch: the client gets CORRUPT_MESSAGE and nothing is appended.
 */
export function splitProducedBatches(records: Buffer): { buffer: Buffer; header: BatchHeader }[] {
  const batches: { buffer: Buffer; header: BatchHeader }[] = [];
  let position = 0;
  while (position < records.length) {
    if (records.length - position >= BATCH.MAGIC + 1 && records.readInt8(position + BATCH.MAGIC) !== 2) {
      throw new OldMessageFormatError('only record batch format v2 (magic 2) is supported');
    }
    const header = readBatchHeader(records, position);
    if (!header) throw new MissingBatchError('truncated record batch');
    if (!batchCrcMatches(records, position, header.size)) throw new InvalidBatchError('record batch CRC mismatch');
    if (header.recordsCount < 0 || header.lastOffsetDelta < 0) throw new InvalidBatchError('invalid record count');
    batches.push({ buffer: records.subarray(position, position + header.size), header });
    position += header.size;
  }
  if (batches.length === 0) throw new MissingBatchError('empty record set');
  return batches;
}

/** A compressed batch whose codec the stand-in cannot inflate (snappy, lz4; zstd before Node 22.15). */
export class UnreadableCompressionError extends Error {}

/** The records section of a batch, inflated when compressed (gzip, and zstd where Node's zlib has it). */
function recordsSection(batch: Buffer, header: BatchHeader): Buffer {
  const section = batch.subarray(BATCH.HEADER_SIZE, header.size);
  const codec = compressionOf(header.attributes);
  if (codec === 0) return section;
  if (codec === 1) return zlib.gunzipSync(section);
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Buffer) => Buffer }).zstdDecompressSync;
  if (codec === 4 && zstd) return zstd(section);
  throw new UnreadableCompressionError(`cannot read records compressed with codec ${codec}`);
}

/** Timestamps of the individual records of a batch (for ListOffsets by time), inflating it if need be. */
export function recordTimestamps(batch: Buffer, header: BatchHeader): { offsetDelta: number; timestamp: number }[] {
  const reader = new Reader(recordsSection(batch, header));
  const result: { offsetDelta: number; timestamp: number }[] = [];
  for (let i = 0; i < header.recordsCount; i++) {
    const length = reader.varint();
    const end = reader.offset + length;
    reader.int8(); // record attributes
    const timestampDelta = reader.varint();
    const offsetDelta = reader.varint();
    result.push({ offsetDelta, timestamp: header.baseTimestamp + timestampDelta });
    reader.offset = end;
  }
  return result;
}
