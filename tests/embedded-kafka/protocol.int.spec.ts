// Wire-level behaviour of the broker with hand-made bytes: ApiVersions negotiation, record-batch validation,
// idempotent sequence checks, and bad input that must only cost the sender its connection. On ENGINES=real
// against the shared Apache Kafka broker, whose answers are the specification; the fuzzing is stand-in only.
import fc from 'fast-check';
import { crc32c } from '@engine/embedded-kafka';
import { describeStandInOnly } from '../support/engines';
import {
  Body,
  RawClient,
  encodeRecordBatch,
  initProducerId,
  fetchRequest,
  listOffsetsRequest,
  parseFetchResponse,
  parseListOffsetsResponse,
  parseProduceResponse,
  produceRequest,
} from './support/raw-client';
import { waitFor } from './support/kafkajs';
import { BrokerUnderTest, sharedBroker, uniqueName } from './support/target';

const API_VERSIONS = 18;
const PRODUCE = 0;
const METADATA = 3;
const CREATE_TOPICS = 19;
const FETCH = 1;
const LIST_OFFSETS = 2;
/** socket.request.max.bytes: Kafka's default, and the stand-in's. */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024;
const WIRE = uniqueName('wire');

function parseApiVersionsV0(body: Buffer): { errorCode: number; apis: Map<number, [number, number]> } {
  const errorCode = body.readInt16BE(0);
  const count = body.readInt32BE(2);
  const apis = new Map<number, [number, number]>();
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 6;
    apis.set(body.readInt16BE(at), [body.readInt16BE(at + 2), body.readInt16BE(at + 4)]);
  }
  return { errorCode, apis };
}

