// GET /api/reports/:id/state over HTTP: the query's two forms, its refusals, and the answer's shape.
import { bearer, createTestApi, stateOf, TestApi } from '../testing/api-test-app';
import { toReportDetail } from './report-responses';
import { ReportHistoryPointNotFoundError, ReportNotFoundError } from './reports.service';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => jest.clearAllMocks());

const replayed = { state: stateOf('rep-000042', 'active'), version: 3, occurredAt: '2026-02-01T10:05:00.000Z', latestVersion: 7 };

describe('GET /api/reports/:id/state', () => {
  it('?atVersion=3: the report detail as it was, and the point it was folded to, for a viewer', async () => {
    api.reports.stateAt.mockResolvedValueOnce(replayed);
    const response = await api.http.get('/api/reports/rep-000042/state?atVersion=3').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...toReportDetail(replayed.state), asOf: { version: 3, occurredAt: '2026-02-01T10:05:00.000Z', latestVersion: 7 } });
    // Not the case's version tag: an old version is not one to act on (Express's own weak body tag may be there).
    expect(response.headers.etag ?? '').not.toMatch(/^"\d+"$/);
    expect(api.reports.stateAt).toHaveBeenCalledWith('rep-000042', { atVersion: 3 });
  });

  it('?at=<instant>: folded to that instant, which the answer repeats', async () => {
    api.reports.stateAt.mockResolvedValueOnce(replayed);
    const response = await api.http.get('/api/reports/rep-000042/state').query({ at: '2026-02-01T12:00:00+01:00' }).set('Authorization', bearer('viewer'));
    expect(response.status).toBe(200);
    expect(response.body.asOf).toEqual({ version: 3, occurredAt: '2026-02-01T10:05:00.000Z', requestedAt: '2026-02-01T11:00:00.000Z', latestVersion: 7 });
    expect(api.reports.stateAt).toHaveBeenCalledWith('rep-000042', { at: '2026-02-01T12:00:00+01:00' });
  });

  it.each([
    ['both given', 'atVersion=2&at=2026-02-01T12:00:00Z', 'at', /not both/],
    ['neither given', '', 'atVersion', /give atVersion/],
    ['version 0', 'atVersion=0', 'atVersion', /not be less than 1/],
    ['a version that is not a number', 'atVersion=three', 'atVersion', /integer/],
    ['a fractional version', 'atVersion=1.5', 'atVersion', /integer/],
    ['an instant without a zone', 'at=2026-02-01T12:00:00', 'at', /ISO 8601 instant/],
    ['a date that is no instant', 'at=yesterday', 'at', /ISO 8601 instant/],
  ])('refuses %s with 400 naming the parameter, and asks nothing', async (_what, query, field, problem) => {
    const response = await api.http.get(`/api/reports/rep-000042/state?${query}`).set('Authorization', bearer('viewer'));
    expect(response.status).toBe(400);
    const details = response.body.details as { field: string; problems: string[] }[];
    expect(details.find((d) => d.field === field)?.problems.join(' ')).toMatch(problem);
    expect(api.reports.stateAt).not.toHaveBeenCalled();
  });

  it('answers 404 for a point the history does not have, with the reason', async () => {
    api.reports.stateAt.mockRejectedValueOnce(new ReportHistoryPointNotFoundError('rep-000042', 'Report rep-000042 has versions 1 to 7; there is no version 9.'));
    const response = await api.http.get('/api/reports/rep-000042/state?atVersion=9').set('Authorization', bearer('viewer'));
    expect(response.status).toBe(404);
    expect(response.body.message).toBe('Report rep-000042 has versions 1 to 7; there is no version 9.');
  });

  it('answers 404 for an unknown report, 401 without a token', async () => {
    api.reports.stateAt.mockRejectedValueOnce(new ReportNotFoundError('rep-404'));
    expect((await api.http.get('/api/reports/rep-404/state?atVersion=1').set('Authorization', bearer('viewer'))).status).toBe(404);
    expect((await api.http.get('/api/reports/rep-404/state?atVersion=1')).status).toBe(401);
  });
});
