// Small factories for a report's commands and events, so specs read as the business speaks. Test-only.
import { Metadata } from '../src/event-sourcing';
import { defaultEscalationPolicy, EscalationPolicy, Severity } from '../src/policy/escalation-policy';
import * as C from '../src/report/commands';
import * as E from '../src/report/events';

export const REPORT_ID = 'r-2026-0001';
export const PLATFORM = 'telegram';

/** Monday 2 March 2026, 09:00 UTC (10:00 in Berlin): a plain business day. */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();
export const meta = (offsetMs = 0, actor = 'analyst.meyer'): Metadata => ({ actor, now: at(offsetMs) });
export const timer = (offsetMs: number): Metadata => ({ actor: 'system:timer', now: at(offsetMs) });

export const policyV1: EscalationPolicy = defaultEscalationPolicy(PLATFORM);

/** The default policy with every step of every ladder set to one duration: handy for drills and tests. */
export function uniformPolicy(version: number, duration: string, basis: 'calendar' | 'business' = 'calendar'): EscalationPolicy {
  const step = { duration, basis };
  const ladder = { 'standard-contact': step, reminder: step, 'high-level-contact': step, 'app-store-pressure': step };
  const clocks = { deletion: ladder, 'subscriber-data': ladder };
  return { platform: PLATFORM, version, rules: { critical: clocks, high: clocks, standard: clocks } };
}

const filedData: C.FileReport['data'] = {
  reportId: REPORT_ID,
  platform: PLATFORM,
  channel: 'state-police',
  contentLocations: [{ url: 'https://t.me/examplechannel/4711', channel: 'examplechannel', messageIds: ['4711'] }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash: 'sha256:9f2c…',
  seenAt: '2026-03-01T20:15:00.000Z',
  reporterReference: 'LKA-BW-2026-123',
  policy: policyV1,
};

export const command = {
  fileReport: (data: Partial<C.FileReport['data']> = {}, m = meta()): C.FileReport => ({ type: 'FileReport', data: { ...filedData, ...data }, metadata: m }),
  triageActionable: (severity: Severity = 'high', m = meta(10 * MINUTE)): C.TriageReport => ({
    type: 'TriageReport',
    data: { decision: 'actionable', category: 'call-to-murder', severity, actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true } },
    metadata: m,
  }),
  dismiss: (reason = 'Satire, not unlawful', m = meta(10 * MINUTE)): C.TriageReport => ({ type: 'TriageReport', data: { decision: 'dismiss', reason }, metadata: m }),
  requestDeletion: (m = meta(20 * MINUTE)): C.RequestDeletion => ({ type: 'RequestDeletion', data: {}, metadata: m }),
  requestSubscriberData: (m = meta(20 * MINUTE)): C.RequestSubscriberData => ({ type: 'RequestSubscriberData', data: {}, metadata: m }),
  respond: (data: C.RecordPlatformResponse['data'], m: Metadata): C.RecordPlatformResponse => ({ type: 'RecordPlatformResponse', data, metadata: m }),
  verify: (result: C.VerifyRemoval['data']['result'], m: Metadata): C.VerifyRemoval => ({ type: 'VerifyRemoval', data: { result }, metadata: m }),
  escalate: (data: C.Escalate['data'], m: Metadata): C.Escalate => ({ type: 'Escalate', data, metadata: m }),
  elapse: (data: C.RecordDeadlineElapsed['data'], m: Metadata): C.RecordDeadlineElapsed => ({ type: 'RecordDeadlineElapsed', data, metadata: m }),
  pause: (data: C.PauseCase['data'], m: Metadata): C.PauseCase => ({ type: 'PauseCase', data, metadata: m }),
  resume: (m: Metadata): C.ResumeCase => ({ type: 'ResumeCase', data: {}, metadata: m }),
  assign: (assignee: string, m: Metadata): C.AssignCase => ({ type: 'AssignCase', data: { assignee }, metadata: m }),
  addNote: (text: string, m: Metadata): C.AddNote => ({ type: 'AddNote', data: { text }, metadata: m }),
  close: (data: C.CloseCase['data'], m: Metadata): C.CloseCase => ({ type: 'CloseCase', data, metadata: m }),
  reopen: (reason: string, m: Metadata): C.ReopenCase => ({ type: 'ReopenCase', data: { reason }, metadata: m }),
  markDuplicate: (duplicateOf: string, m: Metadata): C.MarkDuplicate => ({ type: 'MarkDuplicate', data: { duplicateOf }, metadata: m }),
  applyPolicy: (policy: EscalationPolicy, m: Metadata, reason = 'Drill'): C.ApplyPolicy => ({ type: 'ApplyPolicy', data: { policy, reason }, metadata: m }),
};