describe('Kafka broker, wire protocol', () => {
  let broker: BrokerUnderTest;
  const clients: RawClient[] = [];
  const brokerLog: string[] = [];
  const connect = async () => {
    const client = await RawClient.connect(broker.port);
    clients.push(client);
    return client;
  };

  const logEnd = async (client: RawClient) => {
    const answer = parseListOffsetsResponse(await client.request(LIST_OFFSETS, 1, listOffsetsRequest(WIRE, 0, -1)));
    expect(answer.errorCode).toBe(0);
    return answer.offset;
  };

  beforeAll(async () => {
    broker = await sharedBroker({ log: (message) => brokerLog.push(message) });
    const client = await connect();
    // CreateTopics v0: topic WIRE with 1 partition.
    const created = await client.request(CREATE_TOPICS, 0, new Body().int32(1).string(WIRE).int32(1).int16(1).int32(0).int32(0).int32(5000).build());
    expect(created.readInt16BE(4 + 2 + WIRE.length)).toBe(0);
    // Kafka creates topics asynchronously: wait until the partition takes requests.
    await waitFor(async () => parseListOffsetsResponse(await client.request(LIST_OFFSETS, 1, listOffsetsRequest(WIRE, 0, -1))).errorCode === 0, 10000, 'the topic');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await broker.stop();
  });

  it('computes CRC32C (Castagnoli) as the record batch format requires', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
  });

  it('answers ApiVersions v0 with minimum version 0 for every API', async () => {
    const client = await connect();
    const { errorCode, apis } = parseApiVersionsV0(await client.request(API_VERSIONS, 0, Buffer.alloc(0)));
    expect(errorCode).toBe(0);
    for (const key of [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 32, 37, 42]) {
      expect(apis.get(key)?.[0]).toBe(0);
    }
    // The ranges need not be Kafka's (3.9 advertises ApiVersions v0-v4, the stand-in v0-v3), only cover v3.
    expect(apis.get(API_VERSIONS)?.[1]).toBeGreaterThanOrEqual(3);
    expect(apis.get(PRODUCE)?.[1]).toBeGreaterThanOrEqual(3);
  });

  /** An ApiVersions request as a client sends it from v3 on: request header v2, compact strings in the body. */
  const flexibleApiVersions = (client: RawClient, version: number, correlationId: number) => {
    const id = Buffer.from('raw');
    const frameBody = Buffer.concat([
      new Body().int16(API_VERSIONS).int16(version).int32(correlationId).int16(id.length).raw(id).int8(0).build(),
      Buffer.from([4, ...Buffer.from('abc'), 2, ...Buffer.from('1'), 0]),
    ]);
    client.writeRaw(Buffer.concat([new Body().int32(frameBody.length).build(), frameBody]));
  };

  it('answers ApiVersions v3 in the flexible format', async () => {
    const client = await connect();
    flexibleApiVersions(client, 3, 7);
    const frame = await client.nextFrame();
    expect(frame.readInt32BE(0)).toBe(7);
    expect(frame.readInt16BE(4)).toBe(0); // response header v0, then error code
    const countPlusOne = frame.readUInt8(6);
    expect(countPlusOne - 1).toBeGreaterThanOrEqual(20);
    expect(frame.readInt16BE(7)).toBe(0); // first api key (Produce), min version 0
    expect(frame.readInt16BE(9)).toBe(0);
  });

  it('answers an unknown ApiVersions version as KIP-511 says: v0 layout, UNSUPPORTED_VERSION, its own range', async () => {
    // A client opens with the newest ApiVersions it knows, in the flexible header that newer versions use.
    const client = await connect();
    flexibleApiVersions(client, 9, 8);
    const frame = await client.nextFrame();
    expect(frame.readInt32BE(0)).toBe(8);
    const { errorCode, apis } = parseApiVersionsV0(frame.subarray(4));
    expect(errorCode).toBe(35);
    expect(apis.get(API_VERSIONS)?.[0]).toBe(0);
    expect(apis.get(API_VERSIONS)?.[1]).toBeGreaterThanOrEqual(3);
    expect([...apis.keys()]).toEqual([API_VERSIONS]);

    // Without the flexible header's tagged fields the request is malformed: Kafka closes the connection.
    const classic = await connect();
    void classic.request(API_VERSIONS, 9, Buffer.alloc(0)).catch(() => undefined);
    expect(await classic.waitForClose()).toBe(true);
  });

  it('rejects a batch with a wrong CRC32C as CORRUPT_MESSAGE and stores nothing', async () => {
    const client = await connect();
    const batch = encodeRecordBatch({ records: [{ key: 'k', value: 'v' }] });
    batch[batch.length - 2] ^= 0xff;
    const answer = parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(WIRE, 0, batch)));
    expect(answer.errorCode).toBe(2);
    expect(await logEnd(client)).toBe(0);
  });

  it('stores the batch bytes as received, rewriting only the base offset', async () => {
    const client = await connect();
    const first = encodeRecordBatch({ records: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    const second = encodeRecordBatch({ records: [{ key: 'c', value: '3' }] });
    expect(parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(WIRE, 0, first)))).toEqual({ errorCode: 0, baseOffset: 0 });
    expect(parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(WIRE, 0, second)))).toEqual({ errorCode: 0, baseOffset: 2 });
    const fetched = parseFetchResponse(await client.request(FETCH, 4, fetchRequest(WIRE, 0, 0)));
    expect(fetched.errorCode).toBe(0);
    const stored = fetched.records;
    expect(stored.subarray(8, first.length)).toEqual(first.subarray(8));
    expect(Number(stored.readBigInt64BE(first.length))).toBe(2);
    expect(stored.subarray(first.length + 8)).toEqual(second.subarray(8));
  });

  it('checks idempotent sequences: duplicates get the original offset, gaps OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const client = await connect();
    const { errorCode, producerId } = await initProducerId(client);
    expect(errorCode).toBe(0);
    const send = async (baseSequence: number, count = 1, epoch = 0) => {
      const records = Array.from({ length: count }, (_, i) => ({ key: null, value: `s${baseSequence + i}` }));
      const batch = encodeRecordBatch({ records, producerId, producerEpoch: epoch, baseSequence });
      return parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(WIRE, 0, batch)));
    };
    const start = await logEnd(client);
    expect(await send(0, 2)).toEqual({ errorCode: 0, baseOffset: start });
    expect(await send(2)).toEqual({ errorCode: 0, baseOffset: start + 2 });
    // A retried batch among the last five is acknowledged again with its original offset, not stored twice.
    expect(await send(0, 2)).toEqual({ errorCode: 0, baseOffset: start });
    expect(await send(2)).toEqual({ errorCode: 0, baseOffset: start + 2 });
    expect(await logEnd(client)).toBe(start + 3);
    expect(await send(5)).toMatchObject({ errorCode: 45 }); // gap: 3 and 4 missing
    expect(await send(3)).toEqual({ errorCode: 0, baseOffset: start + 3 });
    expect(await send(0, 1, 1)).toEqual({ errorCode: 0, baseOffset: start + 4 }); // new epoch restarts at 0
    expect(await send(4, 1, 0)).toMatchObject({ errorCode: 47 }); // fenced old epoch
  });

  it('closes only the connection that sends garbage; others keep being served', async () => {
    const healthy = await connect();
    const garbage = await connect();
    garbage.writeRaw(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await garbage.waitForClose()).toBe(true);
    expect(parseApiVersionsV0(await healthy.request(API_VERSIONS, 0, Buffer.alloc(0))).errorCode).toBe(0);
  });

  it('closes the connection on an oversized or negative frame size', async () => {
    const oversized = await connect();
    oversized.writeRaw(new Body().int32(MAX_REQUEST_BYTES + 1).build());
    expect(await oversized.waitForClose()).toBe(true);
    const negative = await connect();
    negative.writeRaw(new Body().int32(-5).build());
    expect(await negative.waitForClose()).toBe(true);
  });

  it('closes the connection on a frame whose body is shorter than its fields claim', async () => {
    const client = await connect();
    // Metadata v1 claiming 1000 topics but carrying none.
    const body = new Body().int16(METADATA).int16(1).int32(1).string('c').int32(1000).build();
    client.writeRaw(Buffer.concat([new Body().int32(body.length).build(), body]));
    expect(await client.waitForClose()).toBe(true);
    // A Produce whose record set length runs past the frame.
    const produce = await connect();
    const truncated = new Body().int16(PRODUCE).int16(3).int32(1).string('c').string(null).int16(1).int32(1000).int32(1).string(WIRE).int32(1).int32(0).int32(500).raw(Buffer.alloc(10)).build();
    produce.writeRaw(Buffer.concat([new Body().int32(truncated.length).build(), truncated]));
    expect(await produce.waitForClose()).toBe(true);
  });

  it('closes the connection on an unknown API key or an unsupported version', async () => {
    const frame = (apiKey: number, version: number) => {
      const body = new Body().int16(apiKey).int16(version).int32(1).string('c').build();
      return Buffer.concat([new Body().int32(body.length).build(), body]);
    };
    const unknownKey = await connect();
    unknownKey.writeRaw(frame(999, 0));
    expect(await unknownKey.waitForClose()).toBe(true);
    const unknownVersion = await connect();
    unknownVersion.writeRaw(frame(METADATA, 42));
    expect(await unknownVersion.waitForClose()).toBe(true);
  });

  // Fuzzing exercises the stand-in's own parser: Kafka's is not under test here, and random CreateTopics or
  // DeleteTopics bodies must not reach the shared real broker.
  describeStandInOnly('fuzzing its request parser', () => {
    it('survives random request bodies for every API and version, and keeps serving a well-behaved client', async () => {
      const healthy = await connect();
      const apiRanges = parseApiVersionsV0(await healthy.request(API_VERSIONS, 0, Buffer.alloc(0))).apis;
      const keys = [...apiRanges.keys()];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...keys),
          fc.nat(),
          fc.uint8Array({ maxLength: 200 }),
          async (apiKey, versionSeed, garbage) => {
            const [, max] = apiRanges.get(apiKey) as [number, number];
            const header = new Body().int16(apiKey).int16(versionSeed % (max + 1)).int32(1).string('fuzz').build();
            const frame = Buffer.concat([header, Buffer.from(garbage)]);
            const client = await connect();
            client.writeRaw(Buffer.concat([new Body().int32(frame.length).build(), frame]));
            // Either an answer or a closed connection; in both cases the broker must still answer others.
            await Promise.race([client.nextFrame(300).catch(() => undefined), client.waitForClose(300)]);
            client.close();
            expect(parseApiVersionsV0(await healthy.request(API_VERSIONS, 0, Buffer.alloc(0))).errorCode).toBe(0);
          },
        ),
        { numRuns: 300 },
      );
      // Bad input is recognised as such (closed as malformed), never an unexpected failure inside a handler.
      expect(brokerLog.filter((line) => line.startsWith('internal error'))).toEqual([]);
    });

    it('survives valid requests with random bytes changed (mutation fuzzing)', async () => {
      const healthy = await connect();
      const valid: [number, number, Buffer][] = [
        [PRODUCE, 3, produceRequest(WIRE, 0, encodeRecordBatch({ records: [{ key: 'k', value: 'v' }, { key: null, value: 'w' }] }))],
        [METADATA, 1, new Body().int32(1).string(WIRE).build()],
        [1, 4, new Body().int32(-1).int32(10).int32(1).int32(1 << 20).int8(0).int32(1).string(WIRE).int32(1).int32(0).int64(0).int32(1 << 20).build()],
        [2, 1, new Body().int32(-1).int32(1).string(WIRE).int32(1).int32(0).int64(-1).build()],
        [8, 2, new Body().string('fuzz-group').int32(-1).string('').int64(-1).int32(1).string(WIRE).int32(1).int32(0).int64(1).string(null).build()],
        [9, 1, new Body().string('fuzz-group').int32(1).string(WIRE).int32(1).int32(0).build()],
        [CREATE_TOPICS, 0, new Body().int32(1).string('fuzzed').int32(1).int16(1).int32(0).int32(0).int32(5000).build()],
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...valid),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
          async ([apiKey, version, body], mutations) => {
            const mutated = Buffer.from(body);
            for (const [position, value] of mutations) mutated[position % mutated.length] = value;
            const header = new Body().int16(apiKey).int16(version).int32(1).string('fuzz').build();
            const frame = Buffer.concat([header, mutated]);
            const client = await connect();
            client.writeRaw(Buffer.concat([new Body().int32(frame.length).build(), frame]));
            await Promise.race([client.nextFrame(300).catch(() => undefined), client.waitForClose(300)]);
            client.close();
            expect(parseApiVersionsV0(await healthy.request(API_VERSIONS, 0, Buffer.alloc(0))).errorCode).toBe(0);
          },
        ),
        { numRuns: 300 },
      );
      expect(brokerLog.filter((line) => line.startsWith('internal error'))).toEqual([]);
    });
  });

  it('keeps serving after a half-sent frame from a client that then disconnects', async () => {
    const partial = await connect();
    partial.writeRaw(Buffer.concat([new Body().int32(100).build(), Buffer.alloc(10)]));
    partial.close();
    const healthy = await connect();
    expect(parseApiVersionsV0(await healthy.request(API_VERSIONS, 0, Buffer.alloc(0))).errorCode).toBe(0);
  });
});
