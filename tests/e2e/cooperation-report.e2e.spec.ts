// The cooperation report over HTTP on the engine as `npm start` assembles it (embedded Temporal and Kafka, PGlite,
// worker, projector, API): cases filed and worked through the engine with different outcomes and timings — answered
// at once, answered after the ladder climbed, refused, left to run out the ladder into an app-store dossier, a
// claimed removal contradicted, one still waiting — and the report's figures checked against figures computed here,
// independently, from each case's stored events (GET /api/reports/:id/events) and the dossier's filings.
import { LADDER_STEPS, OFFENCE_CATEGORIES, SEVERITIES } from '@engine/domain';
import { DEFAULT_HTTP_DEFENCE } from '../../apps/api/src/config/http-defence-config';
import { eventually } from '../support/eventually';
import { startInProcessEngine } from '../support/in-process-engine';
import { drillRules } from '../support/drill-policy';

const STAFF = 'coop-staff-token';
const ADMIN = 'coop-admin-token';
const PLATFORM = 'coop-platform';

/** Critical and high cases climb a ladder of 2 s steps, except that high gives 60 s for the first answer; standard waits a day. */
const rules = () =>
  drillRules((severity, _clock, step) => (severity === 'standard' ? 'P1D' : severity === 'high' && step === 'standard-contact' ? 'PT60S' : 'PT2S'));

interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

