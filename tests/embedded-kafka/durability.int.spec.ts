// Durability of the embedded broker run as `dev:kafka --data <dir>`: SIGKILL in the middle of producing, then a
// restart on the same directory must still hold every acknowledged message, committed offset and producer
// sequence, and must cut off a torn tail left by a write that never completed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka } from 'kafkajs';
import { BrokerProcess, killBroker, startBrokerProcess } from './support/broker-process';
import { kafkaFor } from './support/kafkajs';
import { Body, RawClient, encodeRecordBatch, parseProduceResponse, produceRequest } from './support/raw-client';

jest.setTimeout(90000);

const TOPIC = 'lifecycle.v1';

async function consumeAll(kafka: Kafka, topic: string, partitions: number): Promise<Map<number, string[]>> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  const byPartition = new Map<number, string[]>(Array.from({ length: partitions }, (_, i) => [i, []]));
  if (expected === 0) return byPartition;
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${count} of ${expected}`)), 30000);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        byPartition.get(partition)?.push(String(message.value));
        if (++count === expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return byPartition;
}

describe('embedded Kafka broker durability (child process, SIGKILL, restart)', () => {
  let dataDirectory: string;
  let broker: BrokerProcess | null = null;
  const rawClients: RawClient[] = [];

  beforeAll(() => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-durability-'));
  });
  afterEach(async () => {
    for (const client of rawClients.splice(0)) client.close();
    if (broker) await killBroker(broker, 'SIGKILL');
    broker = null;
  });
  afterAll(() => {
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const start = async (port = 0) => {
    broker = await startBrokerProcess(['--port', String(port), '--data', dataDirectory, '--initial-rebalance-delay-ms', '100']);
    return broker;
  };
  const raw = async (port: number) => {
    const client = await RawClient.connect(port);
    rawClients.push(client);
    return client;
  };

  it('keeps every acknowledged message, committed offset and producer sequence across SIGKILL', async () => {
    let running = await start();
    let kafka = kafkaFor(running.bootstrapServer);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();

    // Acknowledged writes from an idempotent kafkajs producer (acks=-1) and plain acks=1 writes.
    const acknowledged: string[] = [];
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 50 } });
    const plainProducer = kafka.producer();
    await producer.connect();
    await plainProducer.connect();
    for (let i = 0; i < 20; i++) {
      const messages = Array.from({ length: 5 }, (_, j) => ({ key: `report-${j}`, value: `m-${i}-${j}` }));
      if (i % 2 === 0) await producer.send({ topic: TOPIC, acks: -1, messages });
      else await plainProducer.send({ topic: TOPIC, acks: 1, messages });
      acknowledged.push(...messages.map((m) => m.value));
    }
    await plainProducer.disconnect();

    // Committed offsets of a consumer group.
    const consumer = kafka.consumer({ groupId: 'projector', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await new Promise<void>((resolve) => {
      let seen = 0;
      void consumer.run({ autoCommit: false, eachMessage: async () => void (++seen === 100 && resolve()) });
    });
    await consumer.commitOffsets([
      { topic: TOPIC, partition: 0, offset: '7' },
      { topic: TOPIC, partition: 1, offset: '3' },
    ]);
    await consumer.disconnect();

    // A raw idempotent producer whose sequence state must survive.
    const client = await raw(running.port);
    const init = await client.request(22, 0, new Body().string(null).int32(60000).build());
    const producerId = Number(init.readBigInt64BE(6));
    const sendRaw = async (c: RawClient, sequence: number) =>
      parseProduceResponse(
        await c.request(0, 3, produceRequest(TOPIC, 0, encodeRecordBatch({ records: [{ key: 'raw', value: `raw-${sequence}` }], producerId, producerEpoch: 0, baseSequence: sequence }))),
      );
    const rawOffsets: number[] = [];
    for (let sequence = 0; sequence < 3; sequence++) {
      const answer = await sendRaw(client, sequence);
      expect(answer.errorCode).toBe(0);
      rawOffsets.push(answer.baseOffset);
      acknowledged.push(`raw-${sequence}`);
    }

    // Keep producing while the broker is killed: whatever was acknowledged before the kill must survive.
    // (A separate producer: one whose send was cut off would reuse that sequence number for its next batch.)
    const racer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 50 } });
    await racer.connect();
    let stopProducing = false;
    const inFlight = (async () => {
      for (let i = 0; !stopProducing; i++) {
        try {
          await racer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'late', value: `late-${i}` }] });
          if (!stopProducing) acknowledged.push(`late-${i}`);
        } catch {
          return;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exit = await killBroker(running, 'SIGKILL');
    stopProducing = true;
    expect(exit.signal).toBe('SIGKILL');
    await inFlight;
    await racer.disconnect().catch(() => undefined);

    // A torn write: half a batch at the end of partition 0's active segment.
    const partitionDirectory = path.join(dataDirectory, 'topics', TOPIC, '0');
    const segments = fs.readdirSync(partitionDirectory).filter((f) => f.endsWith('.log')).sort();
    const activeSegment = path.join(partitionDirectory, segments[segments.length - 1]);
    const sizeBeforeTear = fs.statSync(activeSegment).size;
    const torn = encodeRecordBatch({ records: [{ key: 'torn', value: 'never acknowledged' }] });
    fs.appendFileSync(activeSegment, torn.subarray(0, torn.length - 7));

    // Same port, so the kafkajs producer from before the kill can reconnect and carry on.
    running = await start(running.port);
    expect(running.output()).toMatch(/truncated \d+ bytes/);
    expect(fs.statSync(activeSegment).size).toBe(sizeBeforeTear);
    kafka = kafkaFor(running.bootstrapServer);

    // The idempotent producer that lived through the kill continues with its own sequence numbers.
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'report-0', value: 'after-restart' }] });
    acknowledged.push('after-restart');
    await producer.disconnect();

    const stored = await consumeAll(kafka, TOPIC, 2);
    const all = [...stored.values()].flat();
    for (const value of acknowledged) expect(all).toContain(value);
    expect(all).not.toContain('never acknowledged');
    expect(new Set(all).size).toBe(all.length);
    // Per key order is preserved (m-i-j for a key arrive with growing i).
    const firstKey = all.filter((v) => /^m-\d+-0$/.test(v)).map((v) => Number(v.split('-')[1]));
    expect(firstKey).toEqual([...firstKey].sort((a, b) => a - b));

    const adminAfter = kafka.admin();
    await adminAfter.connect();
    const committed = await adminAfter.fetchOffsets({ groupId: 'projector', topics: [TOPIC] });
    await adminAfter.disconnect();
    expect(committed[0].partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['7', '3']);

    // The producer's sequence state came back: a retry of sequence 2 is a duplicate with its old offset,
    // sequence 3 continues, a gap is refused.
    const again = await raw(running.port);
    expect(await sendRaw(again, 2)).toEqual({ errorCode: 0, baseOffset: rawOffsets[2] });
    expect((await sendRaw(again, 3)).errorCode).toBe(0);
    expect((await sendRaw(again, 9)).errorCode).toBe(45);
    // Producer ids are not handed out twice.
    const reinit = await again.request(22, 0, new Body().string(null).int32(60000).build());
    expect(Number(reinit.readBigInt64BE(6))).toBeGreaterThan(producerId);
  });

  it('exits cleanly on SIGTERM', async () => {
    const running = await start();
    const exit = await killBroker(running, 'SIGTERM');
    expect(exit.code).toBe(0);
  });
});
