// POST /api/policies/:platform/simulations over HTTP: the candidate's three forms, the refusals, the answer's shape.
import { defaultEscalationPolicy, simulatePolicy } from '@engine/domain';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { UnknownPlatformError } from '../platforms/platforms.service';
import { PolicySimulationReport, PolicySimulationRequestError } from './policy-simulations';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

const period = { from: '2026-02-01T00:00:00+01:00', to: '2026-03-01T00:00:00+01:00' };
const cells = { critical: { deletion: { 'standard-contact': { duration: 'PT30M', basis: 'calendar' } } } };

function report(): PolicySimulationReport {
  const candidate = { ...defaultEscalationPolicy('telegram'), version: 2 };
  return { ...simulatePolicy({ cases: [], candidate, asOf: '2026-03-10T00:00:00.000Z' }), platform: 'telegram', period, candidateSource: 'cells', versionInForce: 1 };
}

describe('POST /api/policies/:platform/simulations', () => {
  it.each([
    ['cells', { cells }, { cells }],
    ['a version', { version: 1 }, { version: 1 }],
    ['a whole table with a holiday state', { rules: defaultEscalationPolicy('x').rules, holidayState: 'BY' }, { rules: defaultEscalationPolicy('x').rules, holidayState: 'BY' }],
    ['a whole table with no holiday state (null)', { rules: defaultEscalationPolicy('x').rules, holidayState: null }, { rules: defaultEscalationPolicy('x').rules, holidayState: null }],
    ['cells with no holiday state (null)', { cells, holidayState: null }, { cells, holidayState: null }],
  ])('runs for a viewer with %s, and answers 200 with the comparison', async (_what, candidate, expected) => {
    api.policies.simulate.mockResolvedValueOnce(report());
    const response = await api.http.post('/api/policies/Telegram/simulations').set('Authorization', bearer('viewer')).send({ ...candidate, ...period });
    expect(response.status).toBe(200);
    expect(api.policies.simulate).toHaveBeenCalledWith('telegram', { candidate: expected, ...period });
    expect(response.body).toMatchObject({
      platform: 'telegram',
      asOf: '2026-03-10T00:00:00.000Z',
      sameWithinSeconds: 60,
      candidate: { source: 'cells', version: 2, versionInForce: 1 },
      summary: { cases: 0, casesChanged: 0, appStorePressure: { recorded: 0, simulated: 0 } },
      changedCases: [],
    });
    expect(response.body.summary.steps).toHaveLength(6);
    expect(response.body.summary.steps[0]).toEqual({
      clock: 'deletion', step: 'reminder', reached: { recorded: 0, simulated: 0 },
      changes: { earlier: 0, later: 0, unchanged: 0, notAtAll: 0, onlyUnderCandidate: 0 }, medianSecondsToStep: { recorded: null, simulated: null },
    });
  });

  it('lists the changed cases one by one, times in seconds, at most limit of them', async () => {
    const changed = (reportId: string) => ({
      reportId, filedAt: '2026-02-03T09:00:00.000Z', severity: 'high' as const, changed: true,
      steps: [{ clock: 'deletion' as const, step: 'reminder' as const, change: 'earlier' as const, recorded: '2026-02-04T09:20:00.000Z', simulated: '2026-02-03T21:20:00.000Z', shiftMs: -43_200_000 }],
      appStorePressure: { recorded: false, simulated: false },
      refused: [{ command: 'Escalate' as const, at: '2026-02-05T09:00:00.000Z', actor: 'sam', code: 'clock-not-running' as const, reason: 'No deletion request is waiting.' }],
    });
    api.policies.simulate.mockResolvedValueOnce({ ...report(), cases: [changed('r-1'), { ...changed('r-2'), changed: false }, changed('r-3')] });
    const response = await api.http.post('/api/policies/telegram/simulations').set('Authorization', bearer('viewer')).send({ cells, ...period, limit: 1 });
    expect(response.status).toBe(200);
    expect(response.body.changedCases).toEqual([
      {
        reportId: 'r-1', filedAt: '2026-02-03T09:00:00.000Z', severity: 'high',
        steps: [{ clock: 'deletion', step: 'reminder', change: 'earlier', recorded: '2026-02-04T09:20:00.000Z', simulated: '2026-02-03T21:20:00.000Z', shiftSeconds: -43_200 }],
        appStorePressure: { recorded: false, simulated: false },
        refused: [{ action: 'Escalate', at: '2026-02-05T09:00:00.000Z', actor: 'sam', code: 'clock-not-running', reason: 'No deletion request is waiting.' }],
      },
    ]);
  });

  it.each([
    ['no candidate', { ...period }, 'rules', /exactly one of version, rules, cells \(given: none\)/],
    ['two candidates', { version: 1, cells, ...period }, 'cells', /given: version, cells/],
    ['a holiday state with a version', { version: 1, holidayState: 'BY', ...period }, 'holidayState', /goes with rules or cells/],
    ['no holiday state with a version', { version: 1, holidayState: null, ...period }, 'holidayState', /goes with rules or cells/],
    ['an unknown holiday state', { cells, holidayState: 'XX', ...period }, 'holidayState', /must be one of: BW, .*or null for none/],
    ['a bad cell', { cells: { critical: { deletion: { 'standard-contact': { duration: 'P1M', basis: 'calendar' } } } }, ...period }, 'cells', /months and years/],
    ['an incomplete table', { rules: { critical: {} }, ...period }, 'rules', /is missing/],
    ['no period', { cells }, 'from', /required/],
    ['an instant without a zone', { cells, ...period, to: '2026-03-01' }, 'to', /ISO 8601 instant/],
    ['a limit over 1000', { cells, ...period, limit: 5000 }, 'limit', /1000/],
    ['an unknown field', { cells, ...period, dryRun: true }, 'dryRun', /should not exist/],
  ])('refuses %s with 400 naming the field, and simulates nothing', async (_what, body, field, problem) => {
    const response = await api.http.post('/api/policies/telegram/simulations').set('Authorization', bearer('viewer')).send(body);
    expect(response.status).toBe(400);
    const details = response.body.details as { field: string; problems: string[] }[];
    expect(details.find((d) => d.field === field)?.problems.join(' ')).toMatch(problem);
    expect(api.policies.simulate).not.toHaveBeenCalled();
  });

  it('a version that does not exist, or a period ending before it begins, is a 400 on that field', async () => {
    api.policies.simulate.mockRejectedValueOnce(new PolicySimulationRequestError('version', "The platform's policy has versions 1 to 3; there is no version 7."));
    const response = await api.http.post('/api/policies/telegram/simulations').set('Authorization', bearer('viewer')).send({ version: 7, ...period });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'version', problems: ["The platform's policy has versions 1 to 3; there is no version 7."] }]);
  });

  it('an unknown platform is a 404; no token a 401', async () => {
    api.platforms.resolve.mockRejectedValueOnce(new UnknownPlatformError('nowhere', 404));
    const unknown = await api.http.post('/api/policies/nowhere/simulations').set('Authorization', bearer('viewer')).send({ cells, ...period });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual({ code: 'unknown-platform' });
    expect((await api.http.post('/api/policies/telegram/simulations').send({ cells, ...period })).status).toBe(401);
  });
});
