// Replay and what-if over HTTP on the engine as `npm start` assembles it (embedded Temporal and Kafka, PGlite,
// worker, API): cases worked through the engine on a ladder of seconds, its timers firing for real, then
// GET /api/reports/:id/state steps back through one, and POST /api/policies/:platform/simulations runs them again —
// under the version in force nothing changes (the recorded timers fired a moment after their deadlines), under a
// slower reminder the ladder stops short of the high-level contact and the app stores.
import { DEFAULT_HTTP_DEFENCE } from '../../apps/api/src/config/http-defence-config';
import { eventually } from '../support/eventually';
import { startInProcessEngine } from '../support/in-process-engine';
import { drillRules } from '../support/drill-policy';

const STAFF = 'replay-staff-token';
const VIEWER = 'replay-viewer-token';
const ADMIN = 'replay-admin-token';
const PLATFORM = 'replay-platform';

/** Critical cases climb a ladder of 2 s steps; high ones give 60 s for the first answer; standard ones a day. */
const rules = () =>
  drillRules((severity, _clock, step) => (severity === 'standard' ? 'P1D' : severity === 'high' && step === 'standard-contact' ? 'PT60S' : 'PT2S'));

describe('replaying a case and simulating a policy, on the engine', () => {
  let baseUrl = '';
  let stop: () => Promise<void> = async () => undefined;

  const call = async (method: string, path: string, body?: unknown, token = STAFF) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
  };
  const act = async (id: string, action: string, body: unknown = {}) => {
    const response = await call('POST', `/api/reports/${id}/${action}`, body);
    if (response.status !== 200) throw new Error(`${action} on ${id}: ${response.status} ${response.text}`);
    return response.body;
  };
  const fileAndRequestDeletion = async (severity: string) => {
    const filed = await call('POST', '/api/reports', {
      platform: PLATFORM,
      channel: 'citizen-portal',
      contentLocations: [{ url: 'https://t.me/beispielkanal/4711' }],
      excerpt: 'Wir wissen, wo du wohnst.',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: new Date().toISOString(),
      reporterReference: `replay-${Math.random()}`,
    });
    if (filed.status !== 201) throw new Error(`filing: ${filed.status} ${filed.text}`);
    const id = filed.body.report.reportId as string;
    await act(id, 'triage', { decision: 'actionable', category: 'threat', severity, actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } });
    await act(id, 'deletion-request');
    return id;
  };

  beforeAll(async () => {
    const engine = await startInProcessEngine({
      authTokens: `${STAFF}=staff:analyst.meyer,${VIEWER}=viewer:vera,${ADMIN}=admin:ada`,
      http: DEFAULT_HTTP_DEFENCE,
      platforms: [PLATFORM],
    });
    baseUrl = engine.baseUrl;
    stop = engine.stop;
  }, 90_000);
  afterAll(() => stop(), 30_000);

  it('steps back through a case, and simulates its platform under the version in force and under a slower reminder', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    expect((await call('PUT', `/api/policies/${PLATFORM}`, { rules: rules(), appliesTo: 'new-cases', reason: 'Leiter in Sekunden' }, ADMIN)).status).toBe(200);
    const runsOut = await fileAndRequestDeletion('critical');
    const answered = await fileAndRequestDeletion('high');
    await act(answered, 'platform-response', { clock: 'deletion', response: 'removed' });
    await eventually(async () => {
      const state = await call('GET', `/api/reports/${runsOut}`);
      return state.body.clocks.deletion.status === 'exhausted' ? true : undefined;
    }, 60_000, 'the critical case to run through its ladder', 250);

    // Replay: version 3 is the request just sent; the instant of that event gives the same; the last is the case now.
    const events = (await call('GET', `/api/reports/${runsOut}/events`, undefined, VIEWER)).body.events as { streamVersion: number; type: string; occurredAt: string }[];
    expect(events[2].type).toBe('DeletionRequested');
    const atRequest = await call('GET', `/api/reports/${runsOut}/state?atVersion=3`, undefined, VIEWER);
    expect(atRequest.status).toBe(200);
    expect(atRequest.body).toMatchObject({ status: 'active', version: 3, clocks: { deletion: { status: 'running', step: 'standard-contact', escalated: false } }, asOf: { version: 3, latestVersion: events.length } });
    const byInstant = await call('GET', `/api/reports/${runsOut}/state?at=${encodeURIComponent(events[2].occurredAt)}`, undefined, VIEWER);
    expect(byInstant.body.clocks.deletion.step).toBe('standard-contact');
    const now = await call('GET', `/api/reports/${runsOut}/state?atVersion=${events.length}`, undefined, VIEWER);
    const { asOf: _asOf, ...replayedNow } = now.body;
    expect(replayedNow).toEqual((await call('GET', `/api/reports/${runsOut}`)).body);
    expect((await call('GET', `/api/reports/${runsOut}/state?atVersion=${events.length + 1}`, undefined, VIEWER)).status).toBe(404);

    // What-if: the version in force reproduces what the engine did; a one-minute reminder stops the ladder there.
    const period = { from, to: new Date(Date.now() + 60_000).toISOString() };
    const same = await call('POST', `/api/policies/${PLATFORM}/simulations`, { version: 2, ...period }, VIEWER);
    expect(same.status).toBe(200);
    expect(same.body.summary).toMatchObject({ cases: 2, casesChanged: 0, casesWithRefusedActions: 0, appStorePressure: { recorded: 1, simulated: 1 } });
    expect(same.body.changedCases).toEqual([]);

    const slowerReminder = { cells: { critical: { deletion: { reminder: { duration: 'PT1M', basis: 'calendar' } } } }, ...period };
    const slower = await call('POST', `/api/policies/${PLATFORM}/simulations`, slowerReminder, VIEWER);
    expect(slower.status).toBe(200);
    expect(slower.body.candidate).toMatchObject({ source: 'cells', version: 3, versionInForce: 2 });
    expect(slower.body.summary).toMatchObject({ cases: 2, casesChanged: 1, appStorePressure: { recorded: 1, simulated: 0 } });
    expect(slower.body.changedCases).toHaveLength(1);
    expect(slower.body.changedCases[0]).toMatchObject({ reportId: runsOut, appStorePressure: { recorded: true, simulated: false } });
    expect(slower.body.changedCases[0].steps.map((s: { step: string; change: string }) => [s.step, s.change])).toEqual([
      ['reminder', 'unchanged'],
      ['high-level-contact', 'not-at-all'],
      ['app-store-pressure', 'not-at-all'],
    ]);
  }, 120_000);
});
