import { specFor } from '../../testing/decider-spec';
import { Metadata } from '../event-sourcing';
import { AppStoreDossierFiled, changeDossierRules, dossierDecider, dossierDueAt, dossierEffects, DossierEvent, dossierRulesProblems, evolveDossier, initialDossierState, recordedDossierRules, ReportAddedToDossier } from './app-store-dossier';

const rules = { threshold: 3, interval: 'P7D' };
const spec = specFor(dossierDecider('telegram', rules));
const meta = (day: number): Metadata => ({ actor: 'system:timer', now: new Date(Date.UTC(2026, 2, 2 + day, 9)).toISOString() });
const added = (reportId: string, day = 0): ReportAddedToDossier => ({ type: 'ReportAddedToDossier', data: { reportId }, metadata: meta(day) });
const filed = (reportIds: string[], trigger: AppStoreDossierFiled['data']['trigger'], day: number, dossierNumber = 1): AppStoreDossierFiled => ({
  type: 'AppStoreDossierFiled', data: { dossierNumber, reportIds, trigger }, metadata: meta(day),
});
const add = (reportId: string, day = 0) => ({ type: 'AddReportToDossier' as const, data: { reportId }, metadata: meta(day) });
const file = (trigger: AppStoreDossierFiled['data']['trigger'], day: number) => ({ type: 'FileDossier' as const, data: { trigger }, metadata: meta(day) });

describe('the app-store dossier of a platform', () => {
  it('gathers an escalated report', () => spec.given([]).when(add('r-1')).then([added('r-1')]));

  it('files the dossier once the threshold is reached', () =>
    spec.given([added('r-1'), added('r-2')]).when(add('r-3', 1)).then([added('r-3', 1), filed(['r-1', 'r-2', 'r-3'], 'threshold', 1)]));

  it('files on the interval, not before', () => {
    spec.given([added('r-1')]).when(file('interval', 6)).thenThrows('deadline-not-reached');
    spec.given([added('r-1')]).when(file('interval', 7)).then([filed(['r-1'], 'interval', 7)]);
  });

  it('lets an admin file at once', () => spec.given([added('r-1')]).when(file('admin', 1)).then([filed(['r-1'], 'admin', 1)]));

  it('refuses filing an empty dossier', () => spec.given([]).when(file('admin', 1)).thenThrows('invalid-input', /waiting/));

  it('takes a report at most once', () => {
    spec.given([added('r-1')]).when(add('r-1')).thenThrows('invalid-input', /already/);
    spec.given([added('r-1'), filed(['r-1'], 'admin', 1)]).when(add('r-1', 2)).thenThrows('invalid-input', /already/);
  });

  it('lets an answered or closed report leave before the filing', () => {
    const withdraw = { type: 'WithdrawReportFromDossier' as const, data: { reportId: 'r-1', reason: 'answered' as const }, metadata: meta(2) };
    spec.given([added('r-1'), added('r-2')]).when(withdraw).then([{ type: 'ReportWithdrawnFromDossier', data: { reportId: 'r-1', reason: 'answered' }, metadata: meta(2) }]);
    spec.given([added('r-2')]).when(withdraw).thenThrows('invalid-input', /not waiting/);
    const state = [added('r-1'), added('r-2'), { type: 'ReportWithdrawnFromDossier' as const, data: { reportId: 'r-1', reason: 'closed' as const }, metadata: meta(2) }]
      .reduce(evolveDossier, initialDossierState('telegram', rules));
    expect(state.pending.map((entry) => entry.reportId)).toEqual(['r-2']);
  });

  it('numbers dossiers and restarts the interval with the next report', () => {
    const history: DossierEvent[] = [added('r-1'), filed(['r-1'], 'admin', 1), added('r-2', 3)];
    const state = history.reduce(evolveDossier, initialDossierState('telegram', rules));
    expect(state.filed).toBe(1);
    expect(dossierDueAt(state)).toBe(meta(10).now);
    spec.given(history).when(file('admin', 4)).then([filed(['r-2'], 'admin', 4, 2)]);
  });
});

