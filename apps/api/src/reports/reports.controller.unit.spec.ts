import { IllegalStepError } from '@engine/domain';
import { bearer, createTestApi, stateOf, TestApi } from '../testing/api-test-app';
import { caseIn } from '../testing/report-states';
import { toReportDetail } from './report-responses';
import { EngineUnavailableError, IdempotencyKeyReusedError, ReportNotFoundError, StaleVersionError, UnstorableInputError } from './reports.service';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

const staff = { username: 'sam', role: 'staff' };

const filing = {
  platform: 'telegram',
  channel: 'citizen-portal',
  contentLocations: [{ url: 'https://t.me/somechannel/123', channel: 'somechannel', messageIds: ['123'] }],
  excerpt: 'Wir wissen, wo du wohnst.',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-02-01T09:30:00Z',
  reporterReference: 'CP-2026-0042',
};

describe('actions: each route reaches ReportsService.act with its command type, the id and the actor', () => {
  const cases: [string, string, object][] = [
    ['triage', 'TriageReport', { decision: 'dismiss', reason: 'satire, not a threat' }],
    [
      'triage',
      'TriageReport',
      {
        decision: 'actionable',
        category: 'call-to-murder',
        severity: 'critical',
        actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false },
      },
    ],
    ['deletion-request', 'RequestDeletion', {}],
    ['data-request', 'RequestSubscriberData', {}],
    ['platform-response', 'RecordPlatformResponse', { clock: 'deletion', response: 'refused', reason: 'no violation found' }],
    ['platform-response', 'RecordPlatformResponse', { clock: 'subscriber-data', response: 'data-supplied' }],
    ['platform-response', 'RecordPlatformResponse', { clock: 'deletion', response: 'removed', receivedAt: '2026-02-02T09:00:00Z', effectGivenAt: '2026-02-02T08:30:00Z' }],
    ['removal-verification', 'VerifyRemoval', { result: 'still-online' }],
    ['escalation', 'Escalate', { clock: 'deletion', reason: 'death threat still online' }],
    ['pause', 'PauseCase', { reason: 'awaiting-prosecutor', note: 'StA Köln decides' }],
    ['resume', 'ResumeCase', {}],
    ['assignment', 'AssignCase', { assignee: 'alex' }],
    ['notes', 'AddNote', { text: 'Called the contact.' }],
    ['closure', 'CloseCase', { outcome: 'removed' }],
    ['reopening', 'ReopenCase', { reason: 'content back online' }],
    ['duplicate', 'MarkDuplicate', { duplicateOf: 'rep-000001' }],
    [
      'retriage',
      'RetriageReport',
      { category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true }, reason: 'Not a call to murder' },
    ],
  ];

  it.each(cases)('POST /api/reports/:id/%s → %s', async (route, type, body) => {
    const state = stateOf('rep-000042', 'active');
    api.reports.act.mockResolvedValueOnce(state);
    const response = await api.http.post(`/api/reports/rep-000042/${route}`).set('Authorization', bearer('staff')).send(body);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(toReportDetail(state));
    expect(api.reports.act).toHaveBeenCalledTimes(1);
    expect(api.reports.act).toHaveBeenCalledWith('rep-000042', type, body, staff, {});
  });

  it("refuses a platform answer whose arrival or effect time is not an instant, naming the field", async () => {
    const response = await api.http
      .post('/api/reports/rep-1/platform-response')
      .set('Authorization', bearer('staff'))
      .send({ clock: 'deletion', response: 'removed', receivedAt: 'this morning', effectGivenAt: '2026-02-02' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.details)).toMatch(/receivedAt/);
    expect(JSON.stringify(response.body.details)).toMatch(/effectGivenAt/);
    expect(api.reports.act).not.toHaveBeenCalled();
  });

  it('accepts the body-less actions without any body at all', async () => {
    api.reports.act.mockResolvedValueOnce(stateOf('rep-1', 'active'));
    const response = await api.http.post('/api/reports/rep-1/deletion-request').set('Authorization', bearer('staff'));
    expect(response.status).toBe(200);
    expect(api.reports.act).toHaveBeenCalledWith('rep-1', 'RequestDeletion', {}, staff, {});
  });

  it('passes the acting admin, not a fixed user', async () => {
    api.reports.act.mockResolvedValueOnce(stateOf('rep-1', 'closed'));
    await api.http.post('/api/reports/rep-1/closure').set('Authorization', bearer('admin')).send({ outcome: 'withdrawn' });
    expect(api.reports.act).toHaveBeenCalledWith('rep-1', 'CloseCase', { outcome: 'withdrawn' }, { username: 'ada', role: 'admin' }, {});
  });
});