describe('the cooperation report against an independent fold of the event store', () => {
  let baseUrl = '';
  let stop: () => Promise<void> = async () => undefined;

  const call = async (method: string, path: string, body?: unknown, token = STAFF, accept = 'application/json') => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, headers: response.headers, text, body: isJson && text ? JSON.parse(text) : undefined };
  };
  const act = async (id: string, action: string, body: unknown = {}) => {
    const response = await call('POST', `/api/reports/${id}/${action}`, body);
    if (response.status !== 200) throw new Error(`${action} on ${id}: ${response.status} ${response.text}`);
    return response.body;
  };
  const fileCase = async (category: string, severity: string, actions: { deletionRequest: boolean; subscriberDataRequest: boolean }) => {
    const filed = await call('POST', '/api/reports', {
      platform: PLATFORM,
      channel: 'citizen-portal',
      contentLocations: [{ url: 'https://t.me/beispielkanal/4711' }],
      excerpt: 'Drohung gegen eine Bürgermeisterin: „Wir wissen, wo Sie wohnen“',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: new Date().toISOString(),
      reporterReference: `coop-${Math.random()}`,
    });
    if (filed.status !== 201) throw new Error(`filing: ${filed.status} ${filed.text}`);
    const id = filed.body.report.reportId as string;
    await act(id, 'triage', { decision: 'actionable', category, severity, actions: { ...actions, referToProsecution: false } });
    return id;
  };
  const waitFor = (id: string, what: string, ready: (state: { clocks: Record<string, { status: string; step: string }> }) => boolean) =>
    eventually(async () => {
      const state = await call('GET', `/api/reports/${id}`);
      return ready(state.body) ? state.body : undefined;
    }, 60_000, what, 250);

  beforeAll(async () => {
    const engine = await startInProcessEngine({
      authTokens: `${STAFF}=staff:analyst.meyer,${ADMIN}=admin:ada`,
      workerEnv: { DOSSIER_THRESHOLD: '1' },
      http: DEFAULT_HTTP_DEFENCE,
      platforms: [PLATFORM],
    });
    baseUrl = engine.baseUrl;
    stop = engine.stop;
  }, 90_000);
  afterAll(() => stop(), 30_000);

  it('gives the figures an independent fold of the stored events gives, as JSON and as CSV', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    expect((await call('PUT', `/api/policies/${PLATFORM}`, { rules: rules(), appliesTo: 'new-cases', reason: 'Kooperationsbericht-Test' }, ADMIN)).status).toBe(200);

    // Answered at once: removed; data supplied, removal in part; data refused.
    const removedAtOnce = await fileCase('threat', 'high', { deletionRequest: true, subscriberDataRequest: false });
    await act(removedAtOnce, 'deletion-request');
    await act(removedAtOnce, 'platform-response', { clock: 'deletion', response: 'removed' });
    const both = await fileCase('insult', 'high', { deletionRequest: true, subscriberDataRequest: true });
    await act(both, 'deletion-request');
    await act(both, 'data-request');
    await act(both, 'platform-response', { clock: 'subscriber-data', response: 'data-supplied' });
    await act(both, 'platform-response', { clock: 'deletion', response: 'partially-removed' });
    await act(both, 'closure', { outcome: 'unresolved' });
    const dataRefused = await fileCase('public-incitement', 'high', { deletionRequest: false, subscriberDataRequest: true });
    await act(dataRefused, 'data-request');
    await act(dataRefused, 'platform-response', { clock: 'subscriber-data', response: 'data-refused', reason: 'Keine Rechtsgrundlage erkennbar' });
    // Refused late, after the ladder reached the reminder.
    const refusedLate = await fileCase('call-to-murder', 'critical', { deletionRequest: true, subscriberDataRequest: false });
    await act(refusedLate, 'deletion-request');
    // Never answered: escalated by hand, then the ladder runs out (and the deletion request joins the dossier).
    const neverAnswered = await fileCase('call-to-murder', 'critical', { deletionRequest: true, subscriberDataRequest: true });
    await act(neverAnswered, 'deletion-request');
    await act(neverAnswered, 'data-request');
    await act(neverAnswered, 'escalation', { clock: 'subscriber-data', reason: 'Kein Kontakt möglich' });
    // A claimed removal, contradicted: the request waits again, until the case is closed unanswered.
    const contradicted = await fileCase('incitement-of-the-people', 'high', { deletionRequest: true, subscriberDataRequest: false });
    await act(contradicted, 'deletion-request');
    await act(contradicted, 'platform-response', { clock: 'deletion', response: 'removed' });
    await act(contradicted, 'removal-verification', { result: 'still-online' });
    // Still waiting, a day ahead.
    const awaiting = await fileCase('other', 'standard', { deletionRequest: true, subscriberDataRequest: false });
    await act(awaiting, 'deletion-request');

    await waitFor(refusedLate, 'the refused request to reach the reminder', (state) => state.clocks.deletion.step !== 'standard-contact');
    await act(refusedLate, 'platform-response', { clock: 'deletion', response: 'refused', reason: 'Von der Meinungsfreiheit gedeckt' });
    await waitFor(neverAnswered, 'both ladders to run out', (state) => state.clocks.deletion.status === 'exhausted' && state.clocks['subscriber-data'].status === 'exhausted');
    await act(contradicted, 'closure', { outcome: 'unresolved' });
    const dossier = await eventually(async () => {
      const read = await call('GET', `/api/platforms/${PLATFORM}/dossier`);
      return read.body?.filings?.length > 0 ? read.body : undefined;
    }, 30_000, 'the dossier to be filed', 250);

    const ids = [removedAtOnce, both, dataRefused, refusedLate, neverAnswered, contradicted, awaiting];
    const histories = new Map<string, StoredEvent[]>();
    for (const id of ids) {
      const read = await call('GET', `/api/reports/${id}/events`);
      expect(read.body.integrity.verified).toBe(true);
      histories.set(id, read.body.events);
    }
    // The report reads the read model: wait until it holds every event stored.
    await eventually(async () => {
      for (const id of ids) if ((await call('GET', `/api/reports/${id}/timeline`)).body.entries.length !== histories.get(id)!.length) return undefined;
      return true;
    }, 30_000, 'the read model to catch up', 250);

    const to = new Date(Date.now() + 3_600_000).toISOString();
    const query = `from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`;
    const response = await call('GET', `/api/platforms/${PLATFORM}/cooperation-report?${query}`);
    expect(response.status).toBe(200);
    const report = response.body;

    const expected = independentFigures([...histories.values()], report.asOf, dossier.filings, { from: start, to });
    expect(report.current).toEqual(expected);
    // The scenario did reach every outcome it was built for.
    expect(expected.answers.inTime).toBeGreaterThanOrEqual(1);
    expect(expected.answers.late).toBeGreaterThanOrEqual(1);
    expect(expected.answers.never).toBeGreaterThanOrEqual(2);
    expect(expected.answers.awaiting).toBe(1);
    expect(expected.ladder.exhausted).toBeGreaterThanOrEqual(2);
    expect(expected.dossiers.filed).toBeGreaterThanOrEqual(1);
    // Nothing happened in the span before: every change is the figure itself.
    expect(report.previous.requests.total).toBe(0);
    for (const change of report.changes) if (change.previous !== null && change.current !== null) expect(change.difference).toBe(change.current);

    // The same figures as CSV.
    const csv = await call('GET', `/api/platforms/${PLATFORM}/cooperation-report?${query}`, undefined, STAFF, 'text/csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = new Map(csv.text.replace(/^\uFEFF/, '').split('\r\n').map((line) => [line.split(';')[0], line.split(';')]));
    expect(rows.get('answers.late')?.[2]).toBe(String(expected.answers.late));
    expect(rows.get('deletion.removed')?.[2]).toBe(String(expected.deletion.removed));
    expect(rows.get('requests.subscriberData')?.[1]).toBe('Bestandsdatenersuchen');
  }, 180_000);
});

/** Sorted values at fraction p, linearly interpolated between neighbours (SQL's percentile_cont). */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = sorted[Math.floor(rank)];
  const above = sorted[Math.ceil(rank)];
  return Math.round(below + (above - below) * (rank - Math.floor(rank)));
}

/**
 * The report's figures from the stored events, written here without the domain's fold. The scenario has no pauses,
 * re-triage or policy changes, so a request's deadline for an answer in time is the one it was sent with.
 */
