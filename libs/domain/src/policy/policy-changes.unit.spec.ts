import { specFor } from '../../testing/decider-spec';
import { defaultEscalationPolicy } from './escalation-policy';
import { ChangeEscalationPolicy, ChangeEscalationPolicyCells, EscalationPolicyChanged, mergePolicyCells, policyCellChangeProblems, policyHistoryDecider } from './policy-changes';

const spec = specFor(policyHistoryDecider('telegram'));
const metadata = { actor: 'admin.kurz', now: '2026-03-02T09:00:00.000Z' };
const rules = (() => {
  const r = defaultEscalationPolicy('telegram').rules;
  r.critical.deletion['standard-contact'] = { duration: 'PT30M', basis: 'calendar' };
  return r;
})();
const change = (data: Partial<ChangeEscalationPolicy['data']> = {}): ChangeEscalationPolicy => ({
  type: 'ChangeEscalationPolicy', data: { rules, appliesTo: 'running-cases', reason: 'DSA: act faster on threats to life', ...data }, metadata,
});
const changed = (version: number, appliesTo: 'new-cases' | 'running-cases' = 'running-cases'): EscalationPolicyChanged => ({
  type: 'EscalationPolicyChanged', data: { policy: { platform: 'telegram', version, rules }, appliesTo, reason: 'DSA: act faster on threats to life' }, metadata,
});

describe('changing a platform\'s escalation policy', () => {
  it('makes version 2 out of the defaults', () => spec.given([]).when(change()).then([changed(2)]));
  it('numbers each further change', () => spec.given([changed(2), changed(3, 'new-cases')]).when(change()).then([changed(4)]));
  it('records whether it reaches running cases', () => spec.given([]).when(change({ appliesTo: 'new-cases' })).then([changed(2, 'new-cases')]));
  it('refuses a change without reason', () => spec.given([]).when(change({ reason: ' ' })).thenThrows('invalid-input', /reason/));
  it('refuses an unknown scope', () => spec.given([]).when(change({ appliesTo: 'all' as never })).thenThrows('invalid-input', /new-cases or running-cases/));
  it('refuses invalid rules, naming the problem', () => {
    const bad = JSON.parse(JSON.stringify(rules));
    bad.high.deletion.reminder.duration = 'P1M';
    spec.given([]).when(change({ rules: bad })).thenThrows('invalid-policy', /rules.high.deletion.reminder.duration/);
  });
});

describe('changing a few cells of a platform\'s escalation policy', () => {
  const cells = (data: Partial<ChangeEscalationPolicyCells['data']> = {}, expectedVersion?: number): ChangeEscalationPolicyCells => ({
    type: 'ChangeEscalationPolicyCells',
    data: { cells: { standard: { deletion: { reminder: { duration: 'P2D', basis: 'business' } } } }, appliesTo: 'new-cases', reason: 'Reminders on working days', ...data },
    metadata: { ...metadata, ...(expectedVersion !== undefined && { expectedVersion }) },
  });
  const mergedOnto = (base: typeof rules) => {
    const merged = JSON.parse(JSON.stringify(base));
    merged.standard.deletion.reminder = { duration: 'P2D', basis: 'business' };
    return merged;
  };
  const cellsChanged = (version: number, base: typeof rules, holidayState?: 'BY'): EscalationPolicyChanged => ({
    type: 'EscalationPolicyChanged',
    data: { policy: { platform: 'telegram', version, rules: mergedOnto(base), ...(holidayState && { holidayState }) }, appliesTo: 'new-cases', reason: 'Reminders on working days' },
    metadata,
  });

  it('merges them onto the defaults as version 2', () => spec.given([]).when(cells()).then([cellsChanged(2, defaultEscalationPolicy('telegram').rules)]));
  it('merges them onto the version in force, keeping its other cells', () => spec.given([changed(2)]).when(cells()).then([cellsChanged(3, rules)]));
  it('keeps the holiday state in force unless given', () => {
    const withHolidays: EscalationPolicyChanged = { ...changed(2), data: { ...changed(2).data, policy: { ...changed(2).data.policy, holidayState: 'BY' } } };
    spec.given([withHolidays]).when(cells()).then([cellsChanged(3, rules, 'BY')]);
  });
  it('takes them when based on the version in force', () => spec.given([changed(2)]).when(cells({}, 2)).then([cellsChanged(3, rules)]));
  it('refuses them when based on a version no longer in force', () =>
    spec.given([changed(2), changed(3)]).when(cells({}, 2)).thenThrows('version-mismatch', /version 3 now, not 2/));
  it('refuses a whole new version based on an old one too', () =>
    spec.given([changed(2)]).when({ ...change(), metadata: { ...metadata, expectedVersion: 1 } }).thenThrows('version-mismatch'));
  it('does not copy the version it was based on onto the event', () =>
    spec.given([changed(2)]).when({ ...change(), metadata: { ...metadata, expectedVersion: 2 } }).then([changed(3)]));
  it('refuses a cell outside the table, naming it', () =>
    spec.given([]).when(cells({ cells: { critcal: { deletion: {} } } as never })).thenThrows('invalid-policy', /cells.critcal is not known/));
  it('refuses no cell at all', () => spec.given([]).when(cells({ cells: { high: {} } })).thenThrows('invalid-policy', /at least one cell/));
  it('refuses a merged table that is invalid, naming the cell', () =>
    spec.given([]).when(cells({ cells: { high: { 'subscriber-data': { reminder: { duration: 'P1M', basis: 'calendar' } } } } })).thenThrows('invalid-policy', /rules.high.subscriber-data.reminder.duration/));
  it('refuses a change without reason', () => spec.given([]).when(cells({ reason: '' })).thenThrows('invalid-input', /reason/));

  it('leaves the table it merges onto as it was', () => {
    const base = defaultEscalationPolicy('x').rules;
    const before = JSON.stringify(base);
    const merged = mergePolicyCells(base, { critical: { 'subscriber-data': { 'app-store-pressure': { duration: 'PT12H', basis: 'calendar' } } } });
    expect(JSON.stringify(base)).toBe(before);
    expect(merged.critical['subscriber-data']['app-store-pressure']).toEqual({ duration: 'PT12H', basis: 'calendar' });
    expect(merged.critical.deletion['app-store-pressure']).toEqual(base.critical.deletion['app-store-pressure']);
  });
  it('names every unknown key and every level that is not an object', () =>
    expect(policyCellChangeProblems({ high: { deletion: { later: {} }, 'subscriber-data': 5 } })).toEqual([
      'cells.high.deletion.later is not known (expected one of standard-contact, reminder, high-level-contact, app-store-pressure)',
      'cells.high.subscriber-data must be an object',
    ]));
});
