// The operator's metrics on the engine as `npm start` assembles it (embedded Temporal and Kafka, PGlite, the worker
// with relay and projector, the API), in this process: real actions move the action counters, the open cases by
// status, the relay and projector lag, and an elapsed deadline shows up with its lateness; /metrics asks for
// METRICS_TOKEN when it is set.

import { DEFAULT_HTTP_DEFENCE } from '../../apps/api/src/config/http-defence-config';
import { filing } from '../lifecycle/report-filing';
import { eventually } from '../support/eventually';
import { startInProcessEngine } from '../support/in-process-engine';
import { drillRules } from '../support/drill-policy';

jest.setTimeout(120_000);

const STAFF_TOKEN = 'staff-token-metrics-0123456789';
const ADMIN_TOKEN = 'admin-token-metrics-0123456789';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const PLATFORM = 'drill';
const REPORT_ID = 'rep-metrics-1';
const FILING = { ...filing(REPORT_ID), platform: PLATFORM, evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' };
const TRIAGE = { decision: 'actionable', category: 'call-to-murder', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } };

/** One sample of a scrape; undefined when the series is absent. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("the operator's metrics on the engine", () => {
  const stops: (() => Promise<unknown>)[] = [];
  let baseUrl = '';

  const call = (method: string, path: string, body?: unknown, token = STAFF_TOKEN) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const scrape = async () => {
    const response = await call('GET', '/metrics', undefined, METRICS_TOKEN);
    expect(response.status).toBe(200);
    return response.text();
  };
  /** Scrapes until `ready` holds (projection and relay are asynchronous), returning that scrape. */
  const scrapeUntil = (ready: (text: string) => boolean, what: string) =>
    eventually(async () => {
      const text = await scrape();
      return ready(text) ? text : undefined;
    }, 30_000, what);

  beforeAll(async () => {
    const engine = await startInProcessEngine({
      authTokens: `${STAFF_TOKEN}=staff:analyst.meyer,${ADMIN_TOKEN}=admin:ada`,
      workerEnv: { KAFKA_TOPIC_PARTITIONS: '2', DOSSIER_THRESHOLD: '1' },
      http: { ...DEFAULT_HTTP_DEFENCE, metricsToken: METRICS_TOKEN },
      platforms: [PLATFORM],
    });
    stops.unshift(() => engine.stop());
    baseUrl = engine.baseUrl;
  });

  afterAll(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => undefined);
  });

  it('asks for the metrics token', async () => {
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401);
    expect((await call('GET', '/metrics', undefined, ADMIN_TOKEN)).status).toBe(401);
  });

  it('follows real actions: actions by outcome, open cases by status, lag back to 0, a deadline elapsed and how late', async () => {
    const before = await scrape();
    expect(sample(before, 'open_cases{status="in-triage"}')).toBeUndefined();
    const policy = await call('PUT', `/api/policies/${PLATFORM}`, { rules: drillRules('PT2S'), appliesTo: 'new-cases', reason: 'Escalation drill' }, ADMIN_TOKEN);
    expect([policy.status, policy.status === 200 ? '' : await policy.text()]).toEqual([200, '']);

    const filed = await call('POST', '/api/reports', FILING);
    expect([filed.status, filed.status === 201 ? '' : await filed.text()]).toEqual([201, '']);
    const afterFiling = await scrapeUntil((text) => sample(text, 'open_cases{status="in-triage"}') === 1, 'the filed case in the read model');
    expect(sample(afterFiling, 'report_actions_total{action="FileReport",outcome="accepted"}')).toBe(1);

    expect((await call('POST', `/api/reports/${REPORT_ID}/triage`, TRIAGE)).status).toBe(200);
    expect((await call('POST', `/api/reports/${REPORT_ID}/triage`, TRIAGE)).status).toBe(409);
    expect((await call('POST', `/api/reports/${REPORT_ID}/pause`, { reason: 'not a reason' })).status).toBe(400);
    const afterTriage = await scrapeUntil((text) => sample(text, 'open_cases{status="active"}') === 1, 'the triaged case active in the read model');
    expect(sample(afterTriage, 'open_cases{status="in-triage"}')).toBeUndefined();
    expect(sample(afterTriage, 'report_actions_total{action="TriageReport",outcome="accepted"}')).toBe(1);
    expect(sample(afterTriage, 'report_actions_total{action="TriageReport",outcome="refused"}')).toBe(1);
    expect(sample(afterTriage, 'report_actions_total{action="PauseCase",outcome="invalid"}')).toBe(1);

    // The deletion request's deadlines are 2 s apart: they elapse and escalate up the ladder to the app stores, whose
    // dossier is filed at once (threshold 1). The tail of the store sees each elapsed deadline and the filing.
    expect((await call('POST', `/api/reports/${REPORT_ID}/deletion-request`)).status).toBe(200);
    const elapsed = await scrapeUntil((text) => (sample(text, 'deadlines_elapsed_total{clock="deletion",step="standard-contact"}') ?? 0) >= 1, 'an elapsed deadline');
    const count = sample(elapsed, 'deadline_lateness_seconds_count{clock="deletion"}') ?? 0;
    expect(count).toBeGreaterThanOrEqual(1);
    const meanLateness = (sample(elapsed, 'deadline_lateness_seconds_sum{clock="deletion"}') ?? NaN) / count;
    expect(meanLateness).toBeGreaterThanOrEqual(0);
    expect(meanLateness).toBeLessThan(30);
    const escalated = await scrapeUntil(
      (text) => (sample(text, 'dossier_filings_total') ?? 0) >= 1 && (sample(text, 'escalations_total') ?? 0) >= 1,
      'the escalation and the dossier filed',
    );
    expect(sample(escalated, 'deadlines_elapsed_total{clock="deletion",step="high-level-contact"}')).toBe(1);

    // Everything stored gets published and projected: both lags, the events after each one's checkpoint, settle at 0.
    const settled = await scrapeUntil((text) => sample(text, 'outbox_lag_events') === 0 && sample(text, 'projector_lag_events') === 0, 'no lag');
    expect(sample(settled, 'metrics_source_errors_total{source="relay-lag"}')).toBeUndefined();
    expect(sample(settled, 'metrics_source_errors_total{source="projector-lag"}')).toBeUndefined();
    expect(sample(settled, 'metrics_source_errors_total{source="event-store"}')).toBeUndefined();
    expect(sample(settled, 'metrics_source_errors_total{source="read-model"}')).toBeUndefined();
  });
});
