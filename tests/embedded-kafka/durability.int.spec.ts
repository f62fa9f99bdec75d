// Durability across SIGKILL: a restart on the same data must still hold every acknowledged message, committed
// offset and producer sequence. The stand-in runs as `dev:kafka --data <dir>` (the compiled CLI); on
// ENGINES=real a Kafka node of the suite's own is killed and restarted. Stand-in only: cutting off a torn tail
// of its own segment files, and its CLI's exit code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import { describeStandInOnly, onRealEngines, realEngines } from '../support/engines';
import { RealKafkaBroker, startRealKafkaBroker } from '../support/real-kafka-broker';
import { BrokerProcess, killBroker, startBrokerProcess } from './support/broker-process';
import { kafkaFor, waitFor } from './support/kafkajs';
import { FAST_NODE } from './support/target';
import { Body, RawClient, encodeRecordBatch, parseProduceResponse, produceRequest } from './support/raw-client';

jest.setTimeout(60000);

const TOPIC = 'lifecycle.v1';

/** A broker that can crash and come back on the same port and data. */
interface CrashableBroker {
  bootstrapServer: string;
  port: number;
  /** Output since the last (re)start. */
  output(): string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function startCrashable(dataDirectory: string): Promise<CrashableBroker> {
  if (onRealEngines) {
    const real: RealKafkaBroker = await startRealKafkaBroker({ kafkaHome: realEngines().kafkaHome, dataDir: dataDirectory, properties: FAST_NODE });
    return { ...real, output: () => real.output(), kill: () => real.stop('SIGKILL'), restart: () => real.restart(), stop: () => real.stop('SIGKILL') };
  }
  const args = (port: number) => ['--port', String(port), '--data', dataDirectory, '--initial-rebalance-delay-ms', '100'];
  let process: BrokerProcess = await startBrokerProcess(args(0));
  const port = process.port;
  return {
    bootstrapServer: process.bootstrapServer,
    port,
    output: () => process.output(),
    kill: async () => void (await killBroker(process, 'SIGKILL')),
    // Same port, so clients from before the kill reconnect and carry on.
    restart: async () => void (process = await startBrokerProcess(args(port))),
    stop: async () => void (await killBroker(process, 'SIGKILL')),
  };
}

/** A restarted Kafka answers NOT_LEADER_OR_FOLLOWER (and loads its groups) for a moment; wait until it serves. */
async function untilServing(kafka: Kafka, topic: string, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(() => admin.fetchTopicOffsets(topic).then(() => admin.fetchOffsets({ groupId, topics: [topic] })).then(() => true, () => false), 30000, 'the restarted broker to serve');
  } finally {
    await admin.disconnect();
  }
}

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

