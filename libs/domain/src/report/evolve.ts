// Folding one event into a report's state. No rules here: `decide` already checked them.

import { ClockKind } from '../policy/escalation-policy';
import { DeadlineChange, ReportEvent } from './events';
import { FiledReportState, RequestClock, ReportState } from './state';

export function evolve(state: ReportState, event: ReportEvent): ReportState {
  const now = event.metadata.now;
  if (event.type === 'ReportFiled') {
    const { policy, ...report } = event.data;
    return { status: 'in-triage', report: { ...report, filedAt: now }, policy, clocks: {}, notes: [], version: 1 };
  }
  if (state.status === 'not-filed') return state; // an event stream never starts otherwise; keep the fold total
  const next = { ...state, version: state.version + 1 } as FiledReportState;

  switch (event.type) {
    case 'ReportTriaged':
      return { ...next, status: 'active', assessment: { ...event.data } };
    case 'ReportRetriaged': {
      const { category, severity, actions } = event.data;
      return moveDeadlines({ ...next, assessment: { category, severity, actions } }, event.data.deadlines, 0);
    }
    case 'ReportDismissed':
      return next;
    case 'DeletionRequested':
    case 'SubscriberDataRequested': {
      const kind: ClockKind = event.type === 'DeletionRequested' ? 'deletion' : 'subscriber-data';
      const clock: RequestClock = {
        kind,
        status: 'running',
        requestedAt: now,
        step: event.data.step,
        stepStartedAt: now,
        pausedMsInStep: 0,
        deadline: event.data.deadline,
        escalated: false,
      };
      return withClock(next, clock);
    }
    case 'PlatformResponseRecorded': {
      const { clock: kind, response, reason, receivedAt, effectGivenAt } = event.data;
      const claimedRemoval = response === 'removed' || response === 'partially-removed';
      return updateClock(next, kind, (clock) => ({
        ...clock,
        status: 'answered',
        response: { kind: response, ...(reason !== undefined && { reason }), at: now, ...(receivedAt && { receivedAt }), ...(effectGivenAt && { effectGivenAt }) },
        ...(claimedRemoval && { removal: 'unverified' as const }),
      }));
    }
    case 'RemovalConfirmed':
      return updateClock(next, 'deletion', (clock) => ({ ...clock, removal: 'gone' }));
    case 'RemovalContradicted':
      return updateClock(next, 'deletion', ({ response: _response, removal: _removal, ...clock }) => ({
        ...clock,
        status: 'running',
        step: event.data.step,
        stepStartedAt: now,
        pausedMsInStep: 0,
        deadline: event.data.deadline,
      }));
    case 'DeadlineElapsed':
      return next;
    case 'RequestEscalated':
      return updateClock(next, event.data.clock, (clock) => ({
        ...clock,
        step: event.data.to,
        stepStartedAt: now,
        pausedMsInStep: 0,
        deadline: event.data.deadline,
        escalated: true,
      }));
    case 'EscalationLadderExhausted':
      return updateClock(next, event.data.clock, (clock) => ({ ...clock, status: 'exhausted' }));
    case 'CasePaused':
      if (next.status !== 'active') return next;
      return { ...next, status: 'paused', pause: { ...event.data, since: now } };
    case 'CaseResumed': {
      if (next.status !== 'paused') return next;
      const { pause: _pause, ...resumed } = next;
      return moveDeadlines({ ...resumed, status: 'active' }, event.data.deadlines, event.data.pausedForMs);
    }
    case 'CaseAssigned':
      return { ...next, assignee: event.data.assignee };
    case 'NoteAdded':
      return { ...next, notes: [...next.notes, { text: event.data.text, author: event.metadata.actor, at: now }] };
    case 'ReportMarkedDuplicate':
      return { ...next, duplicateOf: event.data.duplicateOf };
    case 'ReportClosed': {
      const clocks = mapClocks(next.clocks, (clock) =>
        clock.status === 'running' ? { ...clock, status: 'cancelled' } : clock,
      );
      const { pause: _pause, ...rest } = next as FiledReportState & { pause?: unknown };
      return {
        ...rest,
        status: 'closed',
        clocks,
        closure: {
          ...event.data,
          at: now,
          ...(next.duplicateOf !== undefined && { duplicateOf: next.duplicateOf }),
        },
      };
    }
    case 'ReportReopened': {
      if (next.status !== 'closed') return next;
      const { closure: _closure, duplicateOf: _duplicateOf, ...rest } = next;
      return rest.assessment ? { ...rest, status: 'active', assessment: rest.assessment } : { ...rest, status: 'in-triage' };
    }
    case 'PolicyApplied':
      return moveDeadlines({ ...next, policy: event.data.policy }, event.data.deadlines, 0);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function withClock<S extends FiledReportState>(state: S, clock: RequestClock): S {
  return { ...state, clocks: { ...state.clocks, [clock.kind]: clock } };
}

function updateClock<S extends FiledReportState>(state: S, kind: ClockKind, change: (clock: RequestClock) => RequestClock): S {
  const clock = state.clocks[kind];
  return clock ? withClock(state, change(clock)) : state;
}

function mapClocks(
  clocks: FiledReportState['clocks'],
  change: (clock: RequestClock) => RequestClock,
): FiledReportState['clocks'] {
  const result: FiledReportState['clocks'] = {};
  for (const [kind, clock] of Object.entries(clocks) as [ClockKind, RequestClock][]) result[kind] = change(clock);
  return result;
}

function moveDeadlines<S extends FiledReportState>(state: S, changes: DeadlineChange[], pausedMs: number): S {
  return changes.reduce(
    (current, change) =>
      updateClock(current, change.clock, (clock) => ({
        ...clock,
        deadline: change.deadline,
        pausedMsInStep: clock.pausedMsInStep + pausedMs,
      })),
    state,
  );
}
