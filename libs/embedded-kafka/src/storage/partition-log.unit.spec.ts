import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { encodeRecordBatch } from '../../../../tests/embedded-kafka/support/raw-client';
import { UnreadableCompressionError, readBatchHeader } from '../protocol/record-batch';
import { ErrorCode } from '../protocol/api';
import { PartitionLog, RecoveryReport } from './partition-log';
import { Partition } from './topic-store';

/** How many bytes the disk takes before it reports itself full, for the next write only; null: the real disk. */
const mockDisk: { fullAfter: number | null } = { fullAfter: null };
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof fs>('node:fs');
  const writeSync = (...args: Parameters<typeof actual.writeSync>): number => {
    const [fd, data, offset] = args as unknown as [number, Buffer, number];
    if (mockDisk.fullAfter === null) return actual.writeSync(...args);
    const taken = mockDisk.fullAfter;
    mockDisk.fullAfter = taken > 0 ? 0 : null;
    if (taken > 0) return actual.writeSync(fd, data, offset, taken);
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return { ...actual, writeSync };
});

const config = { retentionMs: -1, retentionBytes: -1, segmentBytes: 250 };

function appendValue(log: PartitionLog, value: string, timestamp = Date.now()): number {
  const batch = encodeRecordBatch({ records: [{ key: null, value }, { key: null, value: `${value}'` }], baseTimestamp: timestamp });
  return log.append(batch, readBatchHeader(batch)!, Date.now()).baseOffset;
}

describe('PartitionLog', () => {
  let directory: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'partition-log-'));
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('rolls segments and recovers every batch after reopening', () => {
    const log = PartitionLog.open(directory, config);
    const offsets = ['a', 'b', 'c', 'd', 'e'].map((v) => appendValue(log, v));
    log.close();
    expect(offsets).toEqual([0, 2, 4, 6, 8]);
    expect(fs.readdirSync(directory).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(1);
    const reopened = PartitionLog.open(directory, config);
    expect(reopened.nextOffset).toBe(10);
    const all = reopened.read(0, 1 << 20);
    expect(all.includes(Buffer.from('a'))).toBe(true);
    expect(all.includes(Buffer.from("e'"))).toBe(true);
    // Reading from an offset inside a batch starts at that batch.
    expect(Number(reopened.read(5, 1 << 20).readBigInt64BE(0))).toBe(4);
    reopened.close();
  });

  it('cuts off a batch the disk took only part of, so that the batches after it survive a reopening', () => {
    const log = PartitionLog.open(directory, { ...config, segmentBytes: 1 << 20 });
    expect(appendValue(log, 'a')).toBe(0);
    mockDisk.fullAfter = 40;
    expect(() => appendValue(log, 'refused')).toThrow('ENOSPC');
    expect(appendValue(log, 'b')).toBe(2);
    log.sync();
    log.close();
    const report: RecoveryReport = { truncatedBytes: 0 };
    const reopened = PartitionLog.open(directory, { ...config, segmentBytes: 1 << 20 }, report);
    expect(report.truncatedBytes).toBe(0);
    expect(reopened.nextOffset).toBe(4);
    const all = reopened.read(0, 1 << 20);
    expect([all.includes(Buffer.from("a'")), all.includes(Buffer.from('refused')), all.includes(Buffer.from("b'"))]).toEqual([true, false, true]);
    reopened.close();
  });

  it('answers a produce the disk refused with KAFKA_STORAGE_ERROR, and takes the retry', () => {
    const partition = Partition.open('events', 0, directory, { ...config, segmentBytes: 1 << 20 });
    const batch = () => encodeRecordBatch({ records: [{ key: null, value: 'v' }], baseTimestamp: Date.now() });
    const produce = () => {
      const buffer = batch();
      return partition.append([{ buffer, header: readBatchHeader(buffer)! }], Date.now(), true).errorCode;
    };
    mockDisk.fullAfter = 10;
    expect(produce()).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(produce()).toBe(ErrorCode.NONE);
    expect(partition.log.nextOffset).toBe(1);
    partition.close();
  });

  it('truncates at the first corrupt batch and drops everything after it', () => {
    const log = PartitionLog.open(directory, config);
    for (const v of ['a', 'b', 'c', 'd', 'e']) appendValue(log, v);
    log.close();
    const first = path.join(directory, fs.readdirSync(directory).filter((f) => f.endsWith('.log')).sort()[0]);
    const bytes = fs.readFileSync(first);
    const firstBatchSize = readBatchHeader(bytes)!.size;
    bytes[firstBatchSize + 70] ^= 0xff; // inside the second batch's records: its CRC no longer matches
    fs.writeFileSync(first, bytes);
    const report: RecoveryReport = { truncatedBytes: 0 };
    const reopened = PartitionLog.open(directory, config, report);
    expect(reopened.nextOffset).toBe(2);
    expect(report.truncatedBytes).toBeGreaterThan(0);
    expect(fs.statSync(first).size).toBe(firstBatchSize);
    expect(appendValue(reopened, 'after')).toBe(2);
    reopened.close();
  });

  it('applies retention by time and by size without moving the log end', () => {
    const log = PartitionLog.inMemory({ ...config, retentionMs: 60_000 });
    const old = Date.now() - 3_600_000;
    for (const v of ['a', 'b', 'c']) appendValue(log, v, old);
    appendValue(log, 'fresh');
    log.applyRetention(Date.now());
    expect(log.logStartOffset).toBeGreaterThan(0);
    expect(log.nextOffset).toBe(8);
    expect(log.read(log.logStartOffset, 1 << 20).includes(Buffer.from('fresh'))).toBe(true);

    const sized = PartitionLog.inMemory({ ...config, retentionBytes: 300 });
    for (let i = 0; i < 20; i++) appendValue(sized, `v${i}`);
    sized.applyRetention(Date.now());
    expect(sized.sizeInBytes).toBeLessThanOrEqual(300 + 250);
    expect(sized.nextOffset).toBe(40);
  });
  it('finds a timestamp inside a gzip batch, and refuses to guess inside a codec it cannot inflate (lz4)', () => {
    const log = PartitionLog.open(directory, { ...config, segmentBytes: 1 << 20 });
    const records = [{ key: null, value: 'a' }, { key: null, value: 'b', timestampDelta: 2000 }];
    const gzip = encodeRecordBatch({ records, baseTimestamp: 1000 });
    const inflated = gzip.subarray(61);
    const compressed = Buffer.concat([gzip.subarray(0, 61), zlib.gzipSync(inflated)]);
    compressed.writeInt32BE(compressed.length - 12, 8);
    compressed.writeInt16BE(1, 21); // attributes: gzip
    log.append(compressed, readBatchHeader(compressed)!, Date.now());
    expect(log.offsetForTimestamp(2500)).toEqual({ offset: 1, timestamp: 3000 });

    const lz4 = encodeRecordBatch({ records, baseTimestamp: 5000 });
    lz4.writeInt16BE(3, 21); // attributes: lz4 (the bytes are not, but the stand-in never inflates lz4)
    log.append(lz4, readBatchHeader(lz4)!, Date.now());
    expect(log.offsetForTimestamp(4000)).toEqual({ offset: 2, timestamp: 5000 });
    expect(() => log.offsetForTimestamp(6000)).toThrow(UnreadableCompressionError);
    log.close();
  });
});
