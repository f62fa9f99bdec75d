// Retention by time and by size: whole old segments go, the newest data and the log end offset stay. On
// ENGINES=real against a Kafka node of the suite's own, checking retention every 100 ms like the stand-in.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirectoryInUseError, EmbeddedKafka } from '@engine/embedded-kafka';
import { Kafka } from 'kafkajs';
import { describeStandInOnly, onRealEngines } from '../support/engines';
import { kafkaFor, waitFor } from './support/kafkajs';
import { RawClient, fetchRequest, parseFetchResponse } from './support/raw-client';
import { BrokerUnderTest, ownedBroker } from './support/target';

jest.setTimeout(60000);

const FETCH = 1;

describe('Kafka broker retention', () => {
  let broker: BrokerUnderTest;
  let kafka: Kafka;
  let dataDirectory: string;

  const startStandIn = () => EmbeddedKafka.start({ dataDirectory, retentionCheckIntervalMs: 100, initialRebalanceDelayMs: 100 });

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-retention-'));
    broker = await ownedBroker({
      standIn: { dataDirectory, retentionCheckIntervalMs: 100, initialRebalanceDelayMs: 100 },
      // log.initial.task.delay.ms: Kafka's first retention pass otherwise waits 30 s after start.
      realProperties: { 'log.retention.check.interval.ms': '100', 'log.initial.task.delay.ms': '0' },
    });
    kafka = kafkaFor(broker.bootstrapServer);
  });
  afterAll(async () => {
    await broker.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const lowAndHigh = async (topic: string) => {
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return { low: Number(offsets.low), high: Number(offsets.high) };
  };

  /** The bytes of every batch still stored from `from` on; null when retention has meanwhile deleted `from`. */
  const storedBytes = async (topic: string, from: number): Promise<Buffer | null> => {
    const client = await RawClient.connect(broker.port);
    try {
      const chunks: Buffer[] = [];
      for (let offset = from; ; ) {
        const { errorCode, records } = parseFetchResponse(await client.request(FETCH, 4, fetchRequest(topic, 0, offset)));
        if (errorCode === 1) return null; // OFFSET_OUT_OF_RANGE
        expect(errorCode).toBe(0);
        if (records.length === 0) return Buffer.concat(chunks);
        chunks.push(records);
        // Next offset: the last batch's base offset + last offset delta + 1.
        let at = 0;
        let last = 0;
        while (at + 12 <= records.length) {
          last = Number(records.readBigInt64BE(at)) + records.readInt32BE(at + 23);
          at += 12 + records.readInt32BE(at + 8);
        }
        offset = last + 1;
      }
    } finally {
      client.close();
    }
  };

  it('deletes segments whose newest record is older than retention.ms', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'aged', configEntries: [{ name: 'retention.ms', value: '60000' }, { name: 'segment.bytes', value: '200' }] }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const hourAgo = String(Date.now() - 3600_000);
    for (let i = 0; i < 6; i++) await producer.send({ topic: 'aged', messages: [{ value: `old-${i}`, timestamp: hourAgo }] });
    await waitFor(async () => (await lowAndHigh('aged')).low === 6, 10000, 'old segments to be deleted');
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'aged', messages: [{ value: `fresh-${i}` }] });
    await producer.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await lowAndHigh('aged')).toEqual({ low: 6, high: 9 });

    const consumer = kafka.consumer({ groupId: 'aged-reader', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'aged', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => void (values.push(String(message.value)) === 3 && resolve()) });
    });
    await consumer.disconnect();
    expect(values).toEqual(['fresh-0', 'fresh-1', 'fresh-2']);
  });

  it('deletes the oldest segments beyond retention.bytes and keeps the newest', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'sized', configEntries: [{ name: 'retention.bytes', value: '1000' }, { name: 'segment.bytes', value: '300' }] }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 40; i++) await producer.send({ topic: 'sized', messages: [{ value: `payload-${i}-${'x'.repeat(40)}` }] });
    await producer.disconnect();
    // Whole segments go while the rest still exceeds retention.bytes: at most one segment's worth above it.
    await waitFor(async () => ((await storedBytes('sized', (await lowAndHigh('sized')).low))?.length ?? Infinity) <= 1300, 10000, 'size retention');
    const { low, high } = await lowAndHigh('sized');
    expect(high).toBe(40);
    expect(low).toBeGreaterThan(0);
    const stored = (await storedBytes('sized', low)) as Buffer;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.includes(Buffer.from('payload-39-'))).toBe(true);
    if (broker.standIn) {
      const segments = fs.readdirSync(path.join(dataDirectory, 'topics', 'sized', '0')).filter((f) => f.endsWith('.log'));
      expect(segments.length).toBeLessThanOrEqual(5);
    }
  });

  describeStandInOnly('its data directory lock', () => {
    it('refuses a second broker on a data directory that is in use', async () => {
      await expect(EmbeddedKafka.start({ dataDirectory })).rejects.toThrow(DataDirectoryInUseError);
    });
  });

  it('keeps offsets and deleted segments deleted across a restart', async () => {
    const before = await lowAndHigh('sized');
    const aged = await lowAndHigh('aged');
    if (onRealEngines) {
      await broker.real?.restart();
    } else {
      await broker.stop();
      const standIn = await startStandIn();
      broker = { ...broker, bootstrapServer: standIn.bootstrapServer, port: standIn.port, standIn, stop: () => standIn.stop() };
    }
    kafka = kafkaFor(broker.bootstrapServer);
    // A restarted Kafka answers NOT_LEADER_OR_FOLLOWER until its partitions have leaders again.
    const led = () => Promise.all([lowAndHigh('aged'), lowAndHigh('sized')]).then(() => true, () => false);
    await waitFor(led, 30000, 'the partitions to be led');
    expect(await lowAndHigh('sized')).toEqual(before);
    expect(await lowAndHigh('aged')).toEqual(aged);
  });
});
