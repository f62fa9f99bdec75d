// What a report's stored events ask of the outside world: write to the platform, join or leave the platform's
// app-store dossier. Pure: the workflow carries the effects out, in this order, once the events are stored.

import { ClockKind, LadderStep } from '../policy/escalation-policy';
import { ReportEvent } from './events';
import { evolve } from './evolve';
import { Assessment, pressesThroughAppStores, ReportDetails, ReportState, RequestClock } from './state';

export type PlatformMessageKind = 'deletion-request' | 'subscriber-data-request' | 'reminder' | 'high-level-contact' | 'removal-still-online';

export interface PlatformMessage {
  /** Deterministic, so a retried delivery is recognised: `<reportId>:<streamVersion>:<kind>`. */
  messageId: string;
  kind: PlatformMessageKind;
  report: ReportDetails;
  clock: ClockKind;
  step: LadderStep;
  deadline: string;
  /** The triage the order cites (its offence and severity). Absent in messages decided before it was carried. */
  assessment?: Assessment;
}

export type ReportEffect =
  | { type: 'ContactPlatform'; message: PlatformMessage }
  | { type: 'JoinAppStoreDossier'; platform: string; reportId: string; actor: string }
  /** An answered or closed report leaves the dossier, which lists unanswered reports only. */
  | { type: 'LeaveAppStoreDossier'; platform: string; reportId: string; actor: string; reason: 'answered' | 'closed' };

/**
 * The effects of `events`, stored on top of `before`. Messages carry the case as it stands after all of them
 * (the deadlines they announce are the ones in force). Leaving the dossier comes last.
 */
export function reportEffects(before: ReportState, events: readonly ReportEvent[]): ReportEffect[] {
  const after = events.reduce(evolve, before);
  if (after.status === 'not-filed') return [];
  const { report } = after;
  const effects: ReportEffect[] = [];
  for (const [index, event] of events.entries()) {
    const contact = (kind: PlatformMessageKind, clock: RequestClock | undefined) => {
      if (!clock) return;
      const messageId = `${report.reportId}:${before.version + index + 1}:${kind}`;
      effects.push({ type: 'ContactPlatform', message: { messageId, kind, report, clock: clock.kind, step: clock.step, deadline: clock.deadline, ...(after.assessment && { assessment: after.assessment }) } });
    };
    switch (event.type) {
      case 'DeletionRequested':
        contact('deletion-request', after.clocks.deletion);
        break;
      case 'SubscriberDataRequested':
        contact('subscriber-data-request', after.clocks['subscriber-data']);
        break;
      case 'RemovalContradicted':
        contact('removal-still-online', after.clocks.deletion);
        break;
      case 'RequestEscalated': {
        const clock = after.clocks[event.data.clock];
        if (event.data.to === 'reminder') contact('reminder', clock);
        else if (event.data.to === 'high-level-contact') contact('high-level-contact', clock);
        else if (event.data.to === 'app-store-pressure') effects.push({ type: 'JoinAppStoreDossier', platform: report.platform, reportId: report.reportId, actor: event.metadata.actor });
        break;
      }
      case 'ReportFiled':
      case 'ReportTriaged':
      case 'ReportRetriaged':
      case 'ReportDismissed':
      case 'PlatformResponseRecorded':
      case 'RemovalConfirmed':
      case 'DeadlineElapsed':
      case 'EscalationLadderExhausted':
      case 'CasePaused':
      case 'CaseResumed':
      case 'CaseAssigned':
      case 'NoteAdded':
      case 'ReportMarkedDuplicate':
      case 'ReportClosed':
      case 'ReportReopened':
      case 'PolicyApplied':
        break;
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }
  if (events.length > 0 && pressesThroughAppStores(before) && !pressesThroughAppStores(after)) {
    const actor = events[events.length - 1].metadata.actor;
    effects.push({ type: 'LeaveAppStoreDossier', platform: report.platform, reportId: report.reportId, actor, reason: after.status === 'closed' ? 'closed' : 'answered' });
  }
  return effects;
}
