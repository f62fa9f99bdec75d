// An admin's change of a platform's escalation policy, as a decider: each change is a new version, recorded
// as an event on the stream `policy-<platform>` with whether it reaches running cases. An admin sends either the
// whole table of rules or only the cells to change, which are merged onto the version in force.

import { IllegalStepError } from '../errors';
import { Command, Decider, Event } from '../event-sourcing';
import { CLOCK_KINDS, ClockKind, defaultEscalationPolicy, EscalationPolicy, LADDER_STEPS, LadderStep, policyProblems, SEVERITIES, Severity, StepRule, StepRules } from './escalation-policy';

export const POLICY_SCOPES = ['new-cases', 'running-cases'] as const;
export type PolicyScope = (typeof POLICY_SCOPES)[number];

export type ChangeEscalationPolicy = Command<
  'ChangeEscalationPolicy',
  { rules: EscalationPolicy['rules']; holidayState?: EscalationPolicy['holidayState']; appliesTo: PolicyScope; reason: string }
>;

/** Some cells of the rules table (severity → clock → ladder step → rule); the others stay as they are. */
export type PolicyCellChanges = Partial<Record<Severity, Partial<Record<ClockKind, Partial<Record<LadderStep, StepRule>>>>>>;

/** A change of a few cells, merged onto the version in force: still a new version with its actor and reason. */
export type ChangeEscalationPolicyCells = Command<
  'ChangeEscalationPolicyCells',
  { cells: PolicyCellChanges; holidayState?: EscalationPolicy['holidayState']; appliesTo: PolicyScope; reason: string }
>;

export type PolicyCommand = ChangeEscalationPolicy | ChangeEscalationPolicyCells;

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

/**
 * What is wrong with a set of cell changes, as messages naming each cell (empty when it can be merged): a cell
 * outside the table, or no cell at all. The rules themselves are checked on the merged policy.
 */
export function policyCellChangeProblems(cells: unknown, name = 'cells'): string[] {
  if (typeof cells !== 'object' || cells === null || Array.isArray(cells)) return [`${name} must be an object: severity → clock → ladder step → rule`];
  const problems: string[] = [];
  let count = 0;
  const levels = [SEVERITIES, CLOCK_KINDS, LADDER_STEPS] as const;
  const walk = (node: object, depth: number, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      const where = `${path}.${key}`;
      if (!(levels[depth] as readonly string[]).includes(key)) {
        problems.push(`${where} is not known (expected one of ${levels[depth].join(', ')})`);
      } else if (depth === levels.length - 1) {
        count += 1;
      } else if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${where} must be an object`);
      } else {
        walk(value, depth + 1, where);
      }
    }
  };
  walk(cells, 0, name);
  if (problems.length === 0 && count === 0) problems.push(`${name} must name at least one cell to change`);
  return problems;
}

/** The rules with the given cells replaced; the others as they were (a new table: the input is not changed). */
export function mergePolicyCells(rules: EscalationPolicy['rules'], cells: PolicyCellChanges): EscalationPolicy['rules'] {
  // Cell by cell, never a structured clone: the default table shares one ladder between its clocks.
  const cell = (severity: Severity, clock: ClockKind, step: LadderStep): StepRule => {
    const { duration, basis } = cells[severity]?.[clock]?.[step] ?? rules[severity][clock][step];
    return { duration, basis };
  };
  const ladder = (severity: Severity, clock: ClockKind) => Object.fromEntries(LADDER_STEPS.map((step) => [step, cell(severity, clock, step)])) as StepRules;
  const clocks = (severity: Severity) => Object.fromEntries(CLOCK_KINDS.map((clock) => [clock, ladder(severity, clock)])) as Record<ClockKind, StepRules>;
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, clocks(severity)])) as EscalationPolicy['rules'];
}

export function decidePolicyChange(command: PolicyCommand, state: PolicyHistoryState): EscalationPolicyChanged[] {
  const { expectedVersion } = command.metadata;
  if (expectedVersion !== undefined && expectedVersion !== state.current.version) {
    throw new IllegalStepError(
      'version-mismatch',
      `The policy is at version ${state.current.version} now, not ${expectedVersion}: read it again and decide on the version in force.`,
    );
  }
  let rules: EscalationPolicy['rules'];
  switch (command.type) {
    case 'ChangeEscalationPolicy':
      rules = command.data.rules;
      break;
    case 'ChangeEscalationPolicyCells': {
      const problems = policyCellChangeProblems(command.data.cells);
      if (problems.length > 0) throw new IllegalStepError('invalid-policy', `The cells to change are invalid: ${problems.join('; ')}.`);
      rules = mergePolicyCells(state.current.rules, command.data.cells);
      break;
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
  // Cells leave the holiday state as it is unless given; a whole new version says it in full.
  const holidayState = command.type === 'ChangeEscalationPolicyCells' ? (command.data.holidayState ?? state.current.holidayState) : command.data.holidayState;
  const { appliesTo, reason } = command.data;
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
  const { expectedVersion: _basedOn, ...metadata } = command.metadata; // a command's precondition, not the event's
  return [{ type: 'EscalationPolicyChanged', data: { policy, appliesTo, reason }, metadata }];
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

export const policyHistoryDecider = (platform: string): Decider<PolicyHistoryState, PolicyCommand, EscalationPolicyChanged> => ({
  decide: decidePolicyChange,
  evolve: evolvePolicyHistory,
  initialState: () => initialPolicyHistory(platform),
});
