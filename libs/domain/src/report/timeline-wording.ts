// A report's events in the words a back office reads on the case's timeline ("Deadline elapsed: escalated to
// the high-level contact"). Pure: the API maps the read model's timeline rows through it.

import { ClockKind, LadderStep } from '../policy/escalation-policy';
import { ReportEvent } from './events';
import { CloseOutcome, PauseReason, ReportingChannel } from './vocabulary';

/** What a timeline line needs of an event: its type and data (the read model keeps metadata apart). */
export type TimelineEventInput = Pick<ReportEvent, 'type' | 'data'>;

const REQUEST: Record<ClockKind, string> = { deletion: 'Deletion request', 'subscriber-data': 'Subscriber-data request' };

const STEP: Record<LadderStep, string> = {
  'standard-contact': 'the standard contact',
  reminder: 'the reminder',
  'high-level-contact': 'the high-level contact',
  'app-store-pressure': 'app-store pressure',
};

const CHANNEL: Record<ReportingChannel, string> = {
  'citizen-portal': 'the citizen portal',
  'partner-organisation': 'a partner organisation',
  'state-police': 'the state police',
  other: 'another channel',
};

const PAUSE_REASON: Record<PauseReason, string> = {
  'awaiting-prosecutor': 'awaiting the prosecutor',
  'awaiting-court-order': 'awaiting a court order',
  'platform-asked-for-clarification': 'the platform asked for clarification',
  other: 'other reason',
};

const OUTCOME: Record<CloseOutcome, string> = {
  removed: 'content removed',
  'removed-after-escalation': 'content removed after escalation',
  'refused-and-referred-to-prosecution': 'refused and referred to prosecution',
  dismissed: 'dismissed',
  duplicate: 'duplicate',
  withdrawn: 'withdrawn',
  unresolved: 'unresolved',
};

const RESPONSE: Record<string, string> = {
  removed: 'removed',
  'partially-removed': 'partially removed',
  refused: 'refused',
  'data-supplied': 'data supplied',
  'data-refused': 'data refused',
};

/** "Deletion request" → "the deletion request", for the middle of a sentence. */
const request = (clock: ClockKind): string => `the ${REQUEST[clock].toLowerCase()}`;
const withNote = (text: string, note: string | undefined): string => (note ? `${text}: ${note}` : text);
const moved = (count: number): string => (count === 0 ? '' : count === 1 ? '; 1 deadline moved' : `; ${count} deadlines moved`);

/** "2 d 3 h 5 min", to the minute; under a minute: "under a minute". */
export function describeSpan(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (rest) parts.push(`${rest} min`);
  return parts.join(' ');
}

/** One sentence saying what the event means for the case, without who and when (the timeline shows those apart). */
export function describeReportEvent(event: TimelineEventInput): string {
  const e = event as ReportEvent;
  switch (e.type) {
    case 'ReportFiled':
      return `Report filed via ${CHANNEL[e.data.channel] ?? e.data.channel} against ${e.data.platform} (policy version ${e.data.policy.version})`;
    case 'ReportTriaged': {
      const { deletionRequest, subscriberDataRequest, referToProsecution } = e.data.actions;
      const planned = [
        deletionRequest && 'deletion request',
        subscriberDataRequest && 'subscriber-data request',
        referToProsecution && 'referral to prosecution',
      ].filter((item): item is string => typeof item === 'string');
      return `Triaged as ${e.data.category}, severity ${e.data.severity}; planned: ${planned.length ? planned.join(', ') : 'no action'}`;
    }
    case 'ReportRetriaged':
      return `Re-triaged from ${e.data.previous.category} (${e.data.previous.severity}) to ${e.data.category} (${e.data.severity}): ${e.data.reason}${moved(e.data.deadlines.length)}`;
    case 'ReportDismissed':
      return `Dismissed: ${e.data.reason}`;
    case 'DeletionRequested':
      return `Deletion request sent to ${STEP[e.data.step]}, due ${e.data.deadline}`;
    case 'SubscriberDataRequested':
      return `Subscriber-data request sent to ${STEP[e.data.step]}, due ${e.data.deadline}`;
    case 'PlatformResponseRecorded':
      return withNote(`Platform answered ${request(e.data.clock)}: ${RESPONSE[e.data.response] ?? e.data.response}${answerTimes(e.data)}`, e.data.reason);
    case 'RemovalConfirmed':
      return 'Removal verified: the content is gone';
    case 'RemovalContradicted':
      return `Removal contradicted: the content is still online; the deletion request runs again at ${STEP[e.data.step]}, due ${e.data.deadline}`;
    case 'DeadlineElapsed':
      return `Deadline elapsed: ${request(e.data.clock)} at ${STEP[e.data.step]} went unanswered`;
    case 'RequestEscalated':
      return e.data.trigger === 'deadline'
        ? `Deadline elapsed: ${request(e.data.clock)} escalated to ${STEP[e.data.to]}, due ${e.data.deadline}`
        : withNote(`${REQUEST[e.data.clock]} escalated by hand to ${STEP[e.data.to]}, due ${e.data.deadline}`, e.data.reason);
    case 'EscalationLadderExhausted':
      return `Escalation ladder exhausted: ${request(e.data.clock)} escalates no further on its own`;
    case 'CasePaused':
      return withNote(`Case paused: ${PAUSE_REASON[e.data.reason] ?? e.data.reason}`, e.data.note);
    case 'CaseResumed':
      return `Case resumed after ${describeSpan(e.data.pausedForMs)}${moved(e.data.deadlines.length)}`;
    case 'CaseAssigned':
      return e.data.previousAssignee ? `Reassigned from ${e.data.previousAssignee} to ${e.data.assignee}` : `Assigned to ${e.data.assignee}`;
    case 'NoteAdded':
      return `Note: ${e.data.text}`;
    case 'ReportMarkedDuplicate':
      return `Closed as a duplicate of ${e.data.duplicateOf}`;
    case 'ReportClosed':
      return withNote(`Closed: ${OUTCOME[e.data.outcome] ?? e.data.outcome}`, e.data.note);
    case 'ReportReopened':
      return `Reopened: ${e.data.reason}`;
    case 'PolicyApplied':
      return `Policy version ${e.data.policy.version} applied (was ${e.data.previousVersion}): ${e.data.reason}${moved(e.data.deadlines.length)}`;
    default: {
      const unknown: never = e;
      // An event type newer than this wording (a projection ahead of the API) still gets a line, never a 500.
      return `Recorded ${(unknown as { type: string }).type}`;
    }
  }
}

/** The platform's own times, when it gave them: " (effect given …, answer arrived …)". */
function answerTimes(data: { receivedAt?: string; effectGivenAt?: string }): string {
  const times = [data.effectGivenAt && `effect given ${data.effectGivenAt}`, data.receivedAt && `answer arrived ${data.receivedAt}`].filter(Boolean);
  return times.length > 0 ? ` (${times.join(', ')})` : '';
}
