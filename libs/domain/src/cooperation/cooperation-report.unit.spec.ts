import { at, DAY, event, HOUR, meta, MINUTE, timer } from '../../testing/report-fixtures';
import { AppStoreDossierFiled } from '../dossier/app-store-dossier';
import { ReportEvent } from '../report/events';
import { cooperationReport, CooperationReport, percentile, ReportHistory } from './cooperation-report';
import { InvalidPeriodError, reportingPeriods } from './reporting-period';

// T0 is Monday 2 March 2026, 09:00 UTC: the requests below are sent in March 2026 (Berlin), compared with February.
const march = reportingPeriods({ period: '2026-03' }, at(0));
const AS_OF = at(20 * DAY);
const SENT = 20 * MINUTE;
const FIRST_DEADLINE = at(SENT + DAY); // high severity: 24 hours for the standard contact

const filedAndTriaged = (severity: 'critical' | 'high' | 'standard' = 'high') => [event.reportFiled(), event.reportTriaged(severity)];
const deletionSent = () => [...filedAndTriaged(), event.deletionRequested(FIRST_DEADLINE)];
const escalation = (clock: 'deletion' | 'subscriber-data', from: string, to: string, offset: number, trigger: 'deadline' | 'staff' = 'deadline') =>
  event.escalated({ clock, from: from as never, to: to as never, trigger, deadline: at(offset + DAY) }, trigger === 'deadline' ? timer(offset) : meta(offset));
const filing = (reportIds: string[], offset: number): AppStoreDossierFiled => ({ type: 'AppStoreDossierFiled', data: { dossierNumber: 1, reportIds, trigger: 'threshold' }, metadata: timer(offset) });

/** given the platform's cases (and dossier filings), when the report for March is made, then… */
function given(reports: Record<string, ReportEvent[]>, dossierEvents: AppStoreDossierFiled[] = []) {
  const histories: ReportHistory[] = Object.entries(reports).map(([reportId, events]) => ({ reportId, events }));
  return {
    whenReported: (): CooperationReport =>
      cooperationReport({ platform: 'telegram', period: march.current, previousPeriod: march.previous, reports: histories, dossierEvents, asOf: AS_OF }),
  };
}

