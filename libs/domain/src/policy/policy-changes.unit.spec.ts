import { specFor } from '../../testing/decider-spec';
import { defaultEscalationPolicy } from './escalation-policy';
import { ChangeEscalationPolicy, EscalationPolicyChanged, policyHistoryDecider } from './policy-changes';

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
