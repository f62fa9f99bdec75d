// What happened to a report (past-tense names). Events are the contract with integrating systems.

import { Event } from '../event-sourcing';
import { ClockKind, EscalationPolicy, LadderStep, Severity } from '../policy/escalation-policy';
import {
  CloseOutcome,
  DeletionResponse,
  OffenceCategory,
  PauseReason,
  ReportFacts,
  SubscriberDataResponse,
  TriageActions,
} from './vocabulary';

/** A clock's deadline before and after a pause or a policy change. */
export interface DeadlineChange {
  clock: ClockKind;
  step: LadderStep;
  previousDeadline: string;
  deadline: string;
}

export type ReportFiled = Event<'ReportFiled', ReportFacts & { policy: EscalationPolicy }>;

export type ReportTriaged = Event<
  'ReportTriaged',
  { category: OffenceCategory; severity: Severity; actions: TriageActions }
>;

/** The assessment was corrected; waiting requests' deadlines follow the new severity from their step's start. */
export type ReportRetriaged = Event<
  'ReportRetriaged',
  {
    category: OffenceCategory;
    severity: Severity;
    actions: TriageActions;
    reason: string;
    previous: { category: OffenceCategory; severity: Severity; actions: TriageActions };
    deadlines: DeadlineChange[];
  }
>;

export type ReportDismissed = Event<'ReportDismissed', { reason: string }>;

/** A request to the platform was sent: its clock starts on the ladder's first step. */
export type DeletionRequested = Event<'DeletionRequested', { step: LadderStep; deadline: string; policyVersion: number }>;
export type SubscriberDataRequested = Event<
  'SubscriberDataRequested',
  { step: LadderStep; deadline: string; policyVersion: number }
>;

/**
 * When the platform's answer arrived, and when it says it gave effect to the request (schema version 2 of the
 * event; absent in answers recorded without them, whose arrival is the event's time).
 */
export interface AnswerTimes {
  receivedAt?: string;
  effectGivenAt?: string;
}

export type PlatformResponseRecorded = Event<
  'PlatformResponseRecorded',
  | ({ clock: 'deletion'; response: DeletionResponse; reason?: string; step: LadderStep } & AnswerTimes)
  | ({ clock: 'subscriber-data'; response: SubscriberDataResponse; reason?: string; step: LadderStep } & AnswerTimes)
>;

export type RemovalConfirmed = Event<'RemovalConfirmed', Record<string, never>>;
/** The platform claimed a removal but the content is still online: the deletion clock runs again. */
export type RemovalContradicted = Event<'RemovalContradicted', { step: LadderStep; deadline: string }>;

export type DeadlineElapsed = Event<'DeadlineElapsed', { clock: ClockKind; step: LadderStep; deadline: string }>;

export type RequestEscalated = Event<
  'RequestEscalated',
  {
    clock: ClockKind;
    from: LadderStep;
    to: LadderStep;
    trigger: 'deadline' | 'staff';
    reason?: string;
    deadline: string;
  }
>;

/** The last step's deadline passed too: nothing further escalates on its own. */
export type EscalationLadderExhausted = Event<'EscalationLadderExhausted', { clock: ClockKind }>;

export type CasePaused = Event<'CasePaused', { reason: PauseReason; note?: string }>;
export type CaseResumed = Event<'CaseResumed', { pausedForMs: number; deadlines: DeadlineChange[] }>;
export type CaseAssigned = Event<'CaseAssigned', { assignee: string; previousAssignee?: string }>;
export type NoteAdded = Event<'NoteAdded', { text: string }>;
export type ReportMarkedDuplicate = Event<'ReportMarkedDuplicate', { duplicateOf: string }>;
export type ReportClosed = Event<'ReportClosed', { outcome: CloseOutcome; note?: string }>;
export type ReportReopened = Event<'ReportReopened', { reason: string }>;
export type PolicyApplied = Event<
  'PolicyApplied',
  { policy: EscalationPolicy; previousVersion: number; reason: string; deadlines: DeadlineChange[] }
>;

export type ReportEvent =
  | ReportFiled
  | ReportTriaged
  | ReportRetriaged
  | ReportDismissed
  | DeletionRequested
  | SubscriberDataRequested
  | PlatformResponseRecorded
  | RemovalConfirmed
  | RemovalContradicted
  | DeadlineElapsed
  | RequestEscalated
  | EscalationLadderExhausted
  | CasePaused
  | CaseResumed
  | CaseAssigned
  | NoteAdded
  | ReportMarkedDuplicate
  | ReportClosed
  | ReportReopened
  | PolicyApplied;

export type ReportEventType = ReportEvent['type'];