describe('an admin changing the dossier rules', () => {
  const change = (threshold: number, interval: string, day = 1) => ({ type: 'ChangeDossierRules' as const, data: { threshold, interval }, metadata: { ...meta(day), actor: 'admin.kurz' } });
  const rulesChanged = (threshold: number, interval: string, day = 1): DossierEvent => ({ type: 'DossierRulesChanged', data: { threshold, interval }, metadata: { ...meta(day), actor: 'admin.kurz' } });

  it('records the new rules, so that they survive the workflow', () => {
    spec.given([added('r-1')]).when(change(5, 'P3D')).then([rulesChanged(5, 'P3D')]);
    const state = [added('r-1'), rulesChanged(5, 'P3D')].reduce(evolveDossier, initialDossierState('telegram', rules));
    expect(state.rules).toEqual({ threshold: 5, interval: 'P3D' });
    expect(dossierDueAt(state)).toBe(meta(3).now);
  });

  it('files at once, by threshold, when the waiting reports reach the new one', () =>
    spec.given([added('r-1'), added('r-2')]).when(change(2, 'P7D')).then([
      rulesChanged(2, 'P7D'),
      { type: 'AppStoreDossierFiled', data: { dossierNumber: 1, reportIds: ['r-1', 'r-2'], trigger: 'threshold' }, metadata: { ...meta(1), actor: 'admin.kurz' } },
    ]));

  it('records nothing when the rules stay as they are, and files nothing when none is waiting', () => {
    spec.given([added('r-1')]).when(change(rules.threshold, rules.interval)).then([]);
    spec.given([]).when(change(1, 'P1D')).then([rulesChanged(1, 'P1D')]);
  });

  it('refuses invalid rules, naming what is wrong', () => spec.given([]).when(change(0, 'soon')).thenThrows('invalid-input', /threshold 0.*interval "soon"/));

  it('keeps rules recorded before a later run folds the stream, whatever rules that run was started with', () => {
    const folded = [rulesChanged(4, 'P2D'), added('r-1', 2)].reduce(evolveDossier, initialDossierState('telegram', { threshold: 10, interval: 'P7D' }));
    expect(folded.rules).toEqual({ threshold: 4, interval: 'P2D' });
  });
});

describe('changing the rules of a running dossier', () => {
  const waiting = (...reportIds: string[]) => reportIds.map((id) => added(id)).reduce(evolveDossier, initialDossierState('telegram', rules));

  it('takes the new interval from the first waiting report, and files at once when the new threshold is reached', () => {
    const { state, fileNow } = changeDossierRules(waiting('r-1', 'r-2'), { threshold: 2, interval: 'P1D' });
    expect(state.rules).toEqual({ threshold: 2, interval: 'P1D' });
    expect(dossierDueAt(state)).toBe(new Date(Date.UTC(2026, 2, 3, 9)).toISOString());
    expect(fileNow).toBe(true);
    expect(changeDossierRules(waiting('r-1'), { threshold: 2, interval: 'P7D' }).fileNow).toBe(false);
    expect(changeDossierRules(waiting(), { threshold: 1, interval: 'P7D' }).fileNow).toBe(false);
  });

  it('refuses a threshold below 1 or not whole, and an interval that is no ISO 8601 duration, naming each', () => {
    expect(dossierRulesProblems({ threshold: 0, interval: '7 days' })).toEqual([
      'threshold 0 is not a whole number of at least 1',
      'interval "7 days" is not an ISO 8601 duration such as P7D',
    ]);
    expect(() => changeDossierRules(waiting('r-1'), { threshold: 2.5, interval: 'P7D' })).toThrow(/threshold 2.5/);
    expect(dossierRulesProblems({ threshold: 1, interval: 'PT12H' })).toEqual([]);
  });
});

describe('what the stored dossier events ask of the outside world', () => {
  const given = (stored: DossierEvent[]) => ({
    when: (events: DossierEvent[]) => ({ then: (expected: unknown[]) => expect(dossierEffects(stored.reduce(evolveDossier, initialDossierState('telegram', rules)), events)).toEqual(expected) }),
  });

  it('sends a filed dossier to the app stores, with the reports that go and why', () =>
    given([added('r-1')]).when([added('r-2', 1), filed(['r-1', 'r-2'], 'threshold', 1)]).then([
      { type: 'SendDossierToAppStores', platform: 'telegram', dossier: { dossierNumber: 1, reportIds: ['r-1', 'r-2'], trigger: 'threshold' } },
    ]));

  it('asks nothing when a report joins or leaves', () => {
    given([]).when([added('r-1')]).then([]);
    given([added('r-1')]).when([{ type: 'ReportWithdrawnFromDossier', data: { reportId: 'r-1', reason: 'answered' }, metadata: meta(1) }]).then([]);
  });
});

describe('the rules recorded on the dossier stream', () => {
  const meta = { actor: 'admin.kurz', now: '2026-11-01T08:00:00.000Z' } as Metadata;
  it('are the last DossierRulesChanged, or none when no admin recorded any', () => {
    const added: DossierEvent = { type: 'ReportAddedToDossier', data: { reportId: 'R-1' }, metadata: meta };
    expect(recordedDossierRules([])).toBeUndefined();
    expect(recordedDossierRules([added])).toBeUndefined();
    expect(
      recordedDossierRules([
        { type: 'DossierRulesChanged', data: { threshold: 3, interval: 'P1D' }, metadata: meta },
        added,
        { type: 'DossierRulesChanged', data: { threshold: 5, interval: 'P3D' }, metadata: meta },
      ]),
    ).toEqual({ threshold: 5, interval: 'P3D' });
  });
});
