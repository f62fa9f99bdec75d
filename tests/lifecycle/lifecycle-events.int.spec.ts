// Lifecycle events on Kafka: the outbox relay publishes what the workflows stored to the embedded broker (on the
// real engines: a real Apache Kafka node of this test's own, as it is stopped and started again);
// independent consumers (kafkajs and kcat) check key, headers, schema and per-report order, and one folds the same
// case list as the read model, which the projector builds from the store (and rebuilds from it once the topic lost
// its early events); the relay survives a broker restart without loss or reordering.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Kafka, logLevel } from 'kafkajs';
import { CLOUDEVENTS_SOURCE, REPORT_EVENT_TYPES, REPORTS_TOPIC, reportLifecycleMessageSchema, ReportLifecycleMessage } from '@engine/contracts';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { EventQuarantine, OutboxRelay } from '@engine/event-store';
import { evolve, initialState, ReportEvent, ReportState } from '@engine/domain';
import { ensureLifecycleTopic, KafkaLifecyclePublisher } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { rebuildReadModel } from '../../apps/worker/src/projector/rebuild-read-model';
import { StoreProjector } from '../../apps/worker/src/projector/store-projector';
import { onRealEngines, realEngines } from '../support/engines';
import { startRealKafkaBroker } from '../support/real-kafka-broker';
import { eventually, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const staff = { username: 'analyst.meyer', role: 'staff' as const };
const ajv = addFormats(new Ajv2020({ strict: true, strictRequired: false, allErrors: true }));
const validators = new Map(REPORT_EVENT_TYPES.map((type) => [type, ajv.compile(reportLifecycleMessageSchema(type))]));

const filing = (reportId: string) => ({
  reportId,
  platform: 'telegram',
  channel: 'partner-organisation' as const,
  contentLocations: [{ url: `https://t.me/c/${reportId}` }],
  excerpt: 'Insult of a politician',
  evidenceHash: 'sha256:0001',
  seenAt: '2026-03-01T20:15:00.000Z',
  reporterReference: `hateaid-${reportId}`,
});
const triage = { decision: 'actionable', category: 'insult', severity: 'standard', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } };

interface Received { key: string; headers: Record<string, string>; message: ReportLifecycleMessage; partition: number }

function kafkaClient(address: string, clientId: string): Kafka {
  return new Kafka({ brokers: [address], clientId, logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2_000 } });
}

async function readAll(address: string, expected: number): Promise<Received[]> {
  const consumer = kafkaClient(address, 'independent-consumer').consumer({ groupId: `independent-${Date.now()}` });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      received.push({ key: String(message.key), headers, message: JSON.parse(String(message.value)), partition });
    },
  });
  try {
    await eventually(async () => (received.length >= expected ? true : undefined), 20_000, `${expected} messages (have ${received.length})`);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** kcat asynchronously: the broker runs in this process, so a blocking spawn would starve it. */
function kcat(args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout });
    });
  });
}