describe('Kafka broker durability (SIGKILL, restart)', () => {
  let dataDirectory: string;
  let broker: CrashableBroker;
  let kafka: Kafka;
  const rawClients: RawClient[] = [];

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-durability-'));
    broker = await startCrashable(dataDirectory);
    kafka = kafkaFor(broker.bootstrapServer);
  });
  afterAll(async () => {
    for (const client of rawClients.splice(0)) client.close();
    await broker?.stop();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const raw = async (port: number) => {
    const client = await RawClient.connect(port);
    rawClients.push(client);
    return client;
  };

  // Written before the kill, checked after the restart (two tests: a real broker's restart takes a while).
  const acknowledged: string[] = [];
  const rawOffsets: number[] = [];
  let producerId = -1;
  let producer: Producer;
  const sendRaw = async (c: RawClient, sequence: number) =>
    parseProduceResponse(
      await c.request(0, 3, produceRequest(TOPIC, 0, encodeRecordBatch({ records: [{ key: 'raw', value: `raw-${sequence}` }], producerId, producerEpoch: 0, baseSequence: sequence }))),
    );

  it('acknowledges messages, commits offsets and producer sequences, then is killed (SIGKILL) while producing', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();

    // Acknowledged writes from an idempotent kafkajs producer (acks=-1) and plain acks=1 writes.
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 50 } });
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
    const client = await raw(broker.port);
    const init = await client.request(22, 0, new Body().string(null).int32(60000).build());
    producerId = Number(init.readBigInt64BE(6));
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
    await broker.kill();
    stopProducing = true;
    await inFlight;
    await racer.disconnect().catch(() => undefined);
  });

  it('holds every acknowledged message, committed offset and producer sequence after a restart on the same data', async () => {
    expect(acknowledged.length).toBeGreaterThan(100);
    await broker.restart();
    kafka = kafkaFor(broker.bootstrapServer);
    await untilServing(kafka, TOPIC, 'projector');

    // The idempotent producer that lived through the kill continues with its own sequence numbers.
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'report-0', value: 'after-restart' }] });
    acknowledged.push('after-restart');
    await producer.disconnect();

    const stored = await consumeAll(kafka, TOPIC, 2);
    const all = [...stored.values()].flat();
    for (const value of acknowledged) expect(all).toContain(value);
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
    const again = await raw(broker.port);
    expect(await sendRaw(again, 2)).toEqual({ errorCode: 0, baseOffset: rawOffsets[2] });
    expect((await sendRaw(again, 3)).errorCode).toBe(0);
    expect((await sendRaw(again, 9)).errorCode).toBe(45);
    // Producer ids are not handed out twice.
    // (A restarted Kafka may first answer a retriable error while it gets a new block of ids from its quorum.)
    let reinit: Buffer = Buffer.alloc(0);
    const errors: number[] = [];
    await waitFor(async () => {
      reinit = await again.request(22, 0, new Body().string(null).int32(60000).build());
      errors.push(reinit.readInt16BE(4));
      return reinit.readInt16BE(4) === 0;
    }, 20000, 'a producer id');
    expect(errors.slice(0, -1).every((code) => code === 14 || code === 15)).toBe(true); // COORDINATOR_LOAD_IN_PROGRESS, _NOT_AVAILABLE
    expect(Number(reinit.readBigInt64BE(6))).toBeGreaterThan(producerId);
  });
});

describeStandInOnly('embedded Kafka broker CLI and segment files', () => {
  let dataDirectory: string;
  let broker: BrokerProcess | null = null;

  beforeEach(() => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-durability-'));
  });
  afterEach(async () => {
    if (broker) await killBroker(broker, 'SIGKILL');
    broker = null;
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  const start = async (port = 0) => {
    broker = await startBrokerProcess(['--port', String(port), '--data', dataDirectory, '--initial-rebalance-delay-ms', '100']);
    return broker;
  };

  it('cuts off a torn tail of its active segment (a write that never completed) on restart', async () => {
    let running = await start();
    const kafka = kafkaFor(running.bootstrapServer);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'k', value: `kept-${i}` }] });
    await producer.disconnect();
    await killBroker(running, 'SIGKILL');

    // A torn write: half a batch at the end of the partition's active segment.
    const partitionDirectory = path.join(dataDirectory, 'topics', TOPIC, '0');
    const segments = fs.readdirSync(partitionDirectory).filter((f) => f.endsWith('.log')).sort();
    const activeSegment = path.join(partitionDirectory, segments[segments.length - 1]);
    const sizeBeforeTear = fs.statSync(activeSegment).size;
    const torn = encodeRecordBatch({ records: [{ key: 'torn', value: 'never acknowledged' }] });
    fs.appendFileSync(activeSegment, torn.subarray(0, torn.length - 7));

    running = await start(running.port);
    expect(running.output()).toMatch(/truncated \d+ bytes/);
    expect(fs.statSync(activeSegment).size).toBe(sizeBeforeTear);
    const all = [...(await consumeAll(kafkaFor(running.bootstrapServer), TOPIC, 1)).values()].flat();
    expect(all).toEqual([0, 1, 2, 3, 4].map((i) => `kept-${i}`));
  });

  it('exits cleanly on SIGTERM', async () => {
    const running = await start();
    const exit = await killBroker(running, 'SIGTERM');
    expect(exit.code).toBe(0);
  });
});
