// Properties of the cooperation report over random case histories run through the decider: the figures add up,
// periods split additively, and each request's answer is what the domain's own fold of the case says.
import fc from 'fast-check';
import { run, scenario } from '../../testing/random-report-histories';
import { cooperationFigures, CooperationFigures, platformRequests, ReportHistory } from './cooperation-report';

const params = { numRuns: 150 };
const EVER = { label: 'ever', from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
const histories = fc.array(scenario, { minLength: 1, maxLength: 6 }).map((scenarios) => scenarios.map((intents, i): ReportHistory => ({ reportId: `r-${i}`, events: run(intents).log })));
const asOfOf = (reports: ReportHistory[]) => reports.flatMap((report) => report.events.map((event) => event.metadata.now)).sort().at(-1) ?? EVER.from;
const figuresOf = (reports: ReportHistory[], period = EVER) => {
  const asOf = asOfOf(reports);
  return cooperationFigures(reports.flatMap((report) => platformRequests(report, asOf)), [], period);
};
const sum = (rows: { total: number }[]) => rows.reduce((total, row) => total + row.total, 0);

describe('the cooperation report over random histories', () => {
  it('adds up: answers, kinds, categories and severities to the requests sent; outcomes within them; the ladder narrowing', () => {
    fc.assert(
      fc.property(histories, (reports) => {
        const f: CooperationFigures = figuresOf(reports);
        expect(f.answers.inTime + f.answers.late + f.answers.never + f.answers.awaiting).toBe(f.requests.total);
        expect(f.requests.deletion + f.requests.subscriberData).toBe(f.requests.total);
        expect(sum(f.byCategory)).toBe(f.requests.total);
        expect(sum(f.bySeverity)).toBe(f.requests.total);
        expect(f.deletion.removed + f.deletion.partiallyRemoved + f.deletion.refused).toBeLessThanOrEqual(f.deletion.sent);
        expect(f.subscriberData.supplied + f.subscriberData.refused).toBeLessThanOrEqual(f.subscriberData.sent);
        expect(f.timeToAnswer.count).toBe(f.answers.inTime + f.answers.late);
        expect(f.timeToEffect.count).toBe(f.deletion.removed + f.subscriberData.supplied);
        expect(f.ladder.reminder).toBeGreaterThanOrEqual(f.ladder.highLevelContact);
        expect(f.ladder.highLevelContact).toBeGreaterThanOrEqual(f.ladder.appStorePressure);
        for (const times of [f.timeToAnswer, f.timeToEffect]) {
          if (times.count === 0) expect([times.medianSeconds, times.p90Seconds]).toEqual([null, null]);
          else expect(times.medianSeconds!).toBeLessThanOrEqual(times.p90Seconds!);
          if (times.count > 0) expect(times.medianSeconds!).toBeGreaterThanOrEqual(0);
        }
      }),
      params,
    );
  });

  it('splits additively: two adjacent periods count what the whole counts', () => {
    fc.assert(
      fc.property(histories, fc.integer({ min: 0, max: 40 * 86_400_000 }), (reports, offsetMs) => {
        const cut = new Date(Date.parse('2026-03-02T09:00:00.000Z') + offsetMs).toISOString();
        const whole = figuresOf(reports);
        const [before, after] = [figuresOf(reports, { ...EVER, to: cut }), figuresOf(reports, { ...EVER, from: cut })];
        expect(before.requests.total + after.requests.total).toBe(whole.requests.total);
        expect(before.answers.late + after.answers.late).toBe(whole.answers.late);
        expect(before.deletion.removed + after.deletion.removed).toBe(whole.deletion.removed);
        expect(before.ladder.appStorePressure + after.ladder.appStorePressure).toBe(whole.ladder.appStorePressure);
      }),
      params,
    );
  });

  it("gives each case's latest request per kind the answer the domain's fold of the case holds", () => {
    fc.assert(
      fc.property(scenario, (intents) => {
        const { log, state } = run(intents);
        const requests = platformRequests({ reportId: 'r', events: log }, log.at(-1)!.metadata.now);
        if (state.status === 'not-filed') return;
        for (const kind of ['deletion', 'subscriber-data'] as const) {
          const latest = requests.filter((request) => request.kind === kind).at(-1);
          const clock = state.clocks[kind];
          expect(latest === undefined).toBe(clock === undefined);
          if (!latest || !clock) continue;
          expect(latest.requestedAt).toBe(clock.requestedAt);
          expect(latest.answer?.response).toBe(clock.response?.kind);
          // A ladder that ran out stays run out in the report when the platform answers afterwards (the fold then says
          // answered): run out whenever the fold says so, and only at the ladder's last step.
          if (clock.status === 'exhausted') expect(latest.exhausted).toBe(true);
          if (latest.exhausted && !latest.removalContradicted) expect(clock.step).toBe('app-store-pressure');
          // Past the standard contact exactly when the fold says it escalated (a contradicted removal may restart it higher).
          if (!latest.removalContradicted) expect(latest.highestStep !== 'standard-contact').toBe(clock.escalated);
        }
      }),
      // Contradicted removals and run-out ladders are rare in random histories: enough runs to meet them.
      { numRuns: 1500 },
    );
  });
});
