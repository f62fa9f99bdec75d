// The API's OpenAPI document, built from the real app: valid OpenAPI by a maintained validator, every reference
// resolving, every example body valid against its schema, every operation answering a documented schema for
// success and for its errors, and the app's real answers matching what the document says of them.

import { execFileSync } from 'node:child_process';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { cooperationReport, defaultEscalationPolicy, reportingPeriods, simulatePolicy } from '@engine/domain';
import { bearer, createTestApi, TestApi } from './testing/api-test-app';
import { command, DAY, HOUR, MINUTE, T0, uniformPolicy } from '../../../libs/domain/testing/report-fixtures';
import { recordHistory, TimedAction } from '../../../libs/domain/testing/recorded-histories';
import { caseIn } from './testing/report-states';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

let api: TestApi;
let doc: Json;
beforeAll(async () => {
  api = await createTestApi();
  doc = (await api.http.get('/api/docs-json')).body;
});
afterAll(() => api.close());

function operations(): { name: string; operation: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, operation: item[method] as Json })),
  );
}

/**
 * The validator ships as ES modules only, which this CommonJS test environment cannot import: it runs in a
 * child Node process, reading the document on stdin and writing its verdict.
 */
function validateWithOpenApiValidator(document: Json): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    process.stdin.on('data', (chunk) => (text += chunk)).on('end', async () => {
      const result = await new Validator().validate(JSON.parse(text));
      process.stdout.write(JSON.stringify(result));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(document), cwd: __dirname }).toString());
}