describe('the cooperation report', () => {
  it('counts a deletion request answered with removal before its deadline as in time, with its time to answer and to effect', () => {
    const report = given({ a: [...deletionSent(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(SENT + 2 * HOUR))] }).whenReported();
    expect(report.current.requests).toEqual({ total: 1, deletion: 1, subscriberData: 0 });
    expect(report.current.answers).toEqual({ inTime: 1, late: 0, never: 0, awaiting: 0 });
    expect(report.current.deletion).toEqual({ sent: 1, removed: 1, partiallyRemoved: 0, refused: 0, removalsContradicted: 0 });
    expect(report.current.timeToAnswer).toEqual({ count: 1, medianSeconds: 7200, p90Seconds: 7200 });
    expect(report.current.timeToEffect).toEqual({ count: 1, medianSeconds: 7200, p90Seconds: 7200 });
    expect(report.current.byCategory.find((row) => row.category === 'call-to-murder')).toEqual({ category: 'call-to-murder', total: 1, deletion: 1, subscriberData: 0 });
    expect(report.current.bySeverity.find((row) => row.severity === 'high')).toEqual({ severity: 'high', total: 1, deletion: 1, subscriberData: 0 });
    expect(report.period).toEqual({ label: '2026-03', from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
  });

  it('counts a refusal after the ladder reached the high-level contact as late, no effect, and how far the ladder went', () => {
    const report = given({
      b: [
        ...filedAndTriaged(),
        event.subscriberDataRequested(FIRST_DEADLINE),
        event.deadlineElapsed({ clock: 'subscriber-data', step: 'standard-contact', deadline: FIRST_DEADLINE }, timer(SENT + DAY)),
        escalation('subscriber-data', 'standard-contact', 'reminder', SENT + DAY),
        escalation('subscriber-data', 'reminder', 'high-level-contact', SENT + 2 * DAY),
        event.responseRecorded({ clock: 'subscriber-data', response: 'data-refused', step: 'high-level-contact' }, meta(SENT + 2 * DAY + HOUR)),
      ],
    }).whenReported();
    expect(report.current.answers).toEqual({ inTime: 0, late: 1, never: 0, awaiting: 0 });
    expect(report.current.subscriberData).toEqual({ sent: 1, supplied: 0, refused: 1 });
    expect(report.current.timeToEffect).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(report.current.ladder).toEqual({ reminder: 1, highLevelContact: 1, appStorePressure: 0, exhausted: 0, escalatedByStaff: 0 });
  });

  it('counts a request that ran through the whole ladder unanswered as never answered, and one whose deadline is ahead as awaiting', () => {
    const report = given({
      c: [
        ...deletionSent(),
        escalation('deletion', 'standard-contact', 'reminder', SENT + HOUR, 'staff'),
        escalation('deletion', 'reminder', 'high-level-contact', SENT + DAY + HOUR),
        escalation('deletion', 'high-level-contact', 'app-store-pressure', SENT + 2 * DAY + HOUR),
        event.exhausted('deletion', timer(SENT + 3 * DAY + HOUR)),
      ],
      // Sent the day before the report's instant: its 24 hours are not over.
      d: [...filedAndTriaged(), event.deletionRequested(at(20 * DAY + DAY), meta(20 * DAY - HOUR))],
    }).whenReported();
    expect(report.current.answers).toEqual({ inTime: 0, late: 0, never: 1, awaiting: 1 });
    expect(report.current.ladder).toEqual({ reminder: 1, highLevelContact: 1, appStorePressure: 1, exhausted: 1, escalatedByStaff: 1 });
    expect(report.current.timeToAnswer.count).toBe(0);
  });

  it('counts a request of a case closed unanswered as never answered', () => {
    const report = given({ e: [...deletionSent(), event.closed({ outcome: 'withdrawn' }, meta(SENT + HOUR))] }).whenReported();
    expect(report.current.answers).toEqual({ inTime: 0, late: 0, never: 1, awaiting: 0 });
  });

  it('does not count a claimed removal that was contradicted as removed, until the platform answers again', () => {
    const claimed = [...deletionSent(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(SENT + HOUR))];
    const contradicted = [...claimed, event.removalContradicted({ step: 'reminder', deadline: at(SENT + 2 * DAY) }, meta(SENT + 2 * HOUR))];
    const answeredAgain = [...contradicted, event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'reminder' }, meta(SENT + 30 * HOUR))];
    const report = given({ contradicted, answeredAgain }).whenReported();
    expect(report.current.deletion).toEqual({ sent: 2, removed: 1, partiallyRemoved: 0, refused: 0, removalsContradicted: 2 });
    // The contradicted one waits again, its deadline long past: not answered.
    expect(report.current.answers).toEqual({ inTime: 0, late: 1, never: 1, awaiting: 0 });
    expect(report.current.timeToEffect).toEqual({ count: 1, medianSeconds: 30 * 3600, p90Seconds: 30 * 3600 });
    expect(report.current.ladder.reminder).toBe(2);
  });

  it('stops the clock during a pause: an answer in a pause that began before the deadline is in time, and a resume moves the deadline', () => {
    const pausedAnswer = [
      ...deletionSent(),
      event.paused({ reason: 'awaiting-prosecutor' }, meta(SENT + 12 * HOUR)),
      event.responseRecorded({ clock: 'deletion', response: 'partially-removed', step: 'standard-contact' }, meta(SENT + 3 * DAY)),
    ];
    const resumed = [
      ...deletionSent(),
      event.paused({ reason: 'awaiting-prosecutor' }, meta(SENT + 12 * HOUR)),
      event.resumed({ pausedForMs: 2 * DAY, deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: FIRST_DEADLINE, deadline: at(SENT + 3 * DAY) }] }, meta(SENT + 12 * HOUR + 2 * DAY)),
      event.responseRecorded({ clock: 'deletion', response: 'refused', step: 'standard-contact' }, meta(SENT + 3 * DAY - HOUR)),
    ];
    const report = given({ pausedAnswer, resumed }).whenReported();
    expect(report.current.answers).toEqual({ inTime: 2, late: 0, never: 0, awaiting: 0 });
    expect(report.current.deletion).toMatchObject({ partiallyRemoved: 1, refused: 1 });
  });

  it('measures from when the answer arrived and when effect was given, where the answer states them, rather than from its recording', () => {
    const stated = { receivedAt: at(SENT + 20 * HOUR), effectGivenAt: at(SENT + 10 * HOUR) };
    const report = given({
      // Recorded two days late, but it arrived within the 24 hours, and the content was gone after 10.
      a: [...deletionSent(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact', ...stated } as never, meta(SENT + 2 * DAY))],
    }).whenReported();
    expect(report.current.answers).toMatchObject({ inTime: 1, late: 0 });
    expect(report.current.timeToAnswer.medianSeconds).toBe(20 * 3600);
    expect(report.current.timeToEffect.medianSeconds).toBe(10 * 3600);
  });

  it('groups by the assessment as corrected by a re-triage', () => {
    const report = given({
      f: [
        ...deletionSent(),
        { type: 'ReportRetriaged', data: { category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true }, reason: 'Named target', previous: { category: 'call-to-murder', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true } }, deadlines: [] } as never, metadata: meta(SENT + HOUR) },
      ],
    }).whenReported();
    expect(report.current.byCategory.filter((row) => row.total > 0)).toEqual([{ category: 'threat', total: 1, deletion: 1, subscriberData: 0 }]);
    expect(report.current.bySeverity.filter((row) => row.total > 0)).toEqual([{ severity: 'critical', total: 1, deletion: 1, subscriberData: 0 }]);
  });

  it('compares with the month before: requests sent then, dossiers filed in each, and the difference of every figure', () => {
    const february = -10 * DAY; // 20 February 2026
    const earlier = [
      event.reportFiled(meta(february)),
      event.reportTriaged('high', meta(february + MINUTE)),
      event.deletionRequested(at(february + DAY), meta(february + 2 * MINUTE)),
      event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(february + HOUR)),
    ];
    const report = given(
      { earlier, a: [...deletionSent(), event.responseRecorded({ clock: 'deletion', response: 'refused', step: 'standard-contact' }, meta(SENT + 2 * DAY))] },
      [filing(['x', 'y'], february + DAY), filing(['z'], 5 * DAY), filing(['w'], 40 * DAY)],
    ).whenReported();
    expect(report.previousPeriod).toEqual({ label: '2026-02', from: '2026-01-31T23:00:00.000Z', to: '2026-02-28T23:00:00.000Z' });
    expect(report.previous.deletion).toMatchObject({ sent: 1, removed: 1 });
    expect(report.current.deletion).toMatchObject({ sent: 1, removed: 0, refused: 1 });
    expect(report.current.dossiers).toEqual({ filed: 1, reportsFiled: 1 });
    expect(report.previous.dossiers).toEqual({ filed: 1, reportsFiled: 2 });
    const change = (figure: string) => report.changes.find((entry) => entry.figure === figure);
    expect(change('deletion.removed')).toEqual({ figure: 'deletion.removed', current: 0, previous: 1, difference: -1 });
    expect(change('answers.late')).toEqual({ figure: 'answers.late', current: 1, previous: 0, difference: 1 });
    expect(change('timeToEffect.medianSeconds')).toEqual({ figure: 'timeToEffect.medianSeconds', current: null, previous: 3600 - 120, difference: null });
    expect(change('byCategory.call-to-murder.deletion')).toMatchObject({ current: 1, previous: 1, difference: 0 });
  });

  it('ignores cases without requests and requests sent outside both periods', () => {
    const report = given({ untriaged: [event.reportFiled()], later: [...filedAndTriaged(), event.deletionRequested(at(40 * DAY), meta(35 * DAY))] }).whenReported();
    expect(report.current.requests.total + report.previous.requests.total).toBe(0);
    expect(report.current.answers).toEqual({ inTime: 0, late: 0, never: 0, awaiting: 0 });
  });
});

