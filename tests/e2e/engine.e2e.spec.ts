// End to end over HTTP against `npm start`'s stack (the embedded Temporal server and Kafka broker, PGlite, the
// worker, relay, projector and API in one process): the whole lifecycle with an admin's drill policy of seconds,
// refused steps, validation, authentication, idempotent filing, bulk actions, and a restart mid-case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LADDER_STEPS } from '@engine/domain';
import { createApiClient } from '@engine/api-client';
import { eventually } from '../support/eventually';
import { EngineProcess, EnginePorts, freeEnginePorts, httpClient, startEngine, TOKENS } from './engine-process';
import { drillRules } from '../support/drill-policy';

const evidenceHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const report = (reporterReference: string) => ({
  platform: 'telegram',
  channel: 'state-police' as const,
  contentLocations: [{ url: 'https://t.me/examplechannel/4711', channel: 'examplechannel', messageIds: ['4711'] }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash,
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference,
});
const triage = { decision: 'actionable', category: 'call-to-murder', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } };

describe('the engine over HTTP (npm start)', () => {
  let dataDir: string;
  let ports: EnginePorts;
  let engine: EngineProcess;
  let http: ReturnType<typeof httpClient>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-e2e-'));
    ports = await freeEnginePorts();
    engine = await startEngine(dataDir, ports);
    http = httpClient(engine.baseUrl);
  }, 90_000);

  afterAll(async () => {
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('reports healthy dependencies', async () => {
    const health = await http.get('/health', null);
    expect(health.status).toBe(200);
    expect(health.body.info).toMatchObject({ temporal: { status: 'up' }, kafka: { status: 'up' }, database: { status: 'up' } });
  });

  it('runs the whole lifecycle: deadlines of an admin drill policy elapse and escalate up to the app stores', async () => {
    const policy = await http.put('/api/policies/telegram', { rules: drillRules('PT2S'), appliesTo: 'new-cases', reason: 'Escalation drill' });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ policy: { version: 2 }, changedBy: 'admin.kurz' });

    const filed = await http.post('/api/reports', report('LKA-BW-1'));
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;
    expect(filed.body).toMatchObject({ status: 'in-triage', policy: { version: 2 } });
    expect(filed.headers.get('location')).toBe(`/api/reports/${id}`);
    expect((await http.post(`/api/reports/${id}/triage`, triage)).status).toBe(200);
    const requested = await http.post(`/api/reports/${id}/deletion-request`);
    expect(requested.body).toMatchObject({ clocks: { deletion: { status: 'running', step: 'standard-contact' } } });

    const escalated = await eventually(async () => {
      const state = await http.get(`/api/reports/${id}`);
      return state.body.clocks?.deletion?.step === 'app-store-pressure' ? state.body : undefined;
    }, 30_000, 'the ladder to reach app-store pressure');
    expect(escalated.clocks.deletion.escalated).toBe(true);

    expect((await http.post(`/api/reports/${id}/platform-response`, { clock: 'deletion', response: 'removed' })).status).toBe(200);
    expect((await http.post(`/api/reports/${id}/removal-verification`, { result: 'gone' })).status).toBe(200);
    const closed = await http.post(`/api/reports/${id}/closure`, { outcome: 'removed-after-escalation' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closure: { outcome: 'removed-after-escalation' } });

    const events = await http.get(`/api/reports/${id}/events`);
    expect(events.body.integrity).toEqual({ verified: true });
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ReportFiled', 'ReportTriaged', 'DeletionRequested',
      'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated',
      'PlatformResponseRecorded', 'RemovalConfirmed', 'ReportClosed',
    ]);
    expect(events.body.events[0].actor).toBe('analyst.meyer');
    expect(events.body.events[3].actor).toBe('system:timer');

    // The read model follows through Kafka; the scorecard counts the request.
    const listed = await eventually(async () => {
      const list = await http.get(`/api/reports?status=closed&platform=telegram`);
      return list.body.items?.some((item: { reportId: string }) => item.reportId === id) ? list : undefined;
    }, 30_000, 'the read model to show the closed case');
    expect(listed.status).toBe(200);
    const scorecard = await http.get('/api/platforms/telegram/scorecard');
    expect(scorecard.status).toBe(200);
    expect(scorecard.body.deletionRequests.removed).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('exposes Prometheus metrics: requests, actions by type, escalations and the outbox lag', async () => {
    const metrics = await eventually(async () => {
      const scrape = await http.get('/metrics', null);
      return /^outbox_lag_events 0$/m.test(String(scrape.body)) ? String(scrape.body) : undefined;
    }, 30_000, 'the relay to catch up');
    expect(metrics).toMatch(/^report_actions_total\{action="TriageReport",outcome="accepted"\} [1-9]/m);
    expect(metrics).toMatch(/^http_requests_total\{method="POST",route="\/api\/reports",status="201"\} [1-9]/m);
    expect(Number(/^escalations_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  }, 30_000);

  it('refuses an invalid step with 409 and the reason, and changes nothing', async () => {
    const id = (await http.post('/api/reports', report('LKA-BW-2'))).body.report.reportId;
    const refused = await http.post(`/api/reports/${id}/platform-response`, { clock: 'deletion', response: 'removed' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, message: expect.stringMatching(/No deletion request has been sent/), details: { code: 'request-not-sent' } });
    const closedTwice = await http.post(`/api/reports/${id}/closure`, { outcome: 'withdrawn' });
    expect(closedTwice.status).toBe(200);
    expect((await http.post(`/api/reports/${id}/closure`, { outcome: 'withdrawn' })).status).toBe(409);
    expect((await http.get(`/api/reports/${id}/events`)).body.events).toHaveLength(2);
  }, 30_000);

  it('serves the typed client (libs/api-client): file, read, act, list, events and the policy, typed end to end', async () => {
    const staff = createApiClient({ baseUrl: engine.baseUrl, token: TOKENS.staff });
    const filed = await staff.POST('/api/reports', { body: report('LKA-BW-typed') });
    expect(filed.response.status).toBe(201);
    const id = filed.data!.report.reportId;
    const read = await staff.GET('/api/reports/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ status: 'in-triage', report: { reportId: id, platform: 'telegram' } });
    await staff.POST('/api/reports/{id}/triage', { params: { path: { id } }, body: { decision: 'actionable', category: 'threat', severity: 'standard', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } } });
    const requested = await staff.POST('/api/reports/{id}/deletion-request', { params: { path: { id } }, body: {} });
    const clock = requested.data!.clocks.deletion!;
    expect(clock.ladder.map((step) => step.step)).toEqual([...LADDER_STEPS]);
    expect(clock.ladder.find((step) => step.progress === 'current')?.step).toBe(clock.step);
    const refused = await staff.POST('/api/reports/{id}/deletion-request', { params: { path: { id } }, body: {} });
    expect(refused.error).toMatchObject({ statusCode: 409, details: { code: expect.any(String) } });

    const listed = await eventually(async () => {
      const list = await staff.GET('/api/reports', { params: { query: { platform: 'telegram', text: 'LKA-BW-typed' } } });
      return list.data?.items.find((item) => item.reportId === id && item.version === 3);
    }, 30_000, 'the read model to show the typed client\'s case');
    expect(listed).toMatchObject({ status: 'active', severity: 'standard', category: 'threat' });
    expect(listed).not.toHaveProperty('state');
    const events = await staff.GET('/api/reports/{id}/events', { params: { path: { id } } });
    expect(events.data?.events.map((event) => event.type)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested']);
    const policy = await staff.GET('/api/policies/{platform}', { params: { path: { platform: 'telegram' } } });
    expect(policy.data?.policy.rules.standard.deletion['standard-contact'].basis).toMatch(/^(calendar|business)$/);
  }, 60_000);

  it('answers bad input with 400 and the fields, an unknown report with 404', async () => {
    const bad = await http.post('/api/reports', { ...report('x'), channel: 'fax', unexpected: true });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['channel', 'unexpected']);
    expect((await http.post('/api/reports/no-such-report/notes', { text: 'x' })).status).toBe(404);
    expect((await http.get('/api/reports/no-such-report')).status).toBe(404);
  }, 30_000);

  it('requires a token (401) and the right role (403)', async () => {
    expect((await http.get('/api/reports', null)).status).toBe(401);
    expect((await http.get('/api/reports', 'not-a-token-at-all-000')).status).toBe(401);
    expect((await http.post('/api/reports', report('v'), TOKENS.viewer)).status).toBe(403);
    expect((await http.put('/api/policies/telegram', { rules: drillRules('PT1H'), appliesTo: 'new-cases', reason: 'x' }, TOKENS.staff)).status).toBe(403);
  }, 30_000);

  it('files once per Idempotency-Key', async () => {
    const first = await http.post('/api/reports', report('LKA-idem'), TOKENS.staff, { 'idempotency-key': 'e2e-key-1' });
    const again = await http.post('/api/reports', report('LKA-idem'), TOKENS.staff, { 'idempotency-key': 'e2e-key-1' });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.report.reportId).toBe(first.body.report.reportId);
    const reused = await http.post('/api/reports', report('other'), TOKENS.staff, { 'idempotency-key': 'e2e-key-1' });
    expect(reused.status).toBe(422);
  }, 30_000);

  it('runs a bulk action and lists partial failures', async () => {
    const a = (await http.post('/api/reports', report('bulk-a'))).body.report.reportId;
    const b = (await http.post('/api/reports', report('bulk-b'))).body.report.reportId;
    // b is already b.weber's (a closed case may still be assigned, so that is what refuses it here).
    await http.post(`/api/reports/${b}/assignment`, { assignee: 'b.weber' });
    const bulk = await http.post('/api/reports/bulk/assignment', { ids: [a, b, 'no-such-report'], data: { assignee: 'b.weber' } });
    expect(bulk.status).toBe(200);
    const results = bulk.body.results as { reportId: string; ok: boolean; httpStatus?: number }[];
    expect(results.map((r) => [r.reportId, r.ok, r.httpStatus])).toEqual([
      [a, true, undefined],
      [b, false, 409],
      ['no-such-report', false, 404],
    ]);
  }, 30_000);

  it('keeps two staff members from overwriting each other, takes a keyed action once, and re-triages', async () => {
    const id = (await http.post('/api/reports', report('LKA-BW-etag'))).body.report.reportId;
    const read = await http.get(`/api/reports/${id}`);
    expect(read.headers.get('etag')).toBe('"1"');
    const mine = await http.post(`/api/reports/${id}/notes`, { text: 'Called the reporter' }, TOKENS.staff, { 'If-Match': '"1"' });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('etag')).toBe('"2"');
    // The other analyst decided on version 1 too: refused, the current version given, nothing changed.
    const theirs = await http.post(`/api/reports/${id}/assignment`, { assignee: 'b.weber' }, TOKENS.staff, { 'If-Match': '"1"' });
    expect(theirs.status).toBe(412);
    expect(theirs.body).toMatchObject({ statusCode: 412, details: { code: 'version-mismatch', currentVersion: 2 } });
    expect(theirs.headers.get('etag')).toBe('"2"');

    const key = { 'Idempotency-Key': `note-${id}` };
    const first = await http.post(`/api/reports/${id}/notes`, { text: 'Platform called back' }, TOKENS.staff, key);
    const again = await http.post(`/api/reports/${id}/notes`, { text: 'Platform called back' }, TOKENS.staff, key);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect((await http.post(`/api/reports/${id}/notes`, { text: 'Something else' }, TOKENS.staff, key)).status).toBe(422);
    expect((await http.get(`/api/reports/${id}`)).body.notes.map((note: { text: string }) => note.text)).toEqual(['Called the reporter', 'Platform called back']);

    await http.post(`/api/reports/${id}/triage`, { ...triage, actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: true } });
    const notChosen = await http.post(`/api/reports/${id}/deletion-request`);
    expect(notChosen.status).toBe(409);
    expect(notChosen.body.details).toEqual({ code: 'request-not-chosen-at-triage' });
    const retriaged = await http.post(`/api/reports/${id}/retriage`, {
      category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true }, reason: 'The content must go',
    });
    expect(retriaged.body).toMatchObject({ status: 'active', assessment: { category: 'threat', severity: 'high' } });
    expect((await http.post(`/api/reports/${id}/deletion-request`)).status).toBe(200);
    const duplicate = await http.post(`/api/reports/${id}/duplicate`, { duplicateOf: 'R-20000101-00000000' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.details).toEqual({ code: 'original-report-not-found' });
  }, 30_000);

  it('lists a request that ran through its whole ladder unanswered as overdue, first, and counts it in the scorecard', async () => {
    expect((await http.post('/api/platforms', { name: 'overdue-platform' }, TOKENS.admin)).status).toBe(201);
    expect((await http.put('/api/policies/overdue-platform', { rules: drillRules('PT1S'), appliesTo: 'new-cases', reason: 'Drill' })).status).toBe(200);
    const id = (await http.post('/api/reports', { ...report('overdue'), platform: 'overdue-platform' })).body.report.reportId;
    const waiting = (await http.post('/api/reports', { ...report('waiting'), platform: 'overdue-platform' })).body.report.reportId;
    await http.post(`/api/reports/${id}/triage`, triage);
    await http.post(`/api/reports/${id}/deletion-request`);
    const exhausted = await eventually(async () => {
      const state = await http.get(`/api/reports/${id}`);
      return state.body.clocks?.deletion?.status === 'exhausted' ? state.body : undefined;
    }, 30_000, 'the ladder to run out');
    expect(exhausted).toMatchObject({ nextDeadline: null, overdueSince: exhausted.clocks.deletion.deadline });
    const overdue = await eventually(async () => {
      const list = await http.get('/api/reports?platform=overdue-platform&overdue=true');
      return list.body.items?.length === 1 ? list.body : undefined;
    }, 30_000, 'the read model to list the case as overdue');
    expect(overdue.items[0]).toMatchObject({ reportId: id, overdueSince: exhausted.clocks.deletion.deadline });
    expect((await http.get('/api/reports?platform=overdue-platform&overdue=false')).body.items.map((item: { reportId: string }) => item.reportId)).toEqual([waiting]);
    expect((await http.get('/api/reports?platform=overdue-platform')).body.items.map((item: { reportId: string }) => item.reportId)).toEqual([id, waiting]);
    expect((await http.get('/api/platforms/overdue-platform/scorecard')).body.overdueNow).toBe(1);
  }, 60_000);

  it('loses nothing when the whole stack stops mid-case and starts again', async () => {
    expect((await http.post('/api/platforms', { name: 'Restart-Platform' }, TOKENS.admin)).status).toBe(201);
    await http.put('/api/policies/restart-platform', { rules: drillRules('PT5S'), appliesTo: 'new-cases', reason: 'Drill' });
    const id = (await http.post('/api/reports', { ...report('restart'), platform: 'restart-platform' })).body.report.reportId;
    await http.post(`/api/reports/${id}/triage`, triage);
    await http.post(`/api/reports/${id}/deletion-request`);
    expect(await engine.stop('SIGTERM')).toBe(0);

    engine = await startEngine(dataDir, ports);
    http = httpClient(engine.baseUrl);
    const state = await http.get(`/api/reports/${id}`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ status: 'active', clocks: { deletion: { status: 'running' } } });
    // The registered platform is still known, by the spelling its admin gave.
    expect((await http.get('/api/platforms/RESTART-PLATFORM')).body).toMatchObject({ platform: 'restart-platform', displayName: 'Restart-Platform', registeredBy: 'admin.kurz' });
    // The timer survived: the deadline elapses after the restart.
    await eventually(async () => {
      const now = await http.get(`/api/reports/${id}`);
      return now.body.clocks?.deletion?.step === 'reminder' ? true : undefined;
    }, 30_000, 'the deadline set before the restart to elapse');
    expect((await http.post(`/api/reports/${id}/notes`, { text: 'after the restart' })).status).toBe(200);
  }, 120_000);
});
