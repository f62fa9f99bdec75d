// The people's part of a recorded history: the staff's actions and the platform's answers, as the commands that
// made them, without what time did on its own (deadlines elapsing, the escalations they brought) or the policy.

import { EscalationPolicy } from '../policy/escalation-policy';
import { ReportCommand } from '../report/commands';
import { ReportEvent } from '../report/events';

/**
 * The commands behind `events` (a case's stream, oldest first), each with its recorded actor and time, filed under
 * `policy` instead of the one recorded. Dropped: the timer's events (a deadline elapsing, the escalation or the
 * exhausted ladder it brings: the candidate's deadlines decide those), a policy applied to the running case (the
 * candidate is in force throughout), and the closing that dismissing or marking a duplicate brings with it.
 */
export function recordedActions(events: readonly ReportEvent[], policy: EscalationPolicy): ReportCommand[] {
  const commands: ReportCommand[] = [];
  for (const event of events) {
    const command = actionOf(event, policy);
    if (command) commands.push(command);
  }
  return commands;
}

function actionOf(event: ReportEvent, policy: EscalationPolicy): ReportCommand | undefined {
  const metadata = event.metadata;
  switch (event.type) {
    case 'ReportFiled':
      // The candidate is for this platform whatever the spelling it was stored under.
      return { type: 'FileReport', data: { ...event.data, policy: { ...policy, platform: event.data.platform } }, metadata };
    case 'ReportTriaged':
      return { type: 'TriageReport', data: { decision: 'actionable', ...event.data }, metadata };
    case 'ReportRetriaged': {
      const { category, severity, actions, reason } = event.data;
      return { type: 'RetriageReport', data: { category, severity, actions, reason }, metadata };
    }
    case 'ReportDismissed':
      return { type: 'TriageReport', data: { decision: 'dismiss', reason: event.data.reason }, metadata };
    case 'DeletionRequested':
      return { type: 'RequestDeletion', data: {}, metadata };
    case 'SubscriberDataRequested':
      return { type: 'RequestSubscriberData', data: {}, metadata };
    case 'PlatformResponseRecorded': {
      // Recorded when it was recorded, as the decider saw it; when it arrived and gave effect go with it.
      const { clock, response, reason, receivedAt, effectGivenAt } = event.data;
      const times = { ...(receivedAt !== undefined && { receivedAt }), ...(effectGivenAt !== undefined && { effectGivenAt }) };
      return { type: 'RecordPlatformResponse', data: { clock, response, ...(reason !== undefined && { reason }), ...times }, metadata };
    }
    case 'RemovalConfirmed':
      return { type: 'VerifyRemoval', data: { result: 'gone' }, metadata };
    case 'RemovalContradicted':
      return { type: 'VerifyRemoval', data: { result: 'still-online' }, metadata };
    case 'RequestEscalated':
      // By hand: the staff's; by deadline: the timer's, recomputed under the candidate.
      return event.data.trigger === 'staff' ? { type: 'Escalate', data: { clock: event.data.clock, reason: event.data.reason ?? '' }, metadata } : undefined;
    case 'CasePaused':
      return { type: 'PauseCase', data: { ...event.data }, metadata };
    case 'CaseResumed':
      return { type: 'ResumeCase', data: {}, metadata };
    case 'CaseAssigned':
      return { type: 'AssignCase', data: { assignee: event.data.assignee }, metadata };
    case 'NoteAdded':
      return { type: 'AddNote', data: { text: event.data.text }, metadata };
    case 'ReportMarkedDuplicate':
      return { type: 'MarkDuplicate', data: { duplicateOf: event.data.duplicateOf }, metadata };
    case 'ReportClosed':
      // Dismissing at triage and marking a duplicate close the case themselves; no one can close it so by hand.
      return event.data.outcome === 'dismissed' || event.data.outcome === 'duplicate' ? undefined : { type: 'CloseCase', data: { ...event.data }, metadata };
    case 'ReportReopened':
      return { type: 'ReopenCase', data: { reason: event.data.reason }, metadata };
    case 'DeadlineElapsed':
    case 'EscalationLadderExhausted':
    case 'PolicyApplied':
      return undefined;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
