// The production path: the API and the worker as separate processes (their production entry points) against
// servers reached by address, wired the way deploy/ wires them. On the embedded run: the stand-ins for Temporal
// and Kafka, run as their own processes, and PostgreSQL. On the real engines (ENGINES=real): the real Temporal dev
// server (a namespace of this run's own), Apache Kafka and PostgreSQL. Each topology has a fresh database.
//
// Besides a plain case: the whole ladder of a drill policy with deadlines that really elapse, an admin's policy
// change reaching a running case, a worker killed with SIGKILL mid-case, and (real engines) a Kafka broker
// killed and restarted mid-flow; the topic is read from offset 0 each time: per report every stream version
// exactly once and in order, with its CloudEvents headers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { CLOUDEVENTS_SOURCE, REPORTS_TOPIC, ReportLifecycleMessage } from '@engine/contracts';
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, SEVERITIES } from '@engine/domain';
import { PROJECTOR_GROUP_ID } from '../../apps/worker/src/projector/projector.service';
import { describeRealEnginesOnly, onRealEngines, realEngines } from '../support/engines';
import { eventually } from '../support/eventually';
import { RealKafkaBroker, startRealKafkaBroker } from '../support/real-kafka-broker';
import { registerTestNamespace } from '../support/temporal-namespace';
import { createTestDatabase, postgresForTest } from '../support/test-database';
import { AUTH_TOKENS, ChildProgram, freePort, httpClient, startProgram } from './engine-process';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const engines = onRealEngines ? 'the real engines' : 'the stand-ins as processes';
const evidenceHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

interface Topology {
  http: ReturnType<typeof httpClient>;
  databaseUrl: string;
  kafkaBrokers: string;
  worker: ChildProgram;
  api: ChildProgram;
  startWorker(): Promise<ChildProgram>;
  stop(): Promise<void>;
}

/**
 * A fresh read-model database wants the projector's consumer group at offset 0, as `read-model:rebuild` leaves it:
 * on a shared broker an earlier run's group sits mid-topic, and the projector would rightly stop at the first
 * event of a report it never saw filed (a gap).
 */
async function rewindProjector(brokers: string): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'e2e-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if ((await admin.listGroups()).groups.some((group) => group.groupId === PROJECTOR_GROUP_ID)) await admin.deleteGroups([PROJECTOR_GROUP_ID]);
  } finally {
    await admin.disconnect();
  }
}

/** The API and the worker processes; Temporal, Kafka and the database as this stack has them. */
async function startTopology(options: { kafkaBrokers?: string } = {}): Promise<Topology> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const programs: ChildProgram[] = [];
  try {
    let shared: Record<string, string>;
    if (onRealEngines) {
      const registered = await registerTestNamespace(realEngines().temporalAddress, 'e2e');
      cleanups.push(() => registered.remove());
      shared = { TEMPORAL_ADDRESS: realEngines().temporalAddress, TEMPORAL_NAMESPACE: registered.namespace, KAFKA_BROKERS: options.kafkaBrokers ?? realEngines().kafkaBrokers };
      await rewindProjector(shared.KAFKA_BROKERS);
    } else {
      const [temporalPort, kafkaPort] = [await freePort(), await freePort()];
      const temporal = await startProgram('dist/libs/embedded-temporal/src/main.js', ['--port', String(temporalPort)], {}, 'listening on');
      cleanups.push(() => temporal.stop());
      const kafka = await startProgram('dist/libs/embedded-kafka/src/main.js', ['--port', String(kafkaPort), '--initial-rebalance-delay-ms', '100'], {}, 'listening on');
      cleanups.push(() => kafka.stop());
      shared = { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, KAFKA_BROKERS: options.kafkaBrokers ?? `127.0.0.1:${kafkaPort}` };
    }
    const database = await createTestDatabase('engine_e2e');
    cleanups.push(() => database.drop());
    shared.DATABASE_URL = database.url;
    const startWorker = async () => {
      const worker = await startProgram('dist/apps/worker/src/main.js', [], shared, 'Temporal worker polling', 90_000);
      programs.push(worker);
      return worker;
    };
    const worker = await startWorker();
    const apiPort = await freePort();
    // The platforms the tests file on, registered by the API at start (PLATFORMS), as an operator would list them.
    const PLATFORMS = 'telegram,drill,policy-platform,crash-platform';
    const api = await startProgram('dist/apps/api/src/main.js', [], { ...shared, PORT: String(apiPort), HOST: '127.0.0.1', AUTH_TOKENS, PLATFORMS }, 'listening on', 90_000);
    programs.push(api);
    return {
      http: httpClient(`http://127.0.0.1:${apiPort}`),
      databaseUrl: database.url,
      kafkaBrokers: shared.KAFKA_BROKERS,
      worker,
      api,
      startWorker,
      async stop() {
        for (const program of programs.reverse()) await program.stop();
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const program of programs.reverse()) await program.stop();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

function drillRules(platform: string, duration: string) {
  const rules = defaultEscalationPolicy(platform).rules;
  for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration, basis: 'calendar' };
  return rules;
}

const filing = (platform: string, reporterReference: string) => ({
  platform,
  channel: 'citizen-portal',
  contentLocations: [{ url: `https://t.me/c/${reporterReference}` }],
  excerpt: 'Threat against a mayor',
  evidenceHash,
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference,
});
const triage = (severity = 'high') => ({ decision: 'actionable', category: 'threat', severity, actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } });

