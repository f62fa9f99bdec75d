import { IllegalStepError } from '@engine/domain';
import { bearer, createTestApi, stateOf, TestApi } from '../testing/api-test-app';
import { MetricsService } from './metrics.service';

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
    api.reports.get.mockResolvedValue(stateOf('r1'));
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

  it('counts actions by type only when they succeed', async () => {
    api.reports.act.mockResolvedValueOnce(stateOf('r1', 'paused'));
    await api.http.post('/api/reports/r1/pause').set('Authorization', bearer('staff')).send({ reason: 'awaiting-court-order' });
    api.reports.act.mockRejectedValueOnce(new IllegalStepError('case-paused', 'The case is already paused.'));
    await api.http.post('/api/reports/r1/pause').set('Authorization', bearer('staff')).send({ reason: 'awaiting-court-order' });
    api.reports.act.mockImplementation(async (id) => stateOf(id, 'active'));
    await api.http.post('/api/reports/bulk/resume').set('Authorization', bearer('staff')).send({ ids: ['a', 'b', 'c'] });

    const text = (await api.http.get('/metrics')).text;
    expect(sample(text, 'report_actions_total{action="PauseCase"}')).toBe(1);
    expect(sample(text, 'report_actions_total{action="ResumeCase"}')).toBe(3);
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
      expect(sample(text, 'report_actions_total{action="PauseCase"}')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
