// Retention by time and by size: whole old segments go, the newest data and the log end offset stay.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirectoryInUseError, EmbeddedKafka } from '@engine/embedded-kafka';
import { Kafka } from 'kafkajs';
import { kafkaFor, waitFor } from './support/kafkajs';

jest.setTimeout(30000);

describe('embedded Kafka broker retention', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-retention-'));
    broker = await EmbeddedKafka.start({ dataDirectory, retentionCheckIntervalMs: 100, initialRebalanceDelayMs: 100 });
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

  const segmentFiles = (topic: string) => fs.readdirSync(path.join(dataDirectory, 'topics', topic, '0')).filter((f) => f.endsWith('.log'));

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
    await waitFor(() => (broker.topics.get('sized')?.partitions[0].log.sizeInBytes ?? Infinity) <= 1300, 10000, 'size retention');
    const { low, high } = await lowAndHigh('sized');
    expect(high).toBe(40);
    expect(low).toBeGreaterThan(0);
    expect(segmentFiles('sized').length).toBeLessThanOrEqual(5);
    const stored = broker.topics.get('sized')?.partitions[0].log.read(39, 1 << 20) as Buffer;
    expect(stored.includes(Buffer.from('payload-39-'))).toBe(true);
  });

  it('refuses a second broker on a data directory that is in use', async () => {
    await expect(EmbeddedKafka.start({ dataDirectory })).rejects.toThrow(DataDirectoryInUseError);
  });

  it('keeps offsets and deleted segments deleted across a restart', async () => {
    const before = await lowAndHigh('sized');
    const aged = await lowAndHigh('aged');
    await broker.stop();
    broker = await EmbeddedKafka.start({ dataDirectory, retentionCheckIntervalMs: 100, initialRebalanceDelayMs: 100 });
    kafka = kafkaFor(broker.bootstrapServer);
    expect(await lowAndHigh('sized')).toEqual(before);
    expect(await lowAndHigh('aged')).toEqual(aged);
  });
});