describe('invalid requests: 400 with every field named, and nothing done', () => {
  const post = (path: string, body?: object) =>
    api.http.post(path).set('Authorization', bearer('staff')).send(body);

  afterEach(() => expect(api.reports.act).not.toHaveBeenCalled());

  it('refuses an unknown field', async () => {
    const response = await post('/api/reports/r1/notes', { text: 'hello', priority: 'high' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.details).toEqual([{ field: 'priority', problems: ['property priority should not exist'] }]);
  });

  it('refuses text the event store cannot keep (a NUL, an unpaired surrogate), naming the field', async () => {
    const nul = await post('/api/reports/r1/notes', { text: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.details).toEqual([{ field: 'text', problems: ['text must not contain a NUL character (\\u0000)'] }]);
    // Sent as raw JSON: the escape reaches the server as an unpaired surrogate.
    const surrogate = await api.http
      .post('/api/reports')
      .set('Authorization', bearer('staff'))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ ...filing, excerpt: 'x' }).replace('"x"', '"x\\ud800"'));
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.details).toEqual([{ field: 'excerpt', problems: [expect.stringContaining('unpaired surrogate')] }]);
    expect(api.reports.file).not.toHaveBeenCalled();
  });

  it('refuses a body nested thousands of levels deep with 400, and a NUL in a query parameter', async () => {
    const deep = await api.http
      .post('/api/reports/r1/notes')
      .set('Authorization', bearer('staff'))
      .set('content-type', 'application/json')
      .send(`{"text":${'['.repeat(5_000)}1${']'.repeat(5_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.details).toEqual([{ field: 'body', problems: ['body is nested deeper than 32 levels'] }]);

    const query = await api.http.get('/api/reports?text=%00').set('Authorization', bearer('viewer'));
    expect(query.status).toBe(400);
    expect(query.body.details).toEqual([{ field: 'text', problems: [expect.stringContaining('NUL')] }]);
  });

  it('refuses a field sent to an action that takes none', async () => {
    const response = await post('/api/reports/r1/resume', { force: true });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'force', problems: ['property force should not exist'] }]);
  });

  it('refuses a word not in the domain vocabulary, listing the allowed ones', async () => {
    const response = await post('/api/reports/r1/closure', { outcome: 'solved' });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { field: 'outcome', problems: [expect.stringContaining('outcome must be one of: removed, removed-after-escalation')] },
    ]);
  });

  it('refuses an empty or blank reason', async () => {
    for (const reason of ['', '   ']) {
      const response = await post('/api/reports/r1/reopening', { reason });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'reason', problems: ['reason must not be empty'] }]);
    }
  });

  it('says a missing field is required', async () => {
    const response = await post('/api/reports/r1/escalation', { clock: 'deletion' });
    expect(response.body.details).toEqual([{ field: 'reason', problems: ['reason is required'] }]);
  });

  it('refuses a malformed report id in the path and in the body', async () => {
    const response = await post('/api/reports/-bad!id/notes', { text: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'id', problems: [expect.stringContaining('id must be a report id')] }]);

    const tooLong = await post(`/api/reports/${'a'.repeat(129)}/notes`, { text: 'x' });
    expect(tooLong.status).toBe(400);

    const duplicate = await post('/api/reports/r1/duplicate', { duplicateOf: 'not an id' });
    expect(duplicate.body.details).toEqual([{ field: 'duplicateOf', problems: [expect.stringContaining('must be a report id')] }]);
  });

  describe('triage, discriminated by decision', () => {
    it('requires the fields of the chosen branch, with nested paths', async () => {
      const response = await post('/api/reports/r1/triage', {
        decision: 'actionable',
        category: 'threat',
        actions: { deletionRequest: 'yes', subscriberDataRequest: false, extra: 1 },
      });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          { field: 'severity', problems: ['severity is required'] },
          { field: 'actions.extra', problems: ['property extra should not exist'] },
          { field: 'actions.deletionRequest', problems: ['deletionRequest must be a boolean value'] },
          { field: 'actions.referToProsecution', problems: ['referToProsecution is required'] },
        ]),
      );
    });

    it('refuses the fields of the other branch', async () => {
      const response = await post('/api/reports/r1/triage', { decision: 'dismiss', reason: 'spam', severity: 'high' });
      expect(response.body.details).toEqual([{ field: 'severity', problems: ['severity is only allowed when decision is actionable'] }]);
    });

    it('refuses an unknown decision', async () => {
      const response = await post('/api/reports/r1/triage', { decision: 'maybe' });
      expect(response.body.details).toEqual([{ field: 'decision', problems: ['decision must be one of: dismiss, actionable'] }]);
    });
  });

  it('refuses a JSON body that is not an object, even for an action without fields', async () => {
    const response = await api.http
      .post('/api/reports/r1/resume')
      .set('Authorization', bearer('staff'))
      .set('Content-Type', 'application/json')
      .send('[]');
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'body', problems: ['the body must be a JSON object'] }]);
  });

  it('refuses a body that is not JSON, in the same error shape', async () => {
    const response = await api.http
      .post('/api/reports/r1/notes')
      .set('Authorization', bearer('staff'))
      .set('Content-Type', 'application/json')
      .send('{"text": ');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
  });
});

describe('domain and service errors', () => {
  it('maps an unknown report to 404', async () => {
    api.reports.act.mockRejectedValueOnce(new ReportNotFoundError('nope'));
    const response = await api.http.post('/api/reports/nope/resume').set('Authorization', bearer('staff'));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'There is no report with id nope.' });
  });

  it("maps a refused step to 409 with the domain's reason and code", async () => {
    api.reports.act.mockRejectedValueOnce(new IllegalStepError('case-closed', 'The case is closed; reopen it first.'));
    const response = await api.http.post('/api/reports/r1/closure').set('Authorization', bearer('staff')).send({ outcome: 'removed' });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The case is closed; reopen it first.',
      details: { code: 'case-closed' },
    });
  });

  it("maps the domain's own input refusal to 400, not 409", async () => {
    api.reports.act.mockRejectedValueOnce(new IllegalStepError('invalid-input', 'The note must not be empty.'));
    const response = await api.http.post('/api/reports/r1/notes').set('Authorization', bearer('staff')).send({ text: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The note must not be empty.', details: { code: 'invalid-input' } });
  });

  it('maps an engine that cannot serve now (no worker) to 503 with the reason', async () => {
    api.reports.get.mockRejectedValueOnce(new EngineUnavailableError('No worker serves task queue "reports": nothing was sent and nothing changed.'));
    const response = await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'No worker serves task queue "reports": nothing was sent and nothing changed.',
    });
  });

  it('maps an action the event store refuses for what it holds to 422 with the reason', async () => {
    const message = 'The event store refused the events: events[0].data.text contains the NUL character, which PostgreSQL jsonb refuses. Nothing was stored; correct the request and send it again.';
    api.reports.act.mockRejectedValueOnce(new UnstorableInputError(message));
    const response = await api.http.post('/api/reports/r1/notes').set('Authorization', bearer('staff')).send({ text: 'x' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ statusCode: 422, error: 'Unprocessable Entity', message });
  });

  it('answers 500 without internals for anything unexpected', async () => {
    api.reports.get.mockRejectedValueOnce(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'));
    const response = await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'The request could not be completed; the error was logged.',
    });
    expect(JSON.stringify(response.body)).not.toMatch(/hunter2|ECONNREFUSED/);
  });
});

describe('filing', () => {
  it('files with 201, and answers a retry with the same Idempotency-Key with 200 and the same report', async () => {
    const report = stateOf('rep-7');
    api.reports.file.mockResolvedValueOnce({ created: true, report }).mockResolvedValueOnce({ created: false, report });
    const first = await api.http.post('/api/reports').set('Authorization', bearer('staff')).set('Idempotency-Key', 'intake-81').send(filing);
    const retry = await api.http.post('/api/reports').set('Authorization', bearer('staff')).set('Idempotency-Key', 'intake-81').send(filing);
    expect(first.status).toBe(201);
    expect(first.body).toEqual(toReportDetail(report));
    expect(first.headers.location).toBe('/api/reports/rep-7');
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(api.reports.file).toHaveBeenNthCalledWith(1, filing, staff, 'intake-81');
    expect(api.reports.file).toHaveBeenNthCalledWith(2, filing, staff, 'intake-81');
  });

  it('files without a key, passing a chosen report id', async () => {
    api.reports.file.mockResolvedValueOnce({ created: true, report: stateOf('mine-1') });
    const response = await api.http.post('/api/reports').set('Authorization', bearer('staff')).send({ ...filing, reportId: 'mine-1' });
    expect(response.status).toBe(201);
    expect(api.reports.file).toHaveBeenCalledWith({ ...filing, reportId: 'mine-1' }, staff, undefined);
  });

  it('answers 422 when the key was used with another body', async () => {
    api.reports.file.mockRejectedValueOnce(new IdempotencyKeyReusedError('Idempotency-Key intake-81 was used for another report.'));
    const response = await api.http.post('/api/reports').set('Authorization', bearer('staff')).set('Idempotency-Key', 'intake-81').send(filing);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Idempotency-Key intake-81 was used for another report.',
    });
  });

  it('refuses a malformed key and a malformed filing, filing nothing', async () => {
    const badKey = await api.http.post('/api/reports').set('Authorization', bearer('staff')).set('Idempotency-Key', 'x'.repeat(256)).send(filing);
    expect(badKey.status).toBe(400);
    expect(badKey.body.details[0].field).toBe('Idempotency-Key');

    const badBody = await api.http
      .post('/api/reports')
      .set('Authorization', bearer('staff'))
      .send({ ...filing, channel: 'fax', seenAt: 'yesterday', contentLocations: [{ messageIds: ['1'] }], evidenceHash: 'abc' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['channel', 'contentLocations', 'evidenceHash', 'seenAt']);

    const noLocations = await api.http.post('/api/reports').set('Authorization', bearer('staff')).send({ ...filing, contentLocations: [] });
    expect(noLocations.body.details).toEqual([{ field: 'contentLocations', problems: ['contentLocations must contain at least 1 elements'] }]);
    expect(api.reports.file).not.toHaveBeenCalled();
  });

  it('files on the platform as it is stored, whatever the case of the name sent', async () => {
    api.reports.file.mockResolvedValueOnce({ created: true, report: stateOf('rep-8') });
    const response = await api.http.post('/api/reports').set('Authorization', bearer('staff')).send({ ...filing, platform: 'TeleGram' });
    expect(response.status).toBe(201);
    expect(api.platforms.resolve).toHaveBeenCalledWith('TeleGram');
    expect(api.reports.file).toHaveBeenCalledWith({ ...filing, platform: 'telegram' }, staff, undefined);
  });

  it('refuses a report on an unknown platform with 422, saying how an admin registers it, and files nothing', async () => {
    api.platforms.resolve.mockResolvedValueOnce(undefined);
    const response = await api.http.post('/api/reports').set('Authorization', bearer('staff')).set('Idempotency-Key', 'intake-90').send({ ...filing, platform: 'telegarm' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The platform "telegarm" is not known. An admin registers a platform with POST /api/platforms {"name": "telegarm"}; GET /api/platforms lists the known ones.',
      details: { code: 'unknown-platform' },
    });
    expect(api.reports.file).not.toHaveBeenCalled();
  });

  it('is for staff, not viewers', async () => {
    const response = await api.http.post('/api/reports').set('Authorization', bearer('viewer')).send(filing);
    expect(response.status).toBe(403);
    expect(api.reports.file).not.toHaveBeenCalled();
  });
});

describe('reading', () => {
  it('filters on a platform in any case, an unknown one matching nothing', async () => {
    api.reports.list.mockResolvedValue({ items: [], total: 0 });
    await api.http.get('/api/reports?platform=TELEGRAM').set('Authorization', bearer('viewer'));
    api.platforms.resolve.mockResolvedValueOnce(undefined);
    const unknown = await api.http.get('/api/reports?platform=Telegarm').set('Authorization', bearer('viewer'));
    expect(unknown.status).toBe(200);
    expect(api.reports.list.mock.calls.map(([filter]) => filter.platform)).toEqual(['telegram', 'telegarm']);
    api.reports.list.mockReset();
  });

  it('lists with filters, paging and the overdue instant', async () => {
    api.reports.list.mockResolvedValueOnce({ items: [], total: 0 });
    const before = Date.now();
    const response = await api.http
      .get('/api/reports?status=active&platform=telegram&severity=critical&assignee=alex&overdue=true&text=wohnst&limit=20&offset=40')
      .set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], total: 0 });
    const filter = api.reports.list.mock.calls[0][0];
    expect(filter).toEqual({
      status: 'active',
      platform: 'telegram',
      severity: 'critical',
      assignee: 'alex',
      text: 'wohnst',
      overdue: true,
      now: expect.any(String),
      sort: 'urgency',
      limit: 20,
      offset: 40,
    });
    expect(Date.parse(filter.now as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('passes overdue=false on as a filter of its own (the cases not overdue), and the urgency sort by default', async () => {
    api.reports.list.mockResolvedValueOnce({ items: [], total: 0 });
    expect((await api.http.get('/api/reports?overdue=false').set('Authorization', bearer('viewer'))).status).toBe(200);
    expect(api.reports.list.mock.calls[0][0]).toEqual({ overdue: false, now: expect.any(String), sort: 'urgency', limit: 50, offset: 0 });
    api.reports.list.mockResolvedValueOnce({ items: [], total: 0 });
    await api.http.get('/api/reports').set('Authorization', bearer('viewer'));
    expect(api.reports.list.mock.calls[1][0]).not.toHaveProperty('overdue');
  });

  it('lists each case as a summary row with where its requests stand, without its state or the policy table', async () => {
    const state = caseIn('r1', 'active');
    const row = {
      reportId: 'r1', platform: 'telegram', status: 'active', severity: 'critical', category: 'threat', assignee: 'sam',
      filedAt: '2026-02-01T09:00:00.000Z', nextDeadline: '2026-02-01T10:02:00.000Z', overdueSince: '2026-02-01T10:02:00.000Z', policyVersion: 1, version: 5, state,
    };
    api.reports.list.mockResolvedValueOnce({ items: [row], total: 7 });
    const response = await api.http.get('/api/reports').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    const { state: _internal, ...summary } = row;
    const requests = [{ kind: 'deletion', status: 'running', step: 'standard-contact', deadline: state.clocks.deletion!.deadline }];
    expect(response.body).toEqual({ items: [{ ...summary, requests }], total: 7 });
  });

  it('lists with defaults, and refuses bad paging', async () => {
    api.reports.list.mockResolvedValueOnce({ items: [], total: 0 });
    await api.http.get('/api/reports').set('Authorization', bearer('viewer'));
    expect(api.reports.list).toHaveBeenCalledWith({ sort: 'urgency', limit: 50, offset: 0 });

    const response = await api.http.get('/api/reports?limit=1000&overdue=sometimes&status=lost').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(400);
    expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'overdue', 'status']);
  });

  it('gets the state and the event stream', async () => {
    const state = stateOf('r9', 'paused');
    api.reports.get.mockResolvedValueOnce(state);
    const got = await api.http.get('/api/reports/r9').set('Authorization', bearer('viewer'));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(toReportDetail(state));
    expect(got.body).not.toHaveProperty('policy.rules');
    expect(api.reports.get).toHaveBeenCalledWith('r9');

    const stream = { reportId: 'r9', events: [], integrity: { verified: true } };
    api.reports.events.mockResolvedValueOnce(stream as never);
    const events = await api.http.get('/api/reports/r9/events').set('Authorization', bearer('viewer'));
    expect(events.body).toEqual(stream);
    expect(api.reports.events).toHaveBeenCalledWith('r9');
  });

  it("answers the timeline in the domain's words, with who and when, and 404 for no such report", async () => {
    const escalation = {
      streamVersion: 4, eventId: 'e4', type: 'RequestEscalated', actor: 'system:timer',
      occurredAt: '2026-02-03T09:00:00.000Z', recordedAt: '2026-02-03T09:00:01.000Z',
      data: { clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'deadline', deadline: '2026-02-04T09:00:00.000Z' },
    };
    api.reports.timeline.mockResolvedValueOnce([escalation]);
    const response = await api.http.get('/api/reports/r9/timeline').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(api.reports.timeline).toHaveBeenCalledWith('r9');
    const { data: _data, ...entry } = escalation;
    expect(response.body).toEqual({
      reportId: 'r9',
      entries: [{ ...entry, summary: 'Deadline elapsed: the deletion request escalated to the high-level contact, due 2026-02-04T09:00:00.000Z' }],
    });

    api.reports.timeline.mockRejectedValueOnce(new ReportNotFoundError('r404'));
    expect((await api.http.get('/api/reports/r404/timeline').set('Authorization', bearer('viewer'))).status).toBe(404);
    expect((await api.http.get('/api/reports/r9/timeline')).status).toBe(401);
  });

  it('answers the messages sent to the platform with their delivery, and 404 for no such report', async () => {
    const failing = {
      messageId: 'r9:6:reminder', kind: 'reminder', platform: 'telegram', recipient: 'standard-contact', reportId: 'r9',
      subject: 'Reminder: deletion request r9', channel: 'webhook' as const, address: 'https://contact.example/hook', attempts: 3,
      status: 'failing' as const, lastError: 'answered 503: maintenance', firstAttemptAt: '2026-02-02T09:00:00.000Z', lastAttemptAt: '2026-02-02T09:05:00.000Z',
    };
    api.reports.messages.mockResolvedValueOnce([failing]);
    const response = await api.http.get('/api/reports/r9/messages').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(api.reports.messages).toHaveBeenCalledWith('r9');
    const { platform: _platform, reportId: _reportId, ...line } = failing;
    expect(response.body).toEqual({ reportId: 'r9', messages: [line] });

    api.reports.messages.mockRejectedValueOnce(new ReportNotFoundError('r404'));
    expect((await api.http.get('/api/reports/r404/messages').set('Authorization', bearer('viewer'))).status).toBe(404);
    expect((await api.http.get('/api/reports/bad%20id/messages').set('Authorization', bearer('viewer'))).status).toBe(400);
  });
});

describe('bulk actions', () => {
  it('acts on every id and lists each result, failures included, in the order asked', async () => {
    api.reports.act.mockImplementation(async (id) => {
      if (id === 'r2') throw new IllegalStepError('case-closed', 'The case is already closed.');
      if (id === 'r3') throw new ReportNotFoundError('r3');
      if (id === 'r4') throw new Error('socket hang up at 10.1.2.3');
      return stateOf(id, 'closed');
    });
    const response = await api.http
      .post('/api/reports/bulk/closure')
      .set('Authorization', bearer('staff'))
      .send({ ids: ['r1', 'r2', 'r3', 'r4', 'r5'], data: { outcome: 'withdrawn', note: 'reporter withdrew' } });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      { reportId: 'r1', ok: true, status: 'closed' },
      { reportId: 'r2', ok: false, httpStatus: 409, error: 'Conflict', code: 'case-closed', message: 'The case is already closed.' },
      { reportId: 'r3', ok: false, httpStatus: 404, error: 'Not Found', message: 'There is no report with id r3.' },
      {
        reportId: 'r4',
        ok: false,
        httpStatus: 500,
        error: 'Internal Server Error',
        message: 'The request could not be completed; the error was logged.',
      },
      { reportId: 'r5', ok: true, status: 'closed' },
    ]);
    expect(api.reports.act).toHaveBeenCalledTimes(5);
    for (const id of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      expect(api.reports.act).toHaveBeenCalledWith(id, 'CloseCase', { outcome: 'withdrawn', note: 'reporter withdrew' }, staff, {});
    }
  });

  it('works for an action without data', async () => {
    api.reports.act.mockImplementation(async (id) => stateOf(id, 'active'));
    const response = await api.http.post('/api/reports/bulk/deletion-request').set('Authorization', bearer('staff')).send({ ids: ['a1', 'a2'] });
    expect(response.status).toBe(200);
    expect(api.reports.act).toHaveBeenCalledWith('a2', 'RequestDeletion', {}, staff, {});
  });

  it("validates data as the action's body and does nothing when it is invalid", async () => {
    const response = await api.http
      .post('/api/reports/bulk/pause')
      .set('Authorization', bearer('staff'))
      .send({ ids: ['r1'], data: { reason: 'bored', until: 'tomorrow' } });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { field: 'data.until', problems: ['property until should not exist'] },
        { field: 'data.reason', problems: [expect.stringContaining('reason must be one of')] },
      ]),
    );
    expect(api.reports.act).not.toHaveBeenCalled();
  });

  it('refuses an unknown action, bad or repeated ids, and viewers', async () => {
    const unknown = await api.http.post('/api/reports/bulk/delete').set('Authorization', bearer('staff')).send({ ids: ['r1'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ field: 'action', problems: [expect.stringContaining('action must be one of: triage')] }]);

    const badIds = await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('staff')).send({ ids: ['ok', 'not ok'] });
    expect(badIds.body.details).toEqual([{ field: 'ids', problems: ['each value in ids must be a report id'] }]);

    const repeated = await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('staff')).send({ ids: ['r1', 'r1'] });
    expect(repeated.status).toBe(400);

    const empty = await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('staff')).send({ ids: [] });
    expect(empty.status).toBe(400);

    const viewer = await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('viewer')).send({ ids: ['r1'] });
    expect(viewer.status).toBe(403);
    expect(api.reports.act).not.toHaveBeenCalled();
  });
});

describe('no lost update: the case version as ETag, If-Match and Idempotency-Key on actions', () => {
  it("answers a case's version as a strong ETag, on GET and after an action", async () => {
    api.reports.get.mockResolvedValueOnce(stateOf('r9', 'active'));
    const got = await api.http.get('/api/reports/r9').set('Authorization', bearer('viewer'));
    expect(got.headers.etag).toBe(`"${got.body.version}"`);
    api.reports.act.mockResolvedValueOnce(stateOf('r9', 'paused'));
    const acted = await api.http.post('/api/reports/r9/notes').set('Authorization', bearer('staff')).send({ text: 'x' });
    expect(acted.headers.etag).toBe(`"${acted.body.version}"`);
  });

  it('passes the If-Match version and the Idempotency-Key on to the action', async () => {
    api.reports.act.mockResolvedValueOnce(stateOf('r9', 'active'));
    const response = await api.http
      .post('/api/reports/r9/notes')
      .set('Authorization', bearer('staff'))
      .set('If-Match', '"7"')
      .set('Idempotency-Key', 'note-1')
      .send({ text: 'Called them' });
    expect(response.status).toBe(200);
    expect(api.reports.act).toHaveBeenCalledWith('r9', 'AddNote', { text: 'Called them' }, staff, { expectedVersion: 7, idempotencyKey: 'note-1' });
    api.reports.act.mockResolvedValueOnce(stateOf('r9', 'active'));
    await api.http.post('/api/reports/r9/notes').set('Authorization', bearer('staff')).set('If-Match', '*').send({ text: 'x' });
    expect(api.reports.act).toHaveBeenLastCalledWith('r9', 'AddNote', { text: 'x' }, staff, {});
  });

  it('refuses a weak or malformed If-Match with 400, doing nothing', async () => {
    for (const value of ['W/"7"', '7', '"seven"', '"1", "2"']) {
      const response = await api.http.post('/api/reports/r9/notes').set('Authorization', bearer('staff')).set('If-Match', value).send({ text: 'x' });
      expect(response.status).toBe(400);
      expect(response.body.details[0].field).toBe('If-Match');
    }
    expect(api.reports.act).not.toHaveBeenCalled();
  });

  it('answers a stale version with 412, the current version in the body and as ETag', async () => {
    api.reports.act.mockRejectedValueOnce(new StaleVersionError(9, 'The case is at version 9, not 7.'));
    const response = await api.http.post('/api/reports/r9/closure').set('Authorization', bearer('staff')).set('If-Match', '"7"').send({ outcome: 'withdrawn' });
    expect(response.status).toBe(412);
    expect(response.body).toEqual({ statusCode: 412, error: 'Precondition Failed', message: 'The case is at version 9, not 7.', details: { code: 'version-mismatch', currentVersion: 9 } });
    expect(response.headers.etag).toBe('"9"');
  });

  it('answers 422 for an Idempotency-Key reused with another action body', async () => {
    api.reports.act.mockRejectedValueOnce(new IdempotencyKeyReusedError('The Idempotency-Key "k" was already used for a different request.'));
    const response = await api.http.post('/api/reports/r9/notes').set('Authorization', bearer('staff')).set('Idempotency-Key', 'k').send({ text: 'other' });
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/different request/);
  });
});
