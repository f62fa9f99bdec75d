import { IllegalStepError } from '@engine/domain';
import { EngineUnavailableError, StaleVersionError } from '../reports/reports.service';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { caseIn } from '../testing/report-states';
import { MetricsService, SOURCE_TIMEOUT_MS } from './metrics.service';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('exposes requests by method, route pattern and status, refused ones included', async () => {
    api.reports.get.mockResolvedValue(caseIn('r1'));
    await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'));
    await api.http.get('/api/reports/r2').set('Authorization', bearer('viewer'));
    await api.http.get('/api/reports/r3');
    await api.http.get('/api/unknown/thing');

    const response = await api.http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(response.text, 'http_requests_total{method="GET",route="/api/reports/:id",status="200"}')).toBe(2);
    expect(sample(response.text, 'http_requests_total{method="GET",route="/api/reports/:id",status="401"}')).toBe(1);
    expect(sample(response.text, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(response.text).toContain('http_request_duration_seconds_bucket');
    expect(response.text).not.toContain('r2');
  });

  it('counts actions by type and outcome: accepted, invalid, refused, unavailable; bulk items one by one', async () => {
    const pause = (body: object) => api.http.post('/api/reports/r1/pause').set('Authorization', bearer('staff')).send(body);
    api.reports.act.mockResolvedValueOnce(caseIn('r1', 'paused'));
    expect((await pause({ reason: 'awaiting-court-order' })).status).toBe(200);
    api.reports.act.mockRejectedValueOnce(new IllegalStepError('case-paused', 'The case is already paused.'));
    expect((await pause({ reason: 'awaiting-court-order' })).status).toBe(409);
    expect((await pause({ reason: 'no such reason' })).status).toBe(400); // refused by validation, before the service
    api.reports.act.mockRejectedValueOnce(new StaleVersionError(5, 'The case is at version 5, not 4.'));
    expect((await pause({ reason: 'awaiting-court-order' }).set('If-Match', '"4"')).status).toBe(412);
    api.reports.act.mockRejectedValueOnce(new EngineUnavailableError('Temporal did not answer in time.'));
    expect((await pause({ reason: 'awaiting-court-order' })).status).toBe(503);
    expect((await api.http.post('/api/reports/r1/pause').send({ reason: 'awaiting-court-order' })).status).toBe(401); // no action
    api.reports.act.mockImplementation(async (id) => (id === 'c' ? Promise.reject(new IllegalStepError('case-not-paused', 'The case is not paused.')) : caseIn(id, 'active')));
    await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('staff')).send({ ids: ['a', 'b', 'c'] });

    const text = (await api.http.get('/metrics')).text;
    expect(sample(text, 'report_actions_total{action="PauseCase",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'report_actions_total{action="PauseCase",outcome="refused"}')).toBe(2); // 409, and 412 on a stale version
    expect(sample(text, 'report_actions_total{action="PauseCase",outcome="invalid"}')).toBe(1);
    expect(sample(text, 'report_actions_total{action="PauseCase",outcome="unavailable"}')).toBe(1);
    expect(sample(text, 'report_actions_total{action="ResumeCase",outcome="accepted"}')).toBe(2);
    expect(sample(text, 'report_actions_total{action="ResumeCase",outcome="refused"}')).toBe(1);
  });

  it('counts filings as FileReport actions', async () => {
    const response = await api.http.post('/api/reports').set('Authorization', bearer('staff')).send({});
    expect(response.status).toBe(400);
    const text = (await api.http.get('/metrics')).text;
    expect(sample(text, 'report_actions_total{action="FileReport",outcome="invalid"}')).toBe(1);
  });

  it('counts a failing or hanging source of gauges instead of failing or stalling the scrape', async () => {
    const own = await createTestApi(); // its own app: the hanging source would slow every later scrape
    try {
      const metrics = own.app.get(MetricsService);
      metrics.onScrape(async () => Promise.reject(new Error('database down')), 'database');
      metrics.onScrape(() => new Promise(() => undefined), 'kafka'); // never answers
      const started = Date.now();
      const response = await own.http.get('/metrics');
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(SOURCE_TIMEOUT_MS + 2_000);
      expect(sample(response.text, 'metrics_source_errors_total{source="database"}')).toBe(1);
      expect(sample(response.text, 'metrics_source_errors_total{source="kafka"}')).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('exposes the escalation and outbox-lag gauges other modules set', async () => {
    const metrics = api.app.get(MetricsService);
    metrics.setEscalations(7);
    metrics.setOutboxLag(42);
    const text = (await api.http.get('/metrics')).text;
    expect(sample(text, 'escalations_total')).toBe(7);
    expect(sample(text, 'outbox_lag_events')).toBe(42);
  });

  it("keeps each app's metrics in its own registry", async () => {
    const other = await createTestApi();
    try {
      const text = (await other.http.get('/metrics')).text;
      expect(sample(text, 'report_actions_total{action="PauseCase",outcome="accepted"}')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
