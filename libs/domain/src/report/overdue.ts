// When a case is overdue: a request to the platform whose deadline passed, or one that ran through the whole
// escalation ladder unanswered (the most overdue of all: nothing escalates on its own any more).

import { ReportState } from './state';

/**
 * The instant from which the case is overdue unless someone acts: the earliest deadline of a request still
 * waiting for the platform, running (overdue once its deadline passes) or exhausted (its last step's deadline
 * passed unanswered, so overdue since then). Undefined while the case is in triage, paused (its deadlines
 * stand still) or closed, and while no request waits. Independent of the current time, so a read model can
 * store it and compare it with any `now`.
 */
export function overdueSince(state: ReportState): string | undefined {
  if (state.status !== 'active') return undefined;
  const waiting = Object.values(state.clocks)
    .filter((clock) => clock.status === 'running' || clock.status === 'exhausted')
    .map((clock) => clock.deadline);
  if (waiting.length === 0) return undefined;
  return waiting.reduce((earliest, deadline) => (Date.parse(deadline) < Date.parse(earliest) ? deadline : earliest));
}

/**
 * Whether a request of the active case ran through its whole ladder unanswered: the most overdue of all, ahead
 * of any request whose deadline merely passed (that one still escalates on its own).
 */
export function ladderExhausted(state: ReportState): boolean {
  return state.status === 'active' && Object.values(state.clocks).some((clock) => clock.status === 'exhausted');
}

/** Whether the case is overdue at `now` (an ISO instant). */
export function isOverdue(state: ReportState, now: string): boolean {
  const since = overdueSince(state);
  return since !== undefined && Date.parse(since) <= Date.parse(now);
}
