import { createTestApi, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());
beforeEach(() => {
  jest.clearAllMocks();
  api.probes.temporal.mockResolvedValue({ up: true, detail: 'namespace default' });
  api.probes.worker.mockResolvedValue({ up: true });
  api.probes.kafka.mockResolvedValue({ up: true });
  api.probes.database.mockResolvedValue({ up: true });
});

describe('GET /health', () => {
  it('answers 200 when Temporal, Kafka and the database are up, without a token', async () => {
    const response = await api.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: { temporal: { status: 'up', message: 'namespace default' }, kafka: { status: 'up' }, database: { status: 'up' } },
    });
    expect(api.probes.kafka).toHaveBeenCalledTimes(1);
  });

  it('answers 503 naming what is down, in the error shape', async () => {
    api.probes.kafka.mockResolvedValue({ up: false, detail: 'no broker at 127.0.0.1:9092' });
    const response = await api.http.get('/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Down: kafka (no broker at 127.0.0.1:9092).',
      details: {
        status: 'error',
        error: { kafka: { status: 'down', message: 'no broker at 127.0.0.1:9092' } },
        info: { temporal: { status: 'up' }, worker: { status: 'up' }, database: { status: 'up' } },
      },
    });
  });

  it('answers 503 when no worker polls, though Temporal itself answers', async () => {
    api.probes.worker.mockResolvedValue({ up: false, detail: 'no worker has polled task queue "reports" in the last 90 s' });
    const response = await api.http.get('/health');
    expect(response.status).toBe(503);
    expect(response.body.message).toBe('Down: worker (no worker has polled task queue "reports" in the last 90 s).');
  });

  it('counts a probe that throws as down', async () => {
    api.probes.database.mockRejectedValue(new Error('PGlite is closed'));
    const response = await api.http.get('/health');
    expect(response.status).toBe(503);
    expect(response.body.details.error).toEqual({ database: { status: 'down', message: 'PGlite is closed' } });
  });

  it('stays 200 with quarantined events, marking the pipeline degraded, and answers 503 when it is stalled', async () => {
    const detail = 'degraded: relay lag 0; projector lag 0, 1 event(s) quarantined; list them with npm run quarantine';
    api.probes.pipeline.mockResolvedValueOnce({ up: true, degraded: true, detail });
    const degraded = await api.http.get('/health');
    expect(degraded.status).toBe(200);
    expect(degraded.body.details.pipeline).toEqual({ status: 'up', degraded: true, message: detail });

    api.probes.pipeline.mockResolvedValueOnce({ up: false, detail: 'down: relay lag 12 (stalled: no progress for 75 s); projector lag 0' });
    const stalled = await api.http.get('/health');
    expect(stalled.status).toBe(503);
    expect(stalled.body.message).toBe('Down: pipeline (down: relay lag 12 (stalled: no progress for 75 s); projector lag 0).');
  });

  it('lives outside the /api prefix', async () => {
    expect((await api.http.get('/api/health')).status).toBe(404);
  });
});