/** JSON Schema validation against the document's own schemas; `closed` also refuses properties the schema does not name. */
function schemaValidator({ closed }: { closed: boolean }): (schema: Json) => ValidateFunction {
  const copy = structuredClone(doc);
  if (closed) {
    for (const schema of Object.values(copy.components.schemas as Json)) {
      if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(copy, 'openapi.json');
  // Schemas inside the document refer to '#/components/...': rewrite them to the registered document.
  return (schema) => ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/')));
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI document', () => {
    const result = validateWithOpenApiValidator(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('the validator finds a broken document broken (the check can fail)', () => {
    const broken = structuredClone(doc);
    broken.paths['/api/reports'].get.responses = 'none';
    expect(validateWithOpenApiValidator(broken).valid).toBe(false);
  });

  it('resolves every $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]*)"/g)].map((match) => match[1]);
    expect(refs.length).toBeGreaterThan(20);
    const unresolved = refs.filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let node: unknown = doc;
      for (const part of ref.slice(2).split('/')) node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      return node === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  it('gives every request body a schema and at least one example, and each example is valid against the schema', () => {
    const compile = schemaValidator({ closed: true });
    const problems: string[] = [];
    let checked = 0;
    for (const { name, operation } of operations()) {
      if (!operation.requestBody) continue;
      const media = operation.requestBody.content?.['application/json'];
      if (!media?.schema) {
        problems.push(`${name}: no JSON schema for the body`);
        continue;
      }
      const examples = [...(media.example === undefined ? [] : [media.example]), ...Object.values((media.examples ?? {}) as Json).map((e) => e.value)];
      if (examples.length === 0) problems.push(`${name}: no example body`);
      const validate = compile(media.schema);
      for (const example of examples) {
        checked++;
        if (!validate(example)) problems.push(`${name}: example ${JSON.stringify(example)}: ${JSON.stringify(validate.errors)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it('refuses an example that breaks its schema (the check can fail)', () => {
    const compile = schemaValidator({ closed: true });
    const schema = doc.paths['/api/reports'].post.requestBody.content['application/json'].schema;
    expect(compile(schema)({ platform: 'telegram' })).toBe(false);
    expect(compile(doc.paths['/api/reports/{id}/notes'].post.requestBody.content['application/json'].schema)({ text: 'x', priority: 1 })).toBe(false);
  });

  it('documents for every operation a success answer with a schema, and its error answers with the error body', () => {
    const problems: string[] = [];
    for (const { name, operation } of operations()) {
      const responses = Object.entries(operation.responses as Json);
      const successes = responses.filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) problems.push(`${name}: no 2xx answer`);
      for (const [status, response] of successes) {
        const schemas = Object.values((response.content ?? {}) as Json).map((media) => media.schema);
        if (schemas.length === 0 || schemas.some((schema) => !schema)) problems.push(`${name}: ${status} has no schema`);
      }
      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
      if (errors.length === 0 && !name.startsWith('GET /api/contracts') && !name.startsWith('GET /api/docs')) problems.push(`${name}: no error answer documented`);
      for (const [status, response] of errors) {
        const schema = response.content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/ApiErrorDto') problems.push(`${name}: ${status} does not answer the error body`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents If-Match and Idempotency-Key on every action, its ETag, and 412 with the current ETag', () => {
    const actions = Object.entries(doc.paths as Json).filter(([path, item]) => /^\/api\/reports\/\{id\}\/[a-z-]+$/.test(path) && (item as Json).post !== undefined);
    expect(actions.length).toBeGreaterThanOrEqual(14);
    for (const [path, item] of actions) {
      const operation = item.post;
      expect([path, operation.parameters.filter((p: Json) => p.in === 'header').map((p: Json) => p.name).sort()]).toEqual([path, ['Idempotency-Key', 'If-Match']]);
      expect([path, Object.keys(operation.responses['200'].headers ?? {})]).toEqual([path, ['ETag']]);
      expect([path, Object.keys(operation.responses['412'].headers ?? {})]).toEqual([path, ['ETag']]);
    }
    expect(Object.keys(doc.paths['/api/reports/{id}'].get.responses['200'].headers)).toEqual(['ETag']);
  });
});

describe("the app's answers match the document", () => {
  const closedValidator = () => schemaValidator({ closed: true });

  function answerSchema(path: string, method: (typeof METHODS)[number], status: number): Json {
    const schema = doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} documents no JSON answer for ${status}`);
    return schema;
  }

  function expectMatches(body: unknown, schema: Json) {
    const validate = closedValidator()(schema);
    const valid = validate(body);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  }

  it('filing, reading and acting answer the report detail (with no field beyond it), for every status', async () => {
    api.reports.file.mockResolvedValueOnce({ created: true, report: caseIn('r1') });
    const filed = await api.http.post('/api/reports').set('Authorization', bearer('staff')).send(
      doc.paths['/api/reports'].post.requestBody.content['application/json'].examples['a message in a channel'].value,
    );
    expect(filed.status).toBe(201);
    expectMatches(filed.body, answerSchema('/api/reports', 'post', 201));
    for (const status of ['in-triage', 'active', 'paused', 'closed'] as const) {
      api.reports.get.mockResolvedValueOnce(caseIn('r1', status));
      const got = await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'));
      expectMatches(got.body, answerSchema('/api/reports/{id}', 'get', 200));
    }
    api.reports.act.mockResolvedValueOnce(caseIn('r1', 'paused'));
    const paused = await api.http.post('/api/reports/r1/pause').set('Authorization', bearer('staff')).send({ reason: 'other' });
    expectMatches(paused.body, answerSchema('/api/reports/{id}/pause', 'post', 200));
  });

  it('a report detail leaking the internal state would not match (the check can fail)', () => {
    const validate = closedValidator()(answerSchema('/api/reports/{id}', 'get', 200));
    expect(validate(caseIn('r1', 'active'))).toBe(false);
  });

  it('the list, the events, bulk, policies, scorecard and errors answer their documented schemas', async () => {
    const state = caseIn('r1', 'active');
    api.reports.list.mockResolvedValueOnce({
      items: [
        { reportId: 'r1', platform: 'telegram', status: 'active', severity: 'critical', category: 'threat', assignee: 'sam', filedAt: state.report.filedAt, nextDeadline: state.report.filedAt, overdueSince: state.report.filedAt, policyVersion: 1, version: 5, state },
        { reportId: 'r2', platform: 'telegram', status: 'in-triage', severity: null, category: null, assignee: null, filedAt: state.report.filedAt, nextDeadline: null, overdueSince: null, policyVersion: 1, version: 1, state: caseIn('r2') },
      ],
      total: 2,
    });
    expectMatches((await api.http.get('/api/reports').set('Authorization', bearer('viewer'))).body, answerSchema('/api/reports', 'get', 200));

    api.reports.events.mockResolvedValueOnce({
      reportId: 'r1',
      events: [{ streamVersion: 1, eventId: 'r1:1', type: 'ReportFiled', data: { reportId: 'r1' }, actor: 'sam', occurredAt: state.report.filedAt, recordedAt: state.report.filedAt }],
      integrity: { verified: false, brokenAtVersion: 1, reason: 'hash mismatch' },
    });
    expectMatches((await api.http.get('/api/reports/r1/events').set('Authorization', bearer('viewer'))).body, answerSchema('/api/reports/{id}/events', 'get', 200));

    api.reports.act.mockResolvedValueOnce(state).mockRejectedValueOnce(new Error('boom'));
    const bulk = await api.http.post('/api/reports/bulk/assignment').set('Authorization', bearer('staff')).send({ ids: ['r1', 'r2'], data: { assignee: 'sam' } });
    expect(bulk.body.results.map((result: { ok: boolean }) => result.ok)).toEqual([true, false]);
    expectMatches(bulk.body, answerSchema('/api/reports/bulk/{action}', 'post', 200));

    const version = { policy: defaultEscalationPolicy('telegram'), appliesTo: 'default' as const, changedBy: 'system', changedAt: '1970-01-01T00:00:00.000Z', reason: 'defaults' };
    api.policies.current.mockResolvedValueOnce(version);
    expectMatches((await api.http.get('/api/policies/telegram').set('Authorization', bearer('viewer'))).body, answerSchema('/api/policies/{platform}', 'get', 200));
    api.policies.versions.mockResolvedValueOnce([version]);
    expectMatches((await api.http.get('/api/policies/telegram/versions').set('Authorization', bearer('viewer'))).body, answerSchema('/api/policies/{platform}/versions', 'get', 200));
    const rollout = { id: 'policy-rollout-telegram-v2', status: 'running' as const, location: '/api/policies/telegram/rollouts/2' };
    api.policies.change.mockResolvedValueOnce({ ...version, appliesTo: 'running-cases', rollout });
    const change = doc.paths['/api/policies/{platform}'].put.requestBody.content['application/json'].examples;
    const changed = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send(Object.values(change as Json)[0].value);
    expect(changed.status).toBe(202);
    expectMatches(changed.body, answerSchema('/api/policies/{platform}', 'put', 202));
    api.policies.change.mockResolvedValueOnce({ ...version, appliesTo: 'new-cases' });
    const forNewCases = await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send({ ...Object.values(change as Json)[0].value, appliesTo: 'new-cases' });
    expect(forNewCases.status).toBe(200);
    expectMatches(forNewCases.body, answerSchema('/api/policies/{platform}', 'put', 200));
    api.policies.rollout.mockResolvedValueOnce({
      platform: 'telegram', version: 2, status: 'completed', casesFound: 3, notified: 2, skippedClosed: 1, skippedNotFiled: 0, failed: 0, failures: [],
      startedAt: '2026-02-01T09:00:00.000Z', completedAt: '2026-02-01T09:00:05.000Z',
    });
    expectMatches((await api.http.get('/api/policies/telegram/rollouts/2').set('Authorization', bearer('viewer'))).body, answerSchema('/api/policies/{platform}/rollouts/{version}', 'get', 200));

    api.platforms.scorecard.mockResolvedValueOnce({
      platform: 'telegram',
      period: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
      deletionRequests: { sent: 1, removed: 1, partiallyRemoved: 0, refused: 0, removedPercent: 100 },
      subscriberDataRequests: { sent: 0, answered: 0, supplied: 0, answeredPercent: null, suppliedPercent: null },
      escalatedRequests: 0,
      medianHoursToEffect: null,
      medianSecondsToEffect: null,
      overdueNow: 0,
    });
    expectMatches((await api.http.get('/api/platforms/telegram/scorecard').set('Authorization', bearer('viewer'))).body, answerSchema('/api/platforms/{platform}/scorecard', 'get', 200));

    const periods = reportingPeriods({ period: '2026-01' }, '2026-02-01T00:00:00.000Z');
    api.platforms.cooperationReport.mockResolvedValueOnce(cooperationReport({ platform: 'telegram', period: periods.current, previousPeriod: periods.previous, reports: [], dossierEvents: [], asOf: '2026-02-01T00:00:00.000Z' }));
    expectMatches((await api.http.get('/api/platforms/telegram/cooperation-report?period=2026-01').set('Authorization', bearer('viewer'))).body, answerSchema('/api/platforms/{platform}/cooperation-report', 'get', 200));

    const invalid = await api.http.post('/api/reports/r1/notes').set('Authorization', bearer('staff')).send({});
    expect(invalid.status).toBe(400);
    expectMatches(invalid.body, answerSchema('/api/reports/{id}/notes', 'post', 400));
    const unauthenticated = await api.http.get('/api/reports/r1');
    expectMatches(unauthenticated.body, answerSchema('/api/reports/{id}', 'get', 401));
  });

  it('a case replayed to a version and a what-if simulation answer their documented schemas, closed', async () => {
    api.reports.stateAt.mockResolvedValueOnce({ state: caseIn('r1', 'paused'), version: 6, occurredAt: '2026-02-01T10:00:00.000Z', latestVersion: 9 });
    const replayed = await api.http.get('/api/reports/r1/state?at=2026-02-01T11:00:00Z').set('Authorization', bearer('viewer'));
    expect(replayed.status).toBe(200);
    expectMatches(replayed.body, answerSchema('/api/reports/{id}/state', 'get', 200));

    // Two recorded cases, one answered after the reminder and one escalated by hand late, under a ladder of 30 minutes.
    const filed = (reportId: string): TimedAction[] => [
      { at: T0, make: (m) => command.fileReport({ reportId }, m) },
      { at: T0 + 10 * MINUTE, make: (m) => command.triageActionable('high', m) },
      { at: T0 + 20 * MINUTE, make: (m) => command.requestDeletion(m) },
    ];
    const cases = [
      recordHistory([...filed('r1'), { at: T0 + 30 * HOUR, make: (m) => command.respond({ clock: 'deletion', response: 'removed' }, m) }], T0 + 10 * DAY),
      recordHistory([...filed('r2'), { at: T0 + 3 * HOUR, make: (m) => command.escalate({ clock: 'deletion', reason: 'still online' }, m) }], T0 + 10 * DAY),
    ];
    const candidate = { ...uniformPolicy(2, 'PT30M'), holidayState: 'BY' as const };
    const simulation = simulatePolicy({ cases, candidate, asOf: new Date(T0 + 10 * DAY).toISOString() });
    expect(simulation.summary.casesWithRefusedActions).toBe(1);
    api.policies.simulate.mockResolvedValueOnce({ ...simulation, platform: 'telegram', period: { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, candidateSource: 'rules', versionInForce: 1 });
    const simulated = await api.http.post('/api/policies/telegram/simulations').set('Authorization', bearer('viewer')).send(
      doc.paths['/api/policies/{platform}/simulations'].post.requestBody.content['application/json'].examples['a half-hour first deadline for threats to life, over February'].value,
    );
    expect(simulated.status).toBe(200);
    expect(simulated.body.changedCases).toHaveLength(2);
    expectMatches(simulated.body, answerSchema('/api/policies/{platform}/simulations', 'post', 200));
  });

  it('health answers its documented schemas, up and down', async () => {
    expectMatches((await api.http.get('/health')).body, answerSchema('/health', 'get', 200));
    api.probes.kafka.mockResolvedValueOnce({ up: false, detail: 'no broker' });
    const down = await api.http.get('/health');
    expect(down.status).toBe(503);
    expectMatches(down.body, answerSchema('/health', 'get', 503));
  });
});
