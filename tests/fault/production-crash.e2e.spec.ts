// The production topology (separate API, worker and relay processes on PostgreSQL; see support/topology.ts) under
// load from several clients: the worker, the relay and the API each killed with SIGKILL at a random moment and
// started again; then the broker unreachable for 30 s while actions go on. Afterwards, as for `npm start`'s stack:
// every acknowledged action stored, every stored event on Kafka in stream order, the read model and the workflows
// in agreement with the store, pending deadlines fired, every case readable within a second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onRealEngines } from '../support/engines';
import { postgresForTest } from '../support/test-database';
import { expectDeadlinesFired, expectReadsAfterRestart, expectStoreTopicAndReadModelAgree } from './support/case-checks';
import { CaseLoad, filingBody, shortFirstDeadlinePolicy, TRIAGE_BODY } from './support/case-load';
import { registerPlatforms } from '../support/platforms';
import { TOKENS } from '../e2e/engine-process';
import { Topology, TopologyProcess } from './support/topology';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const PLATFORM = 'fault-drill';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const engines = onRealEngines ? 'the real engines' : 'the stand-ins as processes';

describe(`production topology on ${engines}: processes killed (SIGKILL) and the broker down under load`, () => {
  let dataDir = ''; // made in beforeAll: a skipped describe runs its body but not its hooks, and would leave it behind
  let topology: Topology | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-topology-'));
    if (!(await postgresForTest())) return;
    topology = await Topology.start(dataDir);
    await registerPlatforms(topology.api, TOKENS.admin, [PLATFORM]);
    const policy = await topology.api.put(`/api/policies/${PLATFORM}`, shortFirstDeadlinePolicy(PLATFORM, 'PT15S'));
    expect(policy.status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await topology?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  /** Files, triages and requests deletion of a case whose first deadline (15 s) is then pending. */
  async function requested(t: Topology, reference: string): Promise<string> {
    const filed = await t.api.post('/api/reports', filingBody(PLATFORM, reference));
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;
    expect((await t.api.post(`/api/reports/${id}/triage`, TRIAGE_BODY)).status).toBe(200);
    expect((await t.api.post(`/api/reports/${id}/deletion-request`)).status).toBe(200);
    return id;
  }

  it('loses nothing when the worker, the relay and the API are each killed and restarted', async () => {
    const t = topology;
    if (!t) return;
    const load = new CaseLoad(() => t.api, { clients: 4, platform: PLATFORM });
    const sentinels: string[] = [];
    load.start();
    try {
      for (const name of ['relay', 'api', 'worker'] satisfies TopologyProcess[]) {
        const runFor = 2_000 + Math.floor(Math.random() * 4_000);
        await sleep(runFor);
        if (name !== 'api') sentinels.push(await requested(t, `sentinel-${name}`)); // a deadline pending at the kill
        console.log(`SIGKILL of the ${name} after ${runFor} ms of load`);
        expect(await t.stop(name, 'SIGKILL')).toBeNull();
        await sleep(Math.floor(Math.random() * 2_000));
        await t.start(name);
      }
      await sleep(2_000);
    } finally {
      await load.stop();
    }
    const requestedIds = () => new Set([...load.acknowledged.filter((a) => a.route === 'deletion-request').map((a) => a.reportId), ...sentinels]);
    await expectReadsAfterRestart(t.api, [...load.reports, ...sentinels], async () => {
      await load.settleFilings();
      await expectDeadlinesFired(t.api, requestedIds());
    });
    console.log(`answers during the load: ${JSON.stringify(Object.fromEntries(load.answers))}`);
    expect(load.acknowledged.length).toBeGreaterThan(20);
    // The killed relay may re-send a batch it published but had not checkpointed (at least once, by design).
    await expectStoreTopicAndReadModelAgree(t.api, { brokers: t.kafka.brokers }, [...load.reports, ...sentinels], load.acknowledged, 'allowed');
  }, 240_000);

  it('keeps acting while Kafka is unreachable for 30 s; afterwards every event arrives once, in order', async () => {
    const t = topology;
    if (!t) return;
    const load = new CaseLoad(() => t.api, { clients: 3, platform: PLATFORM, pauseMs: 100 });
    load.start();
    let duringOutage: number;
    try {
      await sleep(2_000);
      await t.kafka.stop('SIGKILL');
      const before = load.acknowledged.length;
      const answersBefore = load.answers.get(0) ?? 0;
      await sleep(30_000);
      duringOutage = load.acknowledged.length - before;
      // Actions are stored and answered without the broker: none failed for want of it.
      expect(load.answers.get(0) ?? 0).toBe(answersBefore);
      expect([...load.answers.keys()].filter((status) => status >= 500)).toEqual([]);
      await t.kafka.start();
      await sleep(3_000);
    } finally {
      await load.stop();
    }
    console.log(`${duringOutage} actions acknowledged while the broker was down; answers ${JSON.stringify(Object.fromEntries(load.answers))}`);
    expect(duringOutage).toBeGreaterThan(20);
    await expectDeadlinesFired(t.api, new Set(load.acknowledged.filter((a) => a.route === 'deletion-request').map((a) => a.reportId)));
    await expectStoreTopicAndReadModelAgree(t.api, { brokers: t.kafka.brokers }, load.reports, load.acknowledged, 'refused', { everyReport: false });
  }, 180_000);
});
