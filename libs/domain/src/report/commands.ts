// What back-office staff, integrations and the engine's timers ask of a report (imperative names).

import { Command } from '../event-sourcing';
import { ClockKind, EscalationPolicy, LadderStep, Severity } from '../policy/escalation-policy';
import {
  CloseOutcome,
  OffenceCategory,
  PauseReason,
  PlatformResponse,
  RemovalCheck,
  ReportFacts,
  TriageActions,
} from './vocabulary';

export type FileReport = Command<
  'FileReport',
  ReportFacts & {
    /** The platform's policy in force when the report arrives; the case follows it until another is applied. */
    policy: EscalationPolicy;
  }
>;

export type TriageReport = Command<
  'TriageReport',
  | { decision: 'dismiss'; reason: string }
  | { decision: 'actionable'; category: OffenceCategory; severity: Severity; actions: TriageActions }
>;

/** Corrects the assessment of a triaged case; deadlines are recomputed from their original starts. */
export type RetriageReport = Command<
  'RetriageReport',
  { category: OffenceCategory; severity: Severity; actions: TriageActions; reason: string }
>;

export type RequestDeletion = Command<'RequestDeletion', Record<string, never>>;
export type RequestSubscriberData = Command<'RequestSubscriberData', Record<string, never>>;

export type RecordPlatformResponse = Command<
  'RecordPlatformResponse',
  {
    clock: ClockKind;
    response: PlatformResponse;
    reason?: string;
    /** When the platform's answer arrived (default: when it is recorded); not later than that, not before the request. */
    receivedAt?: string;
    /** When the platform says it gave effect (removed the content, supplied the data): its information under Art. 9(1)/10(1) DSA. */
    effectGivenAt?: string;
  }
>;

export type VerifyRemoval = Command<'VerifyRemoval', { result: RemovalCheck }>;

export type Escalate = Command<'Escalate', { clock: ClockKind; reason: string }>;

/** Sent by the case's timer when a ladder step's deadline has passed. */
export type RecordDeadlineElapsed = Command<'RecordDeadlineElapsed', { clock: ClockKind; step: LadderStep }>;

export type PauseCase = Command<'PauseCase', { reason: PauseReason; note?: string }>;
export type ResumeCase = Command<'ResumeCase', Record<string, never>>;
export type AssignCase = Command<'AssignCase', { assignee: string }>;
export type AddNote = Command<'AddNote', { text: string }>;
export type CloseCase = Command<'CloseCase', { outcome: CloseOutcome; note?: string }>;
export type ReopenCase = Command<'ReopenCase', { reason: string }>;
export type MarkDuplicate = Command<'MarkDuplicate', { duplicateOf: string }>;
export type ApplyPolicy = Command<'ApplyPolicy', { policy: EscalationPolicy; reason: string }>;

export type ReportCommand =
  | FileReport
  | TriageReport
  | RetriageReport
  | RequestDeletion
  | RequestSubscriberData
  | RecordPlatformResponse
  | VerifyRemoval
  | Escalate
  | RecordDeadlineElapsed
  | PauseCase
  | ResumeCase
  | AssignCase
  | AddNote
  | CloseCase
  | ReopenCase
  | MarkDuplicate
  | ApplyPolicy;

export type ReportCommandType = ReportCommand['type'];
