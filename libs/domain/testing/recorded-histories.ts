// Histories as the engine records them: actions at their times, and before each the case's timer elapsing every
// deadline that fell by then, at that deadline. What a simulation under the policy in force must reproduce. Test-only.
import { IllegalStepError } from '../src/errors';
import { Metadata } from '../src/event-sourcing';
import { CLOCK_KINDS } from '../src/policy/escalation-policy';
import { ReportCommand } from '../src/report/commands';
import { decide } from '../src/report/decide';
import { ReportEvent } from '../src/report/events';
import { evolve } from '../src/report/evolve';
import { initialState, ReportState } from '../src/report/state';
import { toMillis } from '../src/time/instant';

/** An action at an instant (epoch ms): `make` gets the metadata to send it with. */
export interface TimedAction {
  at: number;
  actor?: string;
  make: (metadata: Metadata) => ReportCommand;
}

/** Records `actions` (in time order) and the timer's steps up to `until`; actions the decider refuses leave nothing. */
export function recordHistory(actions: readonly TimedAction[], until: number): ReportEvent[] {
  let state: ReportState = initialState();
  const log: ReportEvent[] = [];
  const apply = (command: ReportCommand) => {
    try {
      const events = decide(command, state);
      for (const event of events) state = evolve(state, event);
      log.push(...events);
    } catch (error) {
      if (!(error instanceof IllegalStepError)) throw error;
    }
  };
  const timerUntil = (instant: number) => {
    for (;;) {
      if (state.status !== 'active') return;
      const running = state.clocks;
      const due = CLOCK_KINDS.map((kind) => running[kind])
        .filter((clock) => clock?.status === 'running' && toMillis(clock.deadline) <= instant)
        .sort((a, b) => toMillis(a!.deadline) - toMillis(b!.deadline))[0];
      if (!due) return;
      const before = log.length;
      apply({ type: 'RecordDeadlineElapsed', data: { clock: due.kind, step: due.step }, metadata: { actor: 'system:timer', now: due.deadline } });
      if (log.length === before) return;
    }
  };
  for (const action of actions) {
    timerUntil(action.at);
    apply(action.make({ actor: action.actor ?? 'analyst.meyer', now: new Date(action.at).toISOString() }));
  }
  timerUntil(until);
  return log;
}