function independentFigures(histories: StoredEvent[][], asOf: string, filings: { filedAt: string; reportIds: string[] }[], period: { from: string; to: string }) {
  interface Request { kind: string; sentAt: string; deadline: string; category: string; severity: string; answer?: { response: string; at: string; effectAt: string }; contradicted: boolean; step: number; exhausted: boolean; byStaff: boolean; open: boolean }
  const requests: Request[] = [];
  for (const events of histories) {
    expect(events.some((event) => ['CasePaused', 'ReportRetriaged', 'PolicyApplied'].includes(event.type))).toBe(false);
    const triage = events.filter((event) => event.type === 'ReportTriaged').at(-1)!.data;
    const closed = events.at(-1)!.type === 'ReportClosed';
    const latest: Record<string, Request> = {};
    for (const event of events) {
      const clock = (event.data.clock as string) ?? (event.type === 'RemovalContradicted' ? 'deletion' : undefined);
      if (event.type === 'DeletionRequested' || event.type === 'SubscriberDataRequested') {
        const kind = event.type === 'DeletionRequested' ? 'deletion' : 'subscriber-data';
        latest[kind] = { kind, sentAt: event.occurredAt, deadline: event.data.deadline as string, category: triage.category as string, severity: triage.severity as string, contradicted: false, step: 0, exhausted: false, byStaff: false, open: !closed };
        requests.push(latest[kind]);
      } else if (event.type === 'PlatformResponseRecorded') {
        // When the answer arrived and effect was given, where the answer states them; else when it was recorded.
        const arrived = (event.data.receivedAt as string | undefined) ?? event.occurredAt;
        latest[clock].answer = { response: event.data.response as string, at: arrived, effectAt: (event.data.effectGivenAt as string | undefined) ?? arrived };
      } else if (event.type === 'RemovalContradicted') {
        latest[clock].answer = undefined;
        latest[clock].contradicted = true;
      } else if (event.type === 'RequestEscalated') {
        latest[clock].step = Math.max(latest[clock].step, LADDER_STEPS.indexOf(event.data.to as never));
        if (event.data.trigger === 'staff') latest[clock].byStaff = true;
      } else if (event.type === 'EscalationLadderExhausted') {
        latest[clock].exhausted = true;
      }
    }
  }
  const sent = requests.filter((request) => request.sentAt >= period.from && request.sentAt < period.to);
  const kinds = (of: Request[]) => ({ total: of.length, deletion: of.filter((r) => r.kind === 'deletion').length, subscriberData: of.filter((r) => r.kind === 'subscriber-data').length });
  const answered = sent.filter((request) => request.answer);
  const effective = answered.filter((request) => ['removed', 'data-supplied'].includes(request.answer!.response));
  const awaiting = sent.filter((request) => !request.answer && request.open && !request.exhausted && Date.parse(request.deadline) > Date.parse(asOf)).length;
  const seconds = (of: Request[], to: 'at' | 'effectAt') => of.map((request) => (Date.parse(request.answer![to]) - Date.parse(request.sentAt)) / 1000);
  const durations = (of: Request[], to: 'at' | 'effectAt') => ({ count: of.length, medianSeconds: percentileCont(seconds(of, to), 0.5), p90Seconds: percentileCont(seconds(of, to), 0.9) });
  const withAnswer = (kind: string, response: string) => sent.filter((request) => request.kind === kind && request.answer?.response === response).length;
  const filed = filings.filter((filing) => filing.filedAt >= period.from && filing.filedAt < period.to);
  return {
    requests: kinds(sent),
    byCategory: OFFENCE_CATEGORIES.map((category) => ({ category, ...kinds(sent.filter((request) => request.category === category)) })),
    bySeverity: SEVERITIES.map((severity) => ({ severity, ...kinds(sent.filter((request) => request.severity === severity)) })),
    answers: {
      inTime: answered.filter((request) => request.answer!.at <= request.deadline).length,
      late: answered.filter((request) => request.answer!.at > request.deadline).length,
      never: sent.length - answered.length - awaiting,
      awaiting,
    },
    deletion: {
      sent: kinds(sent).deletion,
      removed: withAnswer('deletion', 'removed'),
      partiallyRemoved: withAnswer('deletion', 'partially-removed'),
      refused: withAnswer('deletion', 'refused'),
      removalsContradicted: sent.filter((request) => request.contradicted).length,
    },
    subscriberData: { sent: kinds(sent).subscriberData, supplied: withAnswer('subscriber-data', 'data-supplied'), refused: withAnswer('subscriber-data', 'data-refused') },
    timeToAnswer: durations(answered, 'at'),
    timeToEffect: durations(effective, 'effectAt'),
    ladder: {
      reminder: sent.filter((request) => request.step >= 1).length,
      highLevelContact: sent.filter((request) => request.step >= 2).length,
      appStorePressure: sent.filter((request) => request.step >= 3).length,
      exhausted: sent.filter((request) => request.exhausted).length,
      escalatedByStaff: sent.filter((request) => request.byStaff).length,
    },
    dossiers: { filed: filed.length, reportsFiled: filed.reduce((sum, filing) => sum + filing.reportIds.length, 0) },
  };
}
