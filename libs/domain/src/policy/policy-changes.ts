// An admin's change of a platform's escalation policy, as a decider: each change is a new version, recorded
// as an event on the stream `policy-<platform>` with whether it reaches running cases.

import { IllegalStepError } from '../errors';
import { Command, Decider, Event } from '../event-sourcing';
import { defaultEscalationPolicy, EscalationPolicy, policyProblems } from './escalation-policy';

export const POLICY_SCOPES = ['new-cases', 'running-cases'] as const;
export type PolicyScope = (typeof POLICY_SCOPES)[number];

export type ChangeEscalationPolicy = Command<
  'ChangeEscalationPolicy',
  { rules: EscalationPolicy['rules']; holidayState?: EscalationPolicy['holidayState']; appliesTo: PolicyScope; reason: string }
>;

export type EscalationPolicyChanged = Event<
  'EscalationPolicyChanged',
  { policy: EscalationPolicy; appliesTo: PolicyScope; reason: string }
>;

export interface PolicyHistoryState {
  platform: string;
  /** The policy in force: version 1 (the defaults) until an admin changes it. */
  current: EscalationPolicy;
}

export function initialPolicyHistory(platform: string): PolicyHistoryState {
  return { platform, current: defaultEscalationPolicy(platform) };
}

export function decidePolicyChange(command: ChangeEscalationPolicy, state: PolicyHistoryState): EscalationPolicyChanged[] {
  const { rules, holidayState, appliesTo, reason } = command.data;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new IllegalStepError('invalid-input', 'A policy change must give its reason.');
  }
  if (!(POLICY_SCOPES as readonly unknown[]).includes(appliesTo)) {
    throw new IllegalStepError('invalid-input', `A policy change applies to ${POLICY_SCOPES.join(' or ')}.`);
  }
  const policy: EscalationPolicy = {
    platform: state.platform,
    version: state.current.version + 1,
    rules,
    ...(holidayState !== undefined && { holidayState }),
  };
  const problems = policyProblems(policy);
  if (problems.length > 0) throw new IllegalStepError('invalid-policy', `The escalation policy is invalid: ${problems.join('; ')}.`);
  return [{ type: 'EscalationPolicyChanged', data: { policy, appliesTo, reason }, metadata: command.metadata }];
}

export function evolvePolicyHistory(state: PolicyHistoryState, event: EscalationPolicyChanged): PolicyHistoryState {
  switch (event.type) {
    case 'EscalationPolicyChanged':
      return { ...state, current: event.data.policy };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}

export const policyHistoryDecider = (platform: string): Decider<PolicyHistoryState, ChangeEscalationPolicy, EscalationPolicyChanged> => ({
  decide: decidePolicyChange,
  evolve: evolvePolicyHistory,
  initialState: () => initialPolicyHistory(platform),
});
