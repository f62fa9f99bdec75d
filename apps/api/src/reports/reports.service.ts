// What the back office can do with reports. The HTTP layer calls this and nothing else; the implementation
// reaches the report workflows (Temporal), the event store and the read model.

import type { CaseFileStoredEvent, FileReport, ReplayedReport, ReplayPoint, ReportState } from '@engine/domain';
import type { SentMessageSummary } from '@engine/platform-gateway';
import type { ReportListFilter, ReportSummary, TimelineEntry } from '@engine/read-model';
import type { ReportActionType } from '../../../../workflows/report-lifecycle.messages';

/** The signed-in user, as authentication established it. */
export interface Actor {
  username: string;
  role: 'viewer' | 'staff' | 'admin';
}

/** What filing a report needs from the caller; the platform's current policy is added by the service. */
export type FileReportInput = Omit<FileReport['data'], 'policy' | 'reportId'> & { reportId?: string };

/** One stored event of a report's stream, as the API answers it (the case file reads the same shape). */
export type StoredReportEvent = CaseFileStoredEvent;

export interface ReportEventStream {
  reportId: string;
  events: StoredReportEvent[];
  /** Whether the stream's hash chain verifies, and where it breaks if not. */
  integrity: { verified: true } | { verified: false; brokenAtVersion: number; reason: string };
}

/** The report does not exist (HTTP 404). */
export class ReportNotFoundError extends Error {
  override readonly name = 'ReportNotFoundError';
  constructor(readonly reportId: string) {
    super(`There is no report with id ${reportId}.`);
  }
}

/** The report exists, but its history has no such point: before its first event or past its end (HTTP 404). */
export class ReportHistoryPointNotFoundError extends ReportNotFoundError {
  constructor(reportId: string, message: string) {
    super(reportId);
    this.message = message;
  }
}

/** The engine cannot act on or read cases now, for a reason an operator can fix (HTTP 503). */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
}

/** The event store refuses what the action would store, for what it holds; nothing changed (HTTP 422). */
export class UnstorableInputError extends Error {
  override readonly name = 'UnstorableInputError';
}

/**
 * The action named a case version (If-Match) the case has left: nothing changed (HTTP 412, with the current
 * version in the body and as the ETag).
 */
export class StaleVersionError extends Error {
  override readonly name = 'StaleVersionError';
  constructor(
    readonly currentVersion: number,
    message: string,
  ) {
    super(message);
  }
}

/** How an action is to be taken: on the version the actor saw (If-Match), once per key (Idempotency-Key). */
export interface ActionOptions {
  expectedVersion?: number;
  idempotencyKey?: string;
}

/** An `Idempotency-Key` reused with a different request body (HTTP 422). */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
}

export abstract class ReportsService {
  /**
   * Files a report. With an idempotency key, a retried request returns the report filed the first time
   * (`created: false`) instead of filing a duplicate. Refused steps throw the domain's IllegalStepError.
   */
  abstract file(input: FileReportInput, actor: Actor, idempotencyKey?: string): Promise<{ created: boolean; report: ReportState }>;

  /**
   * Runs one back-office action on a report; returns its new state. Throws ReportNotFoundError, IllegalStepError,
   * StaleVersionError (the case left `expectedVersion`). Under an idempotency key the action is taken once: a
   * repeat answers the first outcome; the key with another request throws IdempotencyKeyReusedError.
   */
  abstract act(reportId: string, action: ReportActionType, data: object, actor: Actor, options?: ActionOptions): Promise<ReportState>;

  /** The current state, from the report's workflow. Throws ReportNotFoundError. */
  abstract get(reportId: string): Promise<ReportState>;

  /**
   * The case as it was at a point of its history (a stream version, or an instant), folded from its stored events.
   * Throws ReportNotFoundError, and ReportHistoryPointNotFoundError for a point before the first event or past the end.
   */
  abstract stateAt(reportId: string, point: ReplayPoint): Promise<ReplayedReport>;

  /** Lists reports from the read model. */
  abstract list(filter: ReportListFilter): Promise<{ items: ReportSummary[]; total: number }>;

  /** The stored event stream with its integrity check. Throws ReportNotFoundError. */
  abstract events(reportId: string): Promise<ReportEventStream>;

  /** The read model's timeline of a report, oldest first (empty while the projection catches up). Throws ReportNotFoundError. */
  abstract timeline(reportId: string): Promise<TimelineEntry[]>;

  /** The messages the engine sent to the platform for a report, oldest first, each with its delivery. Throws ReportNotFoundError. */
  abstract messages(reportId: string): Promise<SentMessageSummary[]>;
}