describe('percentiles as SQL percentile_cont computes them', () => {
  it('interpolates between neighbours', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
  });
});

describe('reporting periods', () => {
  const now = '2026-12-01T12:00:00.000Z';
  it('reads a month and a quarter in German local time, each compared with the one before', () => {
    expect(reportingPeriods({ period: '2026-11' }, now)).toEqual({
      current: { label: '2026-11', from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z' },
      previous: { label: '2026-10', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' },
    });
    expect(reportingPeriods({ period: '2026-Q1' }, now)).toEqual({
      current: { label: '2026-Q1', from: '2025-12-31T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' },
      previous: { label: '2025-Q4', from: '2025-09-30T22:00:00.000Z', to: '2025-12-31T23:00:00.000Z' },
    });
    expect(reportingPeriods({ period: '2026-01' }, now).previous.label).toBe('2025-12');
  });

  it('compares a span from–to with the span of the same length just before, and defaults to the last 30 days', () => {
    expect(reportingPeriods({ from: '2026-11-10T00:00:00Z', to: '2026-11-20T00:00:00Z' }, now).previous).toMatchObject({ from: '2026-10-31T00:00:00.000Z', to: '2026-11-10T00:00:00.000Z' });
    expect(reportingPeriods({}, now).current).toMatchObject({ from: '2026-11-01T12:00:00.000Z', to: now });
  });

  it('refuses what it cannot read, naming the field', () => {
    const refused = (request: Parameters<typeof reportingPeriods>[0]) => {
      try {
        reportingPeriods(request, now);
      } catch (error) {
        return error instanceof InvalidPeriodError ? error.field : 'other error';
      }
      return 'accepted';
    };
    expect(refused({ period: '2026-13' })).toBe('period');
    expect(refused({ period: '2026-Q5' })).toBe('period');
    expect(refused({ period: '2026-11', from: '2026-11-01T00:00:00Z' })).toBe('period');
    expect(refused({ from: 'yesterday' })).toBe('from');
    expect(refused({ from: '2026-11-20T00:00:00Z', to: '2026-11-10T00:00:00Z' })).toBe('from');
  });
});
