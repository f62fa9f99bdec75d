// One case's recorded history run again through the decider under another policy: the same actions at the same
// times, the timer's steps wherever the candidate's deadlines fall.

import { IllegalStepCode, IllegalStepError } from '../errors';
import { Metadata } from '../event-sourcing';
import { CLOCK_KINDS, EscalationPolicy } from '../policy/escalation-policy';
import { ReportCommand, ReportCommandType } from '../report/commands';
import { decide, DecideOptions } from '../report/decide';
import { ReportEvent } from '../report/events';
import { evolve } from '../report/evolve';
import { initialState, ReportState, RequestClock } from '../report/state';
import { toMillis } from '../time/instant';
import { recordedActions } from './recorded-actions';

/** The actor of what time does on its own, as the workflow records it. */
export const TIMER_ACTOR = 'system:timer';

/**
 * The staff acted under the rules of their day: a request sent before triage had to choose it is replayed as
 * sent, so that the simulation judges the deadlines, not rules the history predates.
 */
const REPLAY_OPTIONS: DecideOptions = { requestsFollowTriage: false };

/** A recorded action the candidate's history no longer allows (escalating a ladder it already ran through). */
export interface RefusedAction {
  command: ReportCommandType;
  at: string;
  actor: string;
  code: IllegalStepCode;
  reason: string;
}

export interface SimulatedHistory {
  events: ReportEvent[];
  state: ReportState;
  refused: RefusedAction[];
}

/**
 * `recorded` (a case's stream, oldest first) under `policy`: each recorded action at its recorded time, and before
 * it every deadline of the candidate that falls by then elapses at its own instant, as the case's timer would
 * let it; after the last action, the deadlines falling by `until` (epoch ms). Pure and deterministic.
 */
export function simulateCase(recorded: readonly ReportEvent[], policy: EscalationPolicy, until: number): SimulatedHistory {
  let state = initialState();
  const events: ReportEvent[] = [];
  const refused: RefusedAction[] = [];
  const take = (command: ReportCommand): boolean => {
    let decided: ReportEvent[];
    try {
      decided = decide(command, state, REPLAY_OPTIONS);
    } catch (error) {
      if (!(error instanceof IllegalStepError)) throw error;
      refused.push({ command: command.type, at: command.metadata.now, actor: command.metadata.actor, code: error.code, reason: error.message });
      return false;
    }
    for (const event of decided) state = evolve(state, event);
    events.push(...decided);
    return true;
  };
  const elapseUntil = (instant: number): void => {
    for (let clock = dueClock(state, instant); clock; clock = dueClock(state, instant)) {
      const metadata: Metadata = { actor: TIMER_ACTOR, now: clock.deadline };
      // Elapsing a due deadline always moves the clock on; should the decider ever refuse it, stop rather than spin.
      if (!take({ type: 'RecordDeadlineElapsed', data: { clock: clock.kind, step: clock.step }, metadata })) return;
    }
  };
  for (const command of recordedActions(recorded, policy)) {
    elapseUntil(toMillis(command.metadata.now));
    take(command);
  }
  elapseUntil(until);
  return { events, state, refused };
}

/** The running clock whose deadline comes first and falls by `instant` (ties in the order of CLOCK_KINDS). */
function dueClock(state: ReportState, instant: number): RequestClock | undefined {
  if (state.status !== 'active') return undefined;
  let due: RequestClock | undefined;
  for (const kind of CLOCK_KINDS) {
    const clock = state.clocks[kind];
    if (clock?.status !== 'running') continue;
    const deadline = toMillis(clock.deadline);
    if (deadline <= instant && (!due || deadline < toMillis(due.deadline))) due = clock;
  }
  return due;
}
