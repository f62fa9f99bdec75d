// Temporal messages of a report's workflow, defined once and imported by the API's client and the workflow.

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  AddNote,
  AssignCase,
  CloseCase,
  EscalationPolicy,
  Escalate,
  FileReport,
  MarkDuplicate,
  PauseCase,
  RecordPlatformResponse,
  ReopenCase,
  ReportCommand,
  ReportState,
  RequestDeletion,
  RequestSubscriberData,
  ResumeCase,
  RetriageReport,
  TriageReport,
  VerifyRemoval,
} from '@engine/domain';

/** A back-office action: the command's data and who acts. The workflow stamps the time. */
export interface Action<C extends ReportCommand = ReportCommand> {
  data: C['data'];
  actor: string;
  correlationId?: string;
  /**
   * ISO instant after which the action must not be applied: the API stops waiting for an answer shortly after
   * it (and answers 503), so the workflow refuses it from then on instead of applying it behind the caller's back.
   */
  notAfter?: string;
  /**
   * The case version the actor saw (HTTP If-Match): the workflow refuses the action with `version-mismatch` when
   * the case is at another version when the action's turn comes, atomically with the decision.
   */
  expectedVersion?: number;
}

export interface ReportLifecycleInput {
  reportId: string;
  /** On a continued run: the state folded so far. */
  carried?: ReportState;
  /** Continue as new past this many history events (default 2,000; tests set it low). */
  historyLimit?: number;
}

/**
 * The commands that reach a case as back-office actions, each as its own Update. Filing is one too: the API
 * starts the workflow, then files through the update, so that a refused filing is a refused update.
 */
export const reportActionUpdates = {
  FileReport: defineUpdate<ReportState, [Action<FileReport>]>('fileReport'),
  TriageReport: defineUpdate<ReportState, [Action<TriageReport>]>('triageReport'),
  RequestDeletion: defineUpdate<ReportState, [Action<RequestDeletion>]>('requestDeletion'),
  RequestSubscriberData: defineUpdate<ReportState, [Action<RequestSubscriberData>]>('requestSubscriberData'),
  RecordPlatformResponse: defineUpdate<ReportState, [Action<RecordPlatformResponse>]>('recordPlatformResponse'),
  VerifyRemoval: defineUpdate<ReportState, [Action<VerifyRemoval>]>('verifyRemoval'),
  Escalate: defineUpdate<ReportState, [Action<Escalate>]>('escalate'),
  PauseCase: defineUpdate<ReportState, [Action<PauseCase>]>('pauseCase'),
  ResumeCase: defineUpdate<ReportState, [Action<ResumeCase>]>('resumeCase'),
  AssignCase: defineUpdate<ReportState, [Action<AssignCase>]>('assignCase'),
  AddNote: defineUpdate<ReportState, [Action<AddNote>]>('addNote'),
  CloseCase: defineUpdate<ReportState, [Action<CloseCase>]>('closeCase'),
  ReopenCase: defineUpdate<ReportState, [Action<ReopenCase>]>('reopenCase'),
  MarkDuplicate: defineUpdate<ReportState, [Action<MarkDuplicate>]>('markDuplicate'),
  RetriageReport: defineUpdate<ReportState, [Action<RetriageReport>]>('retriageReport'),
} as const;

export type ReportActionType = keyof typeof reportActionUpdates;

export const fileReportUpdate = reportActionUpdates.FileReport;

export const reportStateQuery = defineQuery<ReportState>('reportState');

/** An admin's policy change that applies to running cases. */
export interface PolicyChange {
  policy: EscalationPolicy;
  actor: string;
  reason: string;
}
export const policyChangedSignal = defineSignal<[PolicyChange]>('policyChanged');

/**
 * What a case did with a policy version a rollout brought it: applied it, already followed it (or a newer one),
 * was closed, was not filed yet (within a minute), or refused it for another reason (another platform's policy).
 */
export type PolicyApplicationOutcome =
  | { outcome: 'applied' | 'already-following' | 'closed' | 'not-filed' }
  | { outcome: 'refused'; reason: string };
/** The rollout's way to tell a case (the signal above stays for histories that hold it): it answers how it went. */
export const applyPolicyUpdate = defineUpdate<PolicyApplicationOutcome, [PolicyChange]>('applyPolicy');

/** A workflow started for a filing that never came (its starter died) ends after this long. */
export const UNFILED_TIMEOUT_MS = 60 * 60 * 1000;

/** The Temporal search attribute (Keyword) by which a platform's running cases are found. */
export const PLATFORM_SEARCH_ATTRIBUTE = 'Platform';

/** Every custom search attribute the engine uses, with its type: the API and the worker create them at start. */
export const REPORT_SEARCH_ATTRIBUTES = { [PLATFORM_SEARCH_ATTRIBUTE]: 'Keyword' } as const;

/** The failure type a refused action carries; its details hold the domain's code and the case's version. */
export const ILLEGAL_STEP_FAILURE = 'IllegalStepError';
/**
 * The failure type of an append the event store refuses because of the events themselves (text it cannot keep,
 * a value the database refuses): never retried, so the action fails with the reason and the case goes on.
 */
export const UNSTORABLE_EVENT_FAILURE = 'UnstorableEventError';

/** The failure type of an action that reached the workflow after its `notAfter`: it was not applied. */
export const ACTION_EXPIRED_FAILURE = 'ActionExpiredError';
/**
 * An action that began storing in time may go on trying (the database down) until `notAfter` plus this, no
 * longer: the API waits longer than that for the answer (ACTION_ANSWER_MARGIN_MS), so an action it called not
 * applied is never stored later.
 */
export const ACTION_STORE_GRACE_MS = 2_500;