/** Files a report on `platform`, triages it and sends the deletion request; returns its id. */
async function requested(http: Topology['http'], platform: string, reference: string, severity = 'high'): Promise<string> {
  const filed = await http.post('/api/reports', filing(platform, reference));
  expect(filed.status).toBe(201);
  const id = filed.body.report.reportId as string;
  expect((await http.post(`/api/reports/${id}/triage`, triage(severity))).status).toBe(200);
  expect((await http.post(`/api/reports/${id}/deletion-request`)).status).toBe(200);
  return id;
}

async function stateOf(http: Topology['http'], id: string) {
  return (await http.get(`/api/reports/${id}`)).body;
}

interface Received { key: string; headers: Record<string, string>; message: ReportLifecycleMessage }

/** Reads the lifecycle topic from offset 0 with a group of its own until `enough` holds for the records so far. */
async function readTopic(brokers: string, enough: (records: Received[]) => boolean, what: string): Promise<Received[]> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'e2e-reader', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2_000 } });
  const consumer = kafka.consumer({ groupId: `e2e-reader-${process.pid}-${Date.now()}` });
  const records: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        records.push({ key: String(message.key), headers, message: JSON.parse(String(message.value)) });
      },
    });
    await eventually(async () => (enough(records) ? true : undefined), 45_000, what);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The stored stream of a report (the source of truth) as the API shows it. */
async function storedTypes(http: Topology['http'], id: string): Promise<string[]> {
  const events = (await http.get(`/api/reports/${id}/events`)).body;
  expect(events.integrity).toEqual({ verified: true });
  return events.events.map((e: { type: string }) => e.type);
}

/** Per report: stream versions 1..n exactly once and in topic order, each with its CloudEvents headers. */
function expectExactlyOnceInOrder(records: Received[], stored: Record<string, string[]>): void {
  for (const [id, types] of Object.entries(stored)) {
    const ofReport = records.filter((r) => r.key === id);
    expect(ofReport.map((r) => r.message.streamVersion)).toEqual(types.map((_, i) => i + 1));
    expect(ofReport.map((r) => r.message.type)).toEqual(types);
    for (const { headers, message } of ofReport) {
      expect(headers).toMatchObject({
        ce_id: message.eventId,
        ce_type: `report.${message.type}.v1`,
        ce_source: CLOUDEVENTS_SOURCE,
        ce_specversion: '1.0',
        ce_subject: id,
        ce_time: message.recordedAt,
        'content-type': 'application/json',
      });
    }
  }
}

/** Enough records read: at least as many per report as it has events (`stored`: types, or a count). */
const allPublished = (stored: Record<string, string[] | number>) => (records: Received[]) =>
  Object.entries(stored).every(([id, types]) => records.filter((r) => r.key === id).length >= (typeof types === 'number' ? types : types.length));