export const event = {
  reportFiled: (m = meta()): E.ReportFiled => ({ type: 'ReportFiled', data: { ...filedData }, metadata: m }),
  reportTriaged: (severity: Severity = 'high', m = meta(10 * MINUTE)): E.ReportTriaged => ({
    type: 'ReportTriaged',
    data: { category: 'call-to-murder', severity, actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true } },
    metadata: m,
  }),
  reportDismissed: (reason = 'Satire, not unlawful', m = meta(10 * MINUTE)): E.ReportDismissed => ({ type: 'ReportDismissed', data: { reason }, metadata: m }),
  deletionRequested: (deadline: string, m = meta(20 * MINUTE), policyVersion = 1): E.DeletionRequested => ({
    type: 'DeletionRequested', data: { step: 'standard-contact', deadline, policyVersion }, metadata: m,
  }),
  subscriberDataRequested: (deadline: string, m = meta(20 * MINUTE), policyVersion = 1): E.SubscriberDataRequested => ({
    type: 'SubscriberDataRequested', data: { step: 'standard-contact', deadline, policyVersion }, metadata: m,
  }),
  responseRecorded: (data: E.PlatformResponseRecorded['data'], m: Metadata): E.PlatformResponseRecorded => ({ type: 'PlatformResponseRecorded', data, metadata: m }),
  removalConfirmed: (m: Metadata): E.RemovalConfirmed => ({ type: 'RemovalConfirmed', data: {}, metadata: m }),
  removalContradicted: (data: E.RemovalContradicted['data'], m: Metadata): E.RemovalContradicted => ({ type: 'RemovalContradicted', data, metadata: m }),
  deadlineElapsed: (data: E.DeadlineElapsed['data'], m: Metadata): E.DeadlineElapsed => ({ type: 'DeadlineElapsed', data, metadata: m }),
  escalated: (data: E.RequestEscalated['data'], m: Metadata): E.RequestEscalated => ({ type: 'RequestEscalated', data, metadata: m }),
  exhausted: (clock: E.EscalationLadderExhausted['data']['clock'], m: Metadata): E.EscalationLadderExhausted => ({ type: 'EscalationLadderExhausted', data: { clock }, metadata: m }),
  paused: (data: E.CasePaused['data'], m: Metadata): E.CasePaused => ({ type: 'CasePaused', data, metadata: m }),
  resumed: (data: E.CaseResumed['data'], m: Metadata): E.CaseResumed => ({ type: 'CaseResumed', data, metadata: m }),
  assigned: (data: E.CaseAssigned['data'], m: Metadata): E.CaseAssigned => ({ type: 'CaseAssigned', data, metadata: m }),
  noteAdded: (text: string, m: Metadata): E.NoteAdded => ({ type: 'NoteAdded', data: { text }, metadata: m }),
  markedDuplicate: (duplicateOf: string, m: Metadata): E.ReportMarkedDuplicate => ({ type: 'ReportMarkedDuplicate', data: { duplicateOf }, metadata: m }),
  closed: (data: E.ReportClosed['data'], m: Metadata): E.ReportClosed => ({ type: 'ReportClosed', data, metadata: m }),
  reopened: (reason: string, m: Metadata): E.ReportReopened => ({ type: 'ReportReopened', data: { reason }, metadata: m }),
  policyApplied: (data: E.PolicyApplied['data'], m: Metadata): E.PolicyApplied => ({ type: 'PolicyApplied', data, metadata: m }),
};

/** Common histories. A high-severity case: the deletion request's first deadline is 24 h after sending. */
export const history = {
  filed: () => [event.reportFiled()],
  triaged: (severity: Severity = 'high') => [event.reportFiled(), event.reportTriaged(severity)],
  deletionRequested: () => [...history.triaged(), event.deletionRequested(at(20 * MINUTE + DAY))],
  closedWithdrawn: () => [...history.triaged(), event.closed({ outcome: 'withdrawn' }, meta(HOUR))],
};
