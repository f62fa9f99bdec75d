// Fetch semantics at the wire: long polling until data or max_wait_ms, min_bytes, and the max_bytes limits
// that still let one whole batch through (KIP-74). On ENGINES=real against the shared Apache Kafka broker.
import { kafkaFor } from './support/kafkajs';
import { Body, RawClient, encodeRecordBatch, parseProduceResponse, produceRequest } from './support/raw-client';
import { BrokerUnderTest, sharedBroker, uniqueName } from './support/target';

jest.setTimeout(30000);

const FETCH = 1;
const PRODUCE = 0;

interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  records: Buffer;
}

const TOPIC = uniqueName('polled');

function fetchRequest(options: { maxWaitMs: number; minBytes: number; maxBytes: number; partitions: { partition: number; offset: number; maxBytes: number }[] }): Buffer {
  const body = new Body().int32(-1).int32(options.maxWaitMs).int32(options.minBytes).int32(options.maxBytes).int8(0);
  body.int32(1).string(TOPIC).int32(options.partitions.length);
  for (const p of options.partitions) body.int32(p.partition).int64(p.offset).int32(p.maxBytes);
  return body.build();
}

/** Parses a Fetch v4 response for one topic. */
function parseFetch(body: Buffer): FetchedPartition[] {
  let at = 4 + 4; // throttle time, topic count
  at += 2 + body.readInt16BE(at);
  const count = body.readInt32BE(at);
  at += 4;
  const partitions: FetchedPartition[] = [];
  for (let i = 0; i < count; i++) {
    const partition = body.readInt32BE(at);
    const errorCode = body.readInt16BE(at + 4);
    const highWatermark = Number(body.readBigInt64BE(at + 6));
    const lastStableOffset = Number(body.readBigInt64BE(at + 14));
    at += 4 + 2 + 8 + 8; // partition, error, high watermark, last stable offset
    const aborted = body.readInt32BE(at);
    at += 4 + Math.max(0, aborted) * 16;
    const length = body.readInt32BE(at);
    at += 4;
    partitions.push({ partition, errorCode, highWatermark, lastStableOffset, records: body.subarray(at, at + Math.max(0, length)) });
    at += Math.max(0, length);
  }
  return partitions;
}

function batchCount(records: Buffer): number {
  let count = 0;
  for (let at = 0; at + 12 <= records.length; at += 12 + records.readInt32BE(at + 8)) count++;
  return count;
}

describe('Kafka broker fetch', () => {
  let broker: BrokerUnderTest;
  let producer: RawClient;
  let fetcher: RawClient;

  beforeAll(async () => {
    broker = await sharedBroker();
    const admin = kafkaFor(broker.bootstrapServer).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    producer = await RawClient.connect(broker.port);
    fetcher = await RawClient.connect(broker.port);
  });
  afterAll(async () => {
    producer.close();
    fetcher.close();
    await broker.stop();
  });

  const produce = async (partition: number, value: string) =>
    parseProduceResponse(await producer.request(PRODUCE, 3, produceRequest(TOPIC, partition, encodeRecordBatch({ records: [{ key: null, value }] }))));

  it('holds a fetch at the log end until data arrives', async () => {
    const pending = fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 10000, minBytes: 1, maxBytes: 1 << 20, partitions: [{ partition: 0, offset: 0, maxBytes: 1 << 20 }] }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await produce(0, 'wake up')).errorCode).toBe(0);
    const [answer] = parseFetch(await pending);
    expect(answer.errorCode).toBe(0);
    expect(batchCount(answer.records)).toBe(1);
    expect(answer.records.includes(Buffer.from('wake up'))).toBe(true);
  });

  it('answers empty after max_wait_ms when nothing arrives, and waits for min_bytes', async () => {
    const started = Date.now();
    const [empty] = parseFetch(await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 300, minBytes: 1, maxBytes: 1 << 20, partitions: [{ partition: 0, offset: 1, maxBytes: 1 << 20 }] })));
    expect(empty.records.length).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    // One small batch is below min_bytes: the broker keeps waiting and answers with more once it arrives.
    const pending = fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 10000, minBytes: 150, maxBytes: 1 << 20, partitions: [{ partition: 0, offset: 1, maxBytes: 1 << 20 }] }));
    await produce(0, 'small one');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await produce(0, 'small two');
    await produce(0, 'small three');
    const [answer] = parseFetch(await pending);
    // Each batch is about 80 bytes: answering after the first would have been below min_bytes.
    expect(answer.records.length).toBeGreaterThanOrEqual(150);
    expect(batchCount(answer.records)).toBeGreaterThanOrEqual(2);
  });

  it('limits by partition and response max_bytes but always returns at least one whole batch', async () => {
    for (let i = 0; i < 3; i++) await produce(1, `batch ${i}`);
    const all = parseFetch(await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, partitions: [{ partition: 1, offset: 0, maxBytes: 1 << 20 }] })));
    expect(batchCount(all[0].records)).toBe(3);
    const one = parseFetch(await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, partitions: [{ partition: 1, offset: 0, maxBytes: 1 }] })));
    expect(batchCount(one[0].records)).toBe(1);
    // Starting in the middle of the log returns from the batch holding that offset.
    const fromSecond = parseFetch(await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, partitions: [{ partition: 1, offset: 1, maxBytes: 1 << 20 }] })));
    expect(Number(fromSecond[0].records.readBigInt64BE(0))).toBe(1);
    expect(batchCount(fromSecond[0].records)).toBe(2);
    // The response limit is spent on the first partition; the second gets nothing this time.
    const both = parseFetch(
      await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 0, minBytes: 0, maxBytes: 1, partitions: [{ partition: 1, offset: 0, maxBytes: 1 << 20 }, { partition: 0, offset: 0, maxBytes: 1 << 20 }] })),
    );
    expect(batchCount(both[0].records)).toBe(1);
    expect(both[1].records.length).toBe(0);
  });

  it('answers OFFSET_OUT_OF_RANGE beyond the log end', async () => {
    const [answer] = parseFetch(await fetcher.request(FETCH, 4, fetchRequest({ maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, partitions: [{ partition: 1, offset: 999, maxBytes: 1 << 20 }] })));
    expect(answer.errorCode).toBe(1);
    // Kafka tells no offsets with this error (the client asks ListOffsets); the stand-in used to tell the log's.
    expect(answer.highWatermark).toBe(-1);
    expect(answer.lastStableOffset).toBe(-1);
  });

  it('wakes every fetch held at the log end when data arrives, not only the first', async () => {
    // Several consumers (the projector, integrators) long-poll at once, each on its own connection.
    const others = await Promise.all([1, 2, 3].map(() => RawClient.connect(broker.port)));
    try {
      const { baseOffset } = await produce(1, 'before');
      const waiting = others.map((client) =>
        client.request(FETCH, 4, fetchRequest({ maxWaitMs: 60000, minBytes: 1, maxBytes: 1 << 20, partitions: [{ partition: 1, offset: baseOffset + 1, maxBytes: 1 << 20 }] })),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await produce(1, 'for all of you')).errorCode).toBe(0);
      // Within the raw client's 5 s answer timeout, far below max_wait_ms: each fetch was woken by the append.
      for (const answer of await Promise.all(waiting)) expect(parseFetch(answer)[0].records.includes(Buffer.from('for all of you'))).toBe(true);
    } finally {
      for (const client of others) client.close();
    }
  }, 15000);
});