describe(`production topology: separate API and worker processes on ${engines}`, () => {
  let topology: Topology | undefined;
  let skip = false;

  beforeAll(async () => {
    if (!(await postgresForTest())) {
      skip = true;
      return;
    }
    topology = await startTopology();
  }, 180_000);

  afterAll(() => topology?.stop(), 90_000);

  const running = (): Topology | undefined => (skip ? undefined : topology!);

  it('files and works a case, publishes it to Kafka, projects it', async () => {
    const t = running();
    if (!t) return;
    expect((await t.http.get('/health', null)).status).toBe(200);
    const filed = await t.http.post('/api/reports', filing('telegram', 'portal-42'));
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;
    await t.http.post(`/api/reports/${id}/triage`, { ...triage(), actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } });
    await t.http.post(`/api/reports/${id}/deletion-request`);
    const state = await t.http.post(`/api/reports/${id}/data-request`);
    expect(state.body.clocks).toMatchObject({ deletion: { status: 'running' }, 'subscriber-data': { status: 'running' } });

    // The worker's relay publishes, its projector consumes, the API lists: all through PostgreSQL and Kafka.
    const listed = await eventually(async () => {
      const items: Record<string, unknown>[] = (await t.http.get(`/api/reports?platform=telegram`)).body.items ?? [];
      return items.some((item) => item.reportId === id && item.version === 4) ? items : undefined;
    }, 30_000, 'the read model to show the case');
    expect(listed.find((item) => item.reportId === id)).toMatchObject({ status: 'active', severity: 'high', version: 4 });
    expect((await t.http.get(`/api/reports/${id}/events`)).body.integrity).toEqual({ verified: true });

    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT payload->>'kind' AS kind, status FROM platform_gateway.sent_messages ORDER BY kind`);
      expect(rows).toEqual([{ kind: 'deletion-request', status: 'recorded' }, { kind: 'subscriber-data-request', status: 'recorded' }]);
    } finally {
      await client.end();
    }
  }, 90_000);

  it('serves the web back office at / beside the API, signing in with a token (no OIDC web client set)', async () => {
    const t = running();
    if (!t) return;
    const page = await t.http.get('/', null);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await t.http.get('/api/web-config', null)).body).toEqual({ auth: 'token' });
  });

  it('climbs the whole ladder of a drill policy on its own deadlines, every step on Kafka in order', async () => {
    const t = running();
    if (!t) return;
    const policy = await t.http.put('/api/policies/drill', { rules: drillRules('drill', 'PT2S'), appliesTo: 'new-cases', reason: 'Escalation drill' });
    expect(policy.status).toBe(200);
    const id = await requested(t.http, 'drill', 'drill-1', 'critical');
    const atAppStores = await eventually(async () => {
      const state = await stateOf(t.http, id);
      return state.clocks?.deletion?.step === 'app-store-pressure' ? state : undefined;
    }, 45_000, 'the ladder to reach app-store pressure');
    expect(atAppStores.clocks.deletion).toMatchObject({ escalated: true, status: 'running' });
    // The last step's deadline passes too: the ladder is exhausted and the stream is complete.
    await eventually(async () => ((await stateOf(t.http, id)).clocks?.deletion?.status === 'exhausted' ? true : undefined), 30_000, 'the ladder to be exhausted');

    const types = await storedTypes(t.http, id);
    expect(types).toEqual([
      'ReportFiled', 'ReportTriaged', 'DeletionRequested',
      'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated',
      'DeadlineElapsed', 'EscalationLadderExhausted',
    ]);
    const escalations = (await t.http.get(`/api/reports/${id}/events`)).body.events.filter((e: { type: string }) => e.type === 'RequestEscalated');
    expect(escalations.map((e: { data: { to: string } }) => e.data.to)).toEqual(['reminder', 'high-level-contact', 'app-store-pressure']);
    const records = await readTopic(t.kafkaBrokers, allPublished({ [id]: types }), 'the ladder on Kafka');
    expectExactlyOnceInOrder(records, { [id]: types });
  }, 120_000);

  it("applies an admin's policy change to a running case: PolicyApplied, the deadline recomputed from the step's start", async () => {
    const t = running();
    if (!t) return;
    const id = await requested(t.http, 'policy-platform', 'policy-1', 'standard');
    const before = await stateOf(t.http, id);
    expect(before.policy.version).toBe(1);
    const change = await t.http.put('/api/policies/policy-platform', { rules: drillRules('policy-platform', 'PT1H'), appliesTo: 'running-cases', reason: 'Faster answers' });
    expect(change.status).toBe(202);
    expect(change.body).toMatchObject({ policy: { version: 2 }, rollout: { location: '/api/policies/policy-platform/rollouts/2' } });
    const rollout = await eventually(async () => {
      const progress = await t.http.get('/api/policies/policy-platform/rollouts/2');
      return progress.body.status === 'completed' ? progress.body : undefined;
    }, 30_000, 'the rollout to complete');
    expect(rollout).toMatchObject({ casesFound: 1, notified: 1, skippedClosed: 0, failed: 0 });
    const after = await eventually(async () => {
      const state = await stateOf(t.http, id);
      return state.policy?.version === 2 ? state : undefined;
    }, 20_000, 'the case to follow policy version 2');
    expect(Date.parse(after.clocks.deletion.deadline)).toBe(Date.parse(after.clocks.deletion.stepStartedAt) + 3_600_000);
    const events = (await t.http.get(`/api/reports/${id}/events`)).body.events;
    const applied = events.find((e: { type: string }) => e.type === 'PolicyApplied');
    expect(applied.data).toMatchObject({ previousVersion: 1, reason: 'Faster answers', deadlines: [{ clock: 'deletion', previousDeadline: before.clocks.deletion.deadline }] });
    const types = await storedTypes(t.http, id);
    const records = await readTopic(t.kafkaBrokers, allPublished({ [id]: types }), 'PolicyApplied on Kafka');
    expectExactlyOnceInOrder(records, { [id]: types });
  }, 90_000);

  it('goes on after the worker is killed (SIGKILL) mid-case and restarted: the deadline fires, nothing is lost', async () => {
    const t = running();
    if (!t) return;
    await t.http.put('/api/policies/crash-platform', { rules: drillRules('crash-platform', 'PT4S'), appliesTo: 'new-cases', reason: 'Drill' });
    const id = await requested(t.http, 'crash-platform', 'crash-1');
    expect(await t.worker.stop('SIGKILL')).toBeNull();
    // The case is still served while no worker runs: the state query waits for a worker, the stream does not.
    expect(await storedTypes(t.http, id)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested']);
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // the deadline passes while no worker runs
    t.worker = await t.startWorker();
    const escalated = await eventually(async () => {
      const state = await stateOf(t.http, id);
      return state.clocks?.deletion?.step === 'high-level-contact' ? state : undefined;
    }, 45_000, 'the deadlines to fire after the restart');
    expect(escalated.status).toBe('active');
    expect((await t.http.post(`/api/reports/${id}/notes`, { text: 'Still waiting' })).status).toBe(200);
    const types = await storedTypes(t.http, id);
    expect(types.slice(0, 7)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated']);
    expect(types).toContain('NoteAdded');
    // The relay restarts from its checkpoint: every event reaches Kafka (a batch the killed relay had sent but not
    // checkpointed may come twice; consumers drop it by ce_id), in stream order.
    const records = await readTopic(t.kafkaBrokers, allPublished({ [id]: types }), 'the case on Kafka after the restart');
    const firstOfEach = records.filter((r) => r.key === id).filter((r, i, all) => all.findIndex((o) => o.message.eventId === r.message.eventId) === i);
    expect(firstOfEach.map((r) => r.message.streamVersion)).toEqual(types.map((_, i) => i + 1));
  }, 120_000);

  it('stops both processes cleanly on SIGTERM', async () => {
    const t = running();
    if (!t) return;
    expect(await t.api.stop('SIGTERM')).toBe(0);
    expect(await t.worker.stop('SIGTERM')).toBe(0);
  }, 60_000);
});

describeRealEnginesOnly('production topology while its Kafka broker is killed and restarted', () => {
  let broker: RealKafkaBroker;
  let dataDir: string;
  let topology: Topology;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-kafka-'));
    broker = await startRealKafkaBroker({ kafkaHome: realEngines().kafkaHome, dataDir });
    topology = await startTopology({ kafkaBrokers: broker.bootstrapServer });
  }, 240_000);

  afterAll(async () => {
    await topology?.stop();
    await broker?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it("has the worker create the lifecycle topic on a bare broker: 6 partitions, retention.ms=-1 (kept for ever)", async () => {
    const admin = new Kafka({ brokers: [broker.bootstrapServer], clientId: 'e2e-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = await eventually(async () => (await admin.fetchTopicMetadata({ topics: [] })).topics.find((t) => t.name === REPORTS_TOPIC), 30_000, 'the topic');
      expect(topic.partitions).toHaveLength(6);
      const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: REPORTS_TOPIC, configNames: ['retention.ms'] }], includeSynonyms: false });
      expect(resources[0].configEntries).toMatchObject([{ configName: 'retention.ms', configValue: '-1', isDefault: false }]);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('loses, duplicates and reorders nothing per report on the topic', async () => {
    const { http } = topology;
    const ids = [await requested(http, 'telegram', 'kafka-1'), await requested(http, 'telegram', 'kafka-2')];
    await readTopic(topology.kafkaBrokers, allPublished({ [ids[0]]: 3, [ids[1]]: 3 }), 'the first events on Kafka');

    await broker.stop('SIGKILL');
    // Actions while the broker is down: stored at once, published when it is back.
    for (const id of ids) await http.post(`/api/reports/${id}/notes`, { text: 'While Kafka was down' });
    await http.post(`/api/reports/${ids[0]}/assignment`, { assignee: 'b.weber' });
    const third = await requested(http, 'telegram', 'kafka-3');
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the relay fails and retries meanwhile
    await broker.restart();
    for (const id of [...ids, third]) await http.post(`/api/reports/${id}/notes`, { text: 'After the restart' });

    const stored: Record<string, string[]> = {};
    for (const id of [...ids, third]) stored[id] = await storedTypes(http, id);
    expect(stored[ids[0]]).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'NoteAdded', 'CaseAssigned', 'NoteAdded']);
    const records = await readTopic(topology.kafkaBrokers, allPublished(stored), 'every stored event on Kafka');
    expectExactlyOnceInOrder(records, stored);
    // …and the projector, a consumer group like any other, caught up through the restart.
    await eventually(async () => {
      const items: { reportId: string; version: number }[] = (await http.get('/api/reports?platform=telegram')).body.items ?? [];
      return Object.entries(stored).every(([id, types]) => items.some((item) => item.reportId === id && item.version === types.length)) ? true : undefined;
    }, 45_000, 'the read model to catch up after the broker restart');
  }, 180_000);
});