/** Each report's messages arrive in stream order, each event id exactly once. */
function expectOrderedOncePerReport(received: Received[]): void {
  const ids = received.map((r) => r.message.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  const byReport = new Map<string, number[]>();
  for (const r of received) byReport.set(r.key, [...(byReport.get(r.key) ?? []), r.message.streamVersion]);
  for (const versions of byReport.values()) expect(versions).toEqual(versions.map((_, i) => i + 1));
}

/** A broker this test may stop and start again on the same port and data. */
interface TestBroker {
  address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function startTestBroker(dataDirectory: string): Promise<TestBroker> {
  if (onRealEngines) {
    const real = await startRealKafkaBroker({ kafkaHome: realEngines().kafkaHome, dataDir: dataDirectory });
    return { address: real.bootstrapServer, stop: () => real.stop(), start: () => real.restart() };
  }
  let embedded = await EmbeddedKafka.start({ port: 0, dataDirectory, initialRebalanceDelayMs: 50 });
  const port = embedded.port;
  return {
    address: `127.0.0.1:${port}`,
    stop: () => embedded.stop(),
    start: async () => {
      embedded = await EmbeddedKafka.start({ port, dataDirectory, initialRebalanceDelayMs: 50 });
    },
  };
}

describe(`lifecycle events on ${onRealEngines ? 'Apache Kafka' : 'the embedded Kafka broker'}`, () => {
  let stack: LifecycleStack;
  let broker: TestBroker;
  let dataDirectory: string;
  let relay: OutboxRelay;
  let publisher: KafkaLifecyclePublisher;
  let address: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'lifecycle-kafka-'));
    broker = await startTestBroker(dataDirectory);
    address = broker.address;
    stack = await startLifecycleStack();
    await stack.startWorker();
    const kafka = kafkaClient(address, 'outbox-relay');
    await ensureLifecycleTopic(kafka, { partitions: 3 });
    publisher = new KafkaLifecyclePublisher(kafka);
    relay = new OutboxRelay({ name: REPORTS_TOPIC, store: stack.eventStore, checkpoints: stack.eventStore.checkpointStore(), publisher, idlePollMs: 50, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
    relay.start();
  }, 120_000);

  afterAll(async () => {
    await relay?.stop();
    await publisher?.close();
    await stack?.stop();
    await broker?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }, 30_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));

  /** The read model in the event store's database, as the worker keeps it (one transaction with the checkpoint). */
  const storeReadModel = async () => {
    const readModel = new ReadModel(stack.eventStore.database);
    await readModel.migrate();
    await new EventQuarantine(stack.eventStore.database, stack.eventStore.schema).migrate();
    return readModel;
  };

  it('publishes every stored event once, keyed by report, with CloudEvents headers and a valid schema, in order per report', async () => {
    for (const id of ['k-1', 'k-2', 'k-3']) {
      await stack.reports.file(filing(id), staff);
      await stack.reports.act(id, 'TriageReport', triage, staff);
    }
    await stack.reports.act('k-2', 'RequestDeletion', {}, staff);
    await stack.reports.act('k-1', 'AddNote', { text: 'Partner asked for status' }, staff);
    const received = await readAll(address, 8);
    expect(received).toHaveLength(8);
    expectOrderedOncePerReport(received);
    for (const { key, headers, message } of received) {
      expect(key).toBe(message.reportId);
      expect(headers).toMatchObject({
        ce_id: message.eventId,
        ce_type: `report.${message.type}.v1`,
        ce_source: CLOUDEVENTS_SOURCE,
        ce_specversion: '1.0',
        ce_subject: message.reportId,
        ce_time: message.recordedAt,
        'content-type': 'application/json',
      });
      // The event's chain hash: whoever keeps the published events holds an anchor of the store.
      const [stored] = await stack.eventStore.readStream(`report-${message.reportId}`, message.streamVersion);
      expect(headers.ce_chainhash).toBe(stored.hash);
      const validate = validators.get(message.type)!;
      expect(validate(message) ? [] : validate.errors).toEqual([]);
    }
    // Same key, same partition: that is what keeps a report's events in order.
    const partitions = new Map<string, Set<number>>();
    for (const r of received) partitions.set(r.key, (partitions.get(r.key) ?? new Set()).add(r.partition));
    for (const set of partitions.values()) expect(set.size).toBe(1);
  }, 60_000);

  it('is readable with kcat, headers and keys included', async () => {
    if (spawnSync('kcat', ['-V']).error) {
      if (process.env.CI) throw new Error('kcat is not installed (.ci/run installs it)');
      console.warn('kcat not installed: skipping the kcat check outside CI');
      return;
    }
    const run = await kcat(['-C', '-b', address, '-t', REPORTS_TOPIC, '-e', '-q', '-f', '%k|%h|%s\\n']);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    const filed = lines.find((line) => line.startsWith('k-1|') && line.includes('ce_type=report.ReportFiled.v1'));
    expect(filed).toBeDefined();
    expect(JSON.parse(filed!.split('|').slice(2).join('|'))).toMatchObject({ eventId: 'k-1:1', type: 'ReportFiled', reportId: 'k-1' });
  }, 30_000);

  it('builds the read model from the store, and an independent consumer reading the topic from the beginning folds the same case list', async () => {
    const readModel = await storeReadModel();
    await new StoreProjector({ database: stack.eventStore.database, store: stack.eventStore, storeSchema: stack.eventStore.schema, readModel }).catchUp();
    const { items } = await readModel.list({ platform: 'telegram' });
    // Every report at its last version (k-1 filed, triaged, noted; k-2 filed, triaged, requested; k-3 filed, triaged).
    expect(Object.fromEntries(items.map((item) => [item.reportId, item.version]))).toEqual({ 'k-1': 3, 'k-2': 3, 'k-3': 2 });
    expect((await readModel.summary('k-2'))?.nextDeadline).not.toBeNull();
    expect((await readModel.timeline('k-1')).map((e) => e.type)).toEqual(['ReportFiled', 'ReportTriaged', 'NoteAdded']);

    // An integrator's view: the domain's evolve over each report's messages, in topic order.
    const folded = new Map<string, ReportState>();
    for (const { message } of await readAll(address, 8)) {
      folded.set(message.reportId, evolve(folded.get(message.reportId) ?? initialState(), { type: message.type, data: message.data, metadata: message.metadata } as ReportEvent));
    }
    expect(Object.fromEntries(folded)).toEqual(Object.fromEntries(items.map((item) => [item.reportId, item.state])));
  }, 60_000);

  it('survives a broker restart: events stored while Kafka is down arrive afterwards, once and in order', async () => {
    await broker.stop();
    await stack.reports.act('k-3', 'RequestDeletion', {}, staff);
    await stack.reports.act('k-3', 'AssignCase', { assignee: 'b.weber' }, staff);
    await stack.reports.act('k-1', 'AddNote', { text: 'Written while Kafka was down' }, staff);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the relay fails and retries meanwhile
    await broker.start();
    const received = await readAll(address, 11);
    expect(received).toHaveLength(11);
    expectOrderedOncePerReport(received);
    expect(received.filter((r) => r.key === 'k-3').map((r) => r.message.type)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'CaseAssigned']);
  }, 60_000);

  it('rebuilds the read model from position 0 of the store after the topic lost its early events', async () => {
    const readModel = await storeReadModel();
    const projector = new StoreProjector({ database: stack.eventStore.database, store: stack.eventStore, storeSchema: stack.eventStore.schema, readModel });
    await projector.catchUp();
    const before = await readModel.list({ limit: 100 });
    expect(before.total).toBe(3);
    // The topic recreated empty (as after a retention that dropped its early events): the store has them all.
    await relay.stop();
    const admin = kafkaClient(address, 'topic-admin').admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [REPORTS_TOPIC] });
      await eventually(async () => ((await admin.listTopics()).includes(REPORTS_TOPIC) ? undefined : true), 20_000, 'the topic deleted');
      await ensureLifecycleTopic(kafkaClient(address, 'topic-setup'), { partitions: 3 });
      // A real broker may answer "not the leader" for a moment while the new partitions elect theirs.
      const ends = await eventually(
        () => admin.fetchTopicOffsets(REPORTS_TOPIC).catch((error: { retriable?: boolean }) => (error.retriable ? undefined : Promise.reject(error))),
        20_000,
        'the recreated topic led',
      );
      expect(ends.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(0);
    } finally {
      await admin.disconnect();
    }
    await rebuildReadModel({ database: stack.eventStore.database, storeSchema: stack.eventStore.schema, readModel });
    expect((await readModel.list()).total).toBe(0);
    await projector.catchUp();
    expect(await readModel.list({ limit: 100 })).toEqual(before);
  }, 60_000);
});
