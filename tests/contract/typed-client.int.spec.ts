// The typed client (libs/api-client: openapi-fetch over the types generated from the OpenAPI document) against
// the API over real HTTP: the app as production wires it, its reports service answering through the domain's
// decider. Type-checked with the rest (`npm run typecheck`), so a change of the API under the client breaks here.

import type { AddressInfo } from 'node:net';
import { defaultEscalationPolicy, reportDecider } from '@engine/domain';
import type { ReportCommand, ReportState } from '@engine/domain';
import { ApiClient, createApiClient, ReportDetail } from '@engine/api-client';
import { createTestApi, TestApi, TOKENS } from '../../apps/api/src/testing/api-test-app';
import { ReportNotFoundError } from '../../apps/api/src/reports/reports.service';

let api: TestApi;
let baseUrl: string;
const states = new Map<string, ReportState>();

/** The reports service as a workflow would answer: each command decided and folded into the case's state. */
function decideOn(reportId: string, command: ReportCommand): ReportState {
  let state = states.get(reportId) ?? reportDecider.initialState();
  for (const event of reportDecider.decide(command, state)) state = reportDecider.evolve(state, event);
  states.set(reportId, state);
  return state;
}

beforeAll(async () => {
  api = await createTestApi();
  api.reports.file.mockImplementation(async (input, actor) => {
    const reportId = input.reportId ?? `R-${states.size + 1}`;
    const now = new Date().toISOString();
    const report = decideOn(reportId, { type: 'FileReport', data: { ...input, reportId, policy: defaultEscalationPolicy(input.platform) }, metadata: { actor: actor.username, now } });
    return { created: true, report };
  });
  api.reports.get.mockImplementation(async (reportId) => {
    const state = states.get(reportId);
    if (!state) throw new ReportNotFoundError(reportId);
    return state;
  });
  api.reports.act.mockImplementation(async (reportId, type, data, actor) => {
    if (!states.has(reportId)) throw new ReportNotFoundError(reportId);
    return decideOn(reportId, { type, data, metadata: { actor: actor.username, now: new Date().toISOString() } } as ReportCommand);
  });
  await api.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(() => api.close());

describe('the typed client', () => {
  let staff: ApiClient;
  beforeAll(() => {
    staff = createApiClient({ baseUrl, token: TOKENS.staff });
  });

  it('files a report, reads it and works it through triage and a deletion request', async () => {
    const filed = await staff.POST('/api/reports', {
      body: {
        platform: 'telegram',
        channel: 'citizen-portal',
        contentLocations: [{ url: 'https://t.me/example/1' }],
        excerpt: 'Wir wissen, wo du wohnst.',
        evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015',
        seenAt: '2026-02-01T09:30:00Z',
        reporterReference: 'CP-1',
      },
      params: { header: { 'Idempotency-Key': 'intake-1' } },
    });
    expect(filed.response.status).toBe(201);
    const reportId = filed.data!.report.reportId;
    expect(filed.response.headers.get('location')).toBe(`/api/reports/${reportId}`);

    const read = await staff.GET('/api/reports/{id}', { params: { path: { id: reportId } } });
    const detail: ReportDetail = read.data!;
    expect(detail).toMatchObject({ status: 'in-triage', version: 1, policy: { platform: 'telegram', version: 1 }, clocks: {}, nextDeadline: null });

    const triaged = await staff.POST('/api/reports/{id}/triage', {
      params: { path: { id: reportId } },
      body: { decision: 'actionable', category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } },
    });
    expect(triaged.data?.assessment?.severity).toBe('high');

    const requested = await staff.POST('/api/reports/{id}/deletion-request', { params: { path: { id: reportId } }, body: {} });
    const clock = requested.data!.clocks.deletion!;
    expect(clock).toMatchObject({ kind: 'deletion', status: 'running', step: 'standard-contact', paused: false });
    expect(clock.ladder.map((step) => `${step.step} ${step.duration} ${step.progress}`)).toEqual([
      'standard-contact PT24H current',
      'reminder PT24H ahead',
      'high-level-contact PT48H ahead',
      'app-store-pressure P7D ahead',
    ]);
    expect(requested.data!.nextDeadline).toBe(clock.deadline);
    expect(Date.parse(clock.deadline) - Date.parse(clock.requestedAt)).toBe(24 * 3_600_000);
  });

  it("reads a refusal as the API's typed error body", async () => {
    const filed = await staff.POST('/api/reports', {
      body: { platform: 'telegram', channel: 'other', contentLocations: [{ channel: 'c' }], excerpt: 'x', evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015', seenAt: '2026-02-01T09:30:00Z', reporterReference: 'CP-2' },
    });
    const id = filed.data!.report.reportId;
    const refused = await staff.POST('/api/reports/{id}/closure', { params: { path: { id } }, body: { outcome: 'removed' } });
    expect(refused.response.status).toBe(409);
    expect(refused.data).toBeUndefined();
    expect(refused.error).toMatchObject({ statusCode: 409, error: 'Conflict', details: { code: expect.any(String) } });

    const missing = await staff.GET('/api/reports/{id}', { params: { path: { id: 'no-such-report' } } });
    expect(missing.error?.statusCode).toBe(404);

    const viewer = createApiClient({ baseUrl, token: TOKENS.viewer });
    const forbidden = await viewer.POST('/api/reports/{id}/notes', { params: { path: { id } }, body: { text: 'hello' } });
    expect(forbidden.error).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it('refuses at compile time what the API does not accept', async () => {
    const id = 'R-1';
    // @ts-expect-error: a note needs its text; the API would refuse it (400), the types refuse it first.
    const refused = await staff.POST('/api/reports/{id}/notes', { params: { path: { id } }, body: {} });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.details).toEqual([{ field: 'text', problems: ['text is required'] }]);
    // @ts-expect-error: there is no such route.
    await staff.POST('/api/reports/{id}/delete', { params: { path: { id } } });
  });
});
