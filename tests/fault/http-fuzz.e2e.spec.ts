// Property-based fuzzing of the HTTP API on `npm start`'s stack, driven by the API's own OpenAPI document: random
// bodies valid by its request schemas and hostile mutations of them (wrong types, huge and strange strings, NUL and
// lone surrogates, deep nesting, unknown and missing fields, no JSON), random path ids and query strings, on every
// route with an admin's token. No request may answer 5xx or go unanswered, and a refused one (4xx) may change no
// case: the streams it names are compared before and after, and at the end every case of the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describeStandInOnly } from '../support/engines';
import { eventually } from '../support/eventually';
import { ApiClient } from './support/api-client';
import { filingBody, TRIAGE_BODY } from './support/case-load';
import { registerPlatforms } from '../support/platforms';
import { EmbeddedEngine, TOKENS } from './support/embedded-engine';
import { FuzzRequest, OpenApiDocument, percentEncode, requestArbitrary } from './support/openapi-arbitraries';

const FUZZ_MS = Number(process.env.FUZZ_MS ?? 40_000);
const HOME = 'fuzz-home'; // the platform of the cases made here: no policy change reaches it (see below)

/** The report ids a request names (in its path or body), as they would appear in a path. */
function namedReports(request: FuzzRequest): string[] {
  const names: string[] = [];
  const inPath = /^\/api\/reports\/([^/?]+)/.exec(request.path)?.[1];
  if (inPath && inPath !== 'bulk') names.push(inPath);
  const body = request.body && 'json' in request.body ? request.body.json : undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { ids, duplicateOf, reportId } = body as Record<string, unknown>;
    if (Array.isArray(ids)) names.push(...ids.filter((id): id is string => typeof id === 'string').slice(0, 10).map(percentEncode));
    for (const id of [duplicateOf, reportId]) if (typeof id === 'string') names.push(percentEncode(id));
  }
  return [...new Set(names)].filter((name) => name.length > 0 && name.length < 1_000);
}

/** What the store holds for each named report: its stream's length and last event, or how reading it failed. */
async function streamsOf(api: ApiClient, names: string[]): Promise<Record<string, string>> {
  const heads: Record<string, string> = {};
  for (const name of names) {
    const answer = await api.get(`/api/reports/${name}/events`, TOKENS.admin);
    heads[name] = answer.status === 200 ? `${answer.body.events.length}:${answer.body.events.at(-1)?.eventId}` : `answered ${answer.status}`;
  }
  return heads;
}

describeStandInOnly('HTTP fuzzing of every route from the OpenAPI document', () => {
  let dataDir = ''; // made in beforeAll: a skipped describe runs its body but not its hooks, and would leave it behind
  let engine: EmbeddedEngine;
  let doc: OpenApiDocument;
  const cases: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-http-fuzz-'));
    engine = await EmbeddedEngine.start(dataDir);
    const api = engine.api;
    const served = await api.get('/api/docs-json', TOKENS.admin);
    expect(served.status).toBe(200);
    doc = served.body;
    await registerPlatforms(api, TOKENS.admin, [HOME, 'fuzz-policies']);
    // A case in each state: in triage, active with a running clock, paused, closed.
    for (const reference of ['in-triage', 'active', 'paused', 'closed']) {
      const filed = await api.post('/api/reports', filingBody(HOME, reference));
      expect(filed.status).toBe(201);
      cases.push(filed.body.report.reportId);
    }
    const [, active, paused, closed] = cases;
    for (const id of [active, paused]) {
      expect((await api.post(`/api/reports/${id}/triage`, TRIAGE_BODY)).status).toBe(200);
      expect((await api.post(`/api/reports/${id}/deletion-request`)).status).toBe(200);
    }
    expect((await api.post(`/api/reports/${paused}/pause`, { reason: 'awaiting-prosecutor' })).status).toBe(200);
    expect((await api.post(`/api/reports/${closed}/triage`, { decision: 'dismiss', reason: 'Not unlawful' })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await engine?.stop('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('answers nothing with 5xx, answers everything, and no refused request changes a case', async () => {
    const api = engine.api;
    const before = await streamsOf(api, cases);
    const statuses = new Map<number, number>();
    const touched = new Set<string>(); // named by a request that was carried out (2xx)
    const filed = new Set<string>();
    const carriedOut = new Map<string, number>(); // 2xx changes by route, to show the fuzzing reaches the domain
    let requests = 0;
    // Policies change only on platforms without cases of this test's: a change for running cases, or a short
    // deadline, would add events to the cases on its own time and blur what a refused request did.
    const known = { reportIds: cases, platforms: ['fuzz-policies', 'telegram'] };

    await fc.assert(
      fc.asyncProperty(requestArbitrary(doc, known), async (request) => {
        requests++;
        const names = namedReports(request);
        const heads = await streamsOf(api, names);
        const answer = await api.call(request.method, request.path, {
          token: TOKENS.admin,
          headers: request.headers,
          timeoutMs: 15_000,
          ...(request.body && ('json' in request.body ? { body: request.body.json } : { rawBody: request.body.raw })),
        });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 0) throw new Error(`${request.route}: no answer within 15 s (${answer.failure})`);
        if (answer.status >= 500) throw new Error(`${request.route} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
        if (answer.status >= 400) {
          const after = await streamsOf(api, names);
          if (JSON.stringify(after) !== JSON.stringify(heads)) {
            throw new Error(`${request.route} was refused (${answer.status}) but changed the store: ${JSON.stringify(heads)} -> ${JSON.stringify(after)}`);
          }
          return;
        }
        names.forEach((name) => touched.add(name));
        if (request.method !== 'GET') carriedOut.set(request.route, (carriedOut.get(request.route) ?? 0) + 1);
        if (request.route === 'POST /api/reports') filed.add(answer.body.report.reportId);
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false, verbose: 1 },
    );
    console.log(`${requests} fuzzed requests; answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; carried out: ${JSON.stringify(Object.fromEntries(carriedOut))}`);
    expect(requests).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(requests / 4); // most requests reach validation, not only the router

    // The whole store afterwards: the cases no carried-out request named are as they were, and the read model
    // holds exactly this test's cases and the reports the fuzzing filed (no refused filing left a report).
    const untouched = cases.filter((id) => !touched.has(id));
    expect(await streamsOf(api, untouched)).toEqual(Object.fromEntries(untouched.map((id) => [id, before[id]])));
    await eventually(async () => ((await api.get('/api/reports?limit=1', TOKENS.admin)).body.total === cases.length + filed.size ? true : undefined), 30_000, 'the read model to hold every report filed');
  }, FUZZ_MS + 120_000);
});
