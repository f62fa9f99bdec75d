// ReportsService on the real thing: actions go to each report's workflow as Updates, reads come from the
// workflow (current state), the event store (the stream and its hash chain) and the read model (lists).

import { createHash, randomBytes } from 'node:crypto';
import { isGrpcDeadlineError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { defineSearchAttributeKey, SearchAttributeType, UpdateDefinition } from '@temporalio/common';
import { reportStreamId, reportWorkflowId, storedAsDomainEvents } from '@engine/contracts';
import { evolve, IllegalStepError, initialState, ReplayedReport, ReplayPoint, replayReport, ReportEvent, ReportState } from '@engine/domain';
import type { EventStore } from '@engine/event-store';
import { recentWorkflowPollers, WORKER_POLL_WINDOW_MS } from '@engine/temporal';
import type { SentMessagesLog, SentMessageSummary } from '@engine/platform-gateway';
import type { ReadModel, ReportListFilter, TimelineEntry } from '@engine/read-model';
import { currentRequestId } from '@engine/telemetry';
import { ACTION_EXPIRED_FAILURE, ACTION_STORE_GRACE_MS, Action, fileReportUpdate, PLATFORM_SEARCH_ATTRIBUTE, reportActionUpdates, ReportActionType } from '../../../../workflows/report-lifecycle.messages';
import type { PoliciesService } from '../policies/policies.service';
import { IdempotencyKeys } from './idempotency-keys';
import { ActionOptions, Actor, EngineUnavailableError, FileReportInput, ReportEventStream, ReportHistoryPointNotFoundError, ReportNotFoundError, ReportsService } from './reports.service';
import { translateWorkflowError } from './temporal-errors';

/** How long a read waits for the case's workflow to answer before the API answers 503. */
export const READ_TIMEOUT_MS = 15_000;
/**
 * How long an action (a Temporal update: filing included) may take to reach its case: each carries this limit as
 * `notAfter`, and the workflow refuses it once passed. The API waits for the answer until the limit plus
 * ACTION_ANSWER_MARGIN_MS (for a step that began in time to finish), then answers 503: the action was not applied
 * and will not be.
 */
export const ACTION_TIMEOUT_MS = 10_000;
/** Longer than ACTION_STORE_GRACE_MS, the time a step that began in time may still take to store its events. */
export const ACTION_ANSWER_MARGIN_MS = 2 * ACTION_STORE_GRACE_MS;
/** How long a seen worker is taken as present without asking Temporal again. */
const WORKER_SEEN_MS = 5_000;

export const platformSearchAttribute = defineSearchAttributeKey(PLATFORM_SEARCH_ATTRIBUTE, SearchAttributeType.KEYWORD);

export interface WorkflowReportsDependencies {
  temporal: Client;
  taskQueue: string;
  eventStore: EventStore;
  readModel: ReadModel;
  /** The platform gateway's log in the engine's database (the worker writes it, the API reads it). */
  sentMessages: SentMessagesLog;
  policies: PoliciesService;
  idempotencyKeys: IdempotencyKeys;
  /** Default ACTION_TIMEOUT_MS and ACTION_ANSWER_MARGIN_MS (tests shorten them). */
  actionTimeoutMs?: number;
  actionAnswerMarginMs?: number;
  /**
   * False on Temporal's time-skipping test server, whose workflow time runs ahead of the wall clock: there no
   * time limit can be set for the workflow to check, and actions wait for their answer as long as it takes.
   */
  workflowTimeIsWallTime?: boolean;
}

/** A readable id: the filing day and 8 random hex digits, for example `R-20260302-3f9a1c07`. */
export function newReportId(now = new Date()): string {
  return `R-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
}

export class WorkflowReportsService extends ReportsService {
  private workerSeenAt = 0;

  constructor(private readonly deps: WorkflowReportsDependencies) {
    super();
  }

  /**
   * Refuses at once when no worker serves the task queue: an update sent then would wait without an answer
   * and be applied whenever a worker came back, long after the caller gave up; a query would time out.
   */
  private async requireWorker(): Promise<void> {
    if (Date.now() - this.workerSeenAt < WORKER_SEEN_MS) return;
    const pollers = await recentWorkflowPollers(this.deps.temporal, this.deps.taskQueue).catch((error: { code?: number }) => {
      // UNIMPLEMENTED: a server that cannot tell (Temporal's time-skipping test server has no DescribeTaskQueue).
      if (error?.code === 12) return undefined;
      throw error;
    });
    if (pollers === 0) {
      throw new EngineUnavailableError(
        `No worker serves task queue "${this.deps.taskQueue}" (none polled in the last ${WORKER_POLL_WINDOW_MS / 1000} s): nothing was sent and nothing changed. Start the worker and try again.`,
      );
    }
    this.workerSeenAt = Date.now();
  }

  async file(input: FileReportInput, actor: Actor, idempotencyKey?: string): Promise<{ created: boolean; report: ReportState }> {
    const proposedId = input.reportId ?? newReportId();
    const { reportId, firstUse } = idempotencyKey
      ? await this.deps.idempotencyKeys.claim(idempotencyKey, { ...input, actor: actor.username }, proposedId)
      : { reportId: proposedId, firstUse: true };
    await this.requireWorker();
    const { policy } = await this.deps.policies.current(input.platform);
    const workflowId = reportWorkflowId(reportId);
    try {
      await this.deps.temporal.workflow.start('reportLifecycle', {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [{ reportId }],
        typedSearchAttributes: [{ key: platformSearchAttribute, value: input.platform }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    try {
      const report = await this.withinActionLimit(reportId, (notAfter) =>
        this.deps.temporal.workflow.getHandle(workflowId).executeUpdate(fileReportUpdate, { args: [{ data: { ...input, reportId, policy }, actor: actor.username, notAfter, ...requestCorrelation() }] }),
      );
      return { created: true, report };
    } catch (error) {
      if (error instanceof EngineUnavailableError) throw error;
      const translated = translateWorkflowError(error, reportId);
      // Under one key, whichever call's update got there first filed the report for all of them: a retry, or a
      // concurrent call (even the key's first user can lose that race). With an id the server chose, nothing
      // but a call with this key can have filed it; a caller-chosen id may be another request's, so 409 stays.
      const sameKeyFiledIt = idempotencyKey !== undefined && (!firstUse || input.reportId === undefined);
      if (sameKeyFiledIt && translated instanceof IllegalStepError && translated.code === 'already-filed') {
        return { created: false, report: await this.get(reportId) };
      }
      throw translated;
    }
  }

  async act(reportId: string, action: ReportActionType, data: object, actor: Actor, options: ActionOptions = {}): Promise<ReportState> {
    const { expectedVersion, idempotencyKey } = options;
    const precondition = expectedVersion === undefined ? {} : { expectedVersion };
    // The key stands for this one request: the same key with another action, case, body or version is refused.
    let attempt = 0;
    if (idempotencyKey !== undefined) {
      const claimed = await this.deps.idempotencyKeys.claim(idempotencyKey, { reportId, action, data, actor: actor.username, ...precondition }, reportId);
      // Taken before: the same answer, without asking the case again (its run may have continued as new since).
      if (claimed.outcome !== undefined) return claimed.outcome as ReportState;
      attempt = claimed.attempt;
    }
    if (action === 'MarkDuplicate') await this.requireOriginal(reportId, (data as { duplicateOf?: unknown }).duplicateOf);
    await this.requireWorker();
    try {
      return await this.withinActionLimit(reportId, (notAfter) =>
        this.deps.temporal.workflow
          .getHandle(reportWorkflowId(reportId))
          // One generic call for every action: the definitions differ only in the data they carry. Under a key, the
          // update's id comes from it: Temporal runs an update id once per run and answers a repeat with its outcome.
          .executeUpdate(reportActionUpdates[action] as UpdateDefinition<ReportState, [Action]>, {
            args: [{ data: data as Action['data'], actor: actor.username, notAfter, ...precondition, ...requestCorrelation() }],
            ...(idempotencyKey !== undefined && { updateId: actionUpdateId(idempotencyKey, attempt) }),
          }),
      ).then(async (state) => {
        // Not kept (the database away): a repeat is still answered by Temporal's own update id within this run.
        if (idempotencyKey !== undefined) await this.deps.idempotencyKeys.recordOutcome(idempotencyKey, state).catch(() => undefined);
        return state;
      });
    } catch (error) {
      if (error instanceof EngineUnavailableError) {
        if (idempotencyKey !== undefined) await this.deps.idempotencyKeys.abandonAttempt(idempotencyKey, attempt).catch(() => undefined);
        throw error;
      }
      throw translateWorkflowError(error, reportId);
    }
  }

  /**
   * A duplicate must name a report that was filed (reports are never deleted, so checking before the command
   * cannot be overtaken). The domain checks the rest (not itself, the case open).
   */
  private async requireOriginal(reportId: string, duplicateOf: unknown): Promise<void> {
    if (typeof duplicateOf !== 'string' || duplicateOf === reportId) return;
    if ((await this.deps.eventStore.streamVersion(reportStreamId(duplicateOf))) === 0) {
      throw new IllegalStepError('original-report-not-found', `There is no report ${duplicateOf} to be a duplicate of; nothing changed.`);
    }
  }

  /**
   * Sends an update that the workflow refuses after `notAfter`, and waits for its answer until shortly after
   * that: a caller told 503 can rely on the action not being applied later (unless its storing had begun in
   * time, which the margin leaves time to finish).
   */
  private async withinActionLimit<T>(reportId: string, send: (notAfter: string | undefined) => Promise<T>): Promise<T> {
    if (this.deps.workflowTimeIsWallTime === false) return send(undefined);
    const timeoutMs = this.deps.actionTimeoutMs ?? ACTION_TIMEOUT_MS;
    const started = Date.now();
    const notAfter = new Date(started + timeoutMs).toISOString();
    try {
      return await this.deps.temporal.withDeadline(started + timeoutMs + (this.deps.actionAnswerMarginMs ?? ACTION_ANSWER_MARGIN_MS), () => send(notAfter));
    } catch (error) {
      if (isExpired(error) && Date.now() < started + timeoutMs) {
        // Refused as late before it was late by this process's clock: the engine's clock is ahead of ours.
        throw new EngineUnavailableError(
          `Report ${reportId}: the action was refused as too late although it was sent in time (${(error as Error & { cause: Error }).cause.message}): the clocks of the API and the Temporal server disagree by more than ${timeoutMs / 1000} s. Nothing was applied; synchronise the clocks (NTP) and try again.`,
        );
      }
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(error) || isExpired(error)) {
        throw new EngineUnavailableError(
          `Report ${reportId}: the action was not answered within ${timeoutMs / 1000} s, so it was not applied and will not be. Try again; if it persists, check the worker.`,
        );
      }
      throw error;
    }
  }

  /**
   * The case as its stored events make it, folded with the domain's own `evolve`, as the workflow folds them: the
   * store is the source of truth and an action is acknowledged only once appended, so this is as current as every
   * acknowledged action, needs no worker, and answers at once after a crash (no workflow task to wait for).
   */
  async get(reportId: string): Promise<ReportState> {
    const stored = await this.deps.eventStore.readStream(reportStreamId(reportId));
    if (stored.length === 0) throw new ReportNotFoundError(reportId);
    return storedAsDomainEvents<ReportEvent>(stored).reduce(evolve, initialState());
  }

  /** As `get`, but only the stored events up to the point: the same fold, stopped early. */
  async stateAt(reportId: string, point: ReplayPoint): Promise<ReplayedReport> {
    const stored = await this.deps.eventStore.readStream(reportStreamId(reportId));
    if (stored.length === 0) throw new ReportNotFoundError(reportId);
    const events = storedAsDomainEvents<ReportEvent>(stored);
    const replayed = replayReport(events, point);
    if (replayed) return replayed;
    const first = events[0].metadata.now;
    throw new ReportHistoryPointNotFoundError(
      reportId,
      'atVersion' in point
        ? `Report ${reportId} has versions 1 to ${events.length}; there is no version ${point.atVersion}.`
        : `Report ${reportId} was filed at ${first}; at ${point.at} it did not exist yet.`,
    );
  }

  list(filter: ReportListFilter) {
    return this.deps.readModel.list(filter);
  }

  async events(reportId: string): Promise<ReportEventStream> {
    const streamId = reportStreamId(reportId);
    const stored = await this.deps.eventStore.readStream(streamId);
    if (stored.length === 0) throw new ReportNotFoundError(reportId);
    const verification = await this.deps.eventStore.verifyStream(streamId);
    return {
      reportId,
      events: stored.map((event) => ({
        streamVersion: event.version,
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        actor: event.metadata.actor,
        occurredAt: String(event.metadata.now ?? event.recordedAt),
        recordedAt: event.recordedAt,
      })),
      integrity: verification.ok ? { verified: true } : { verified: false, brokenAtVersion: verification.brokenAtVersion, reason: verification.reason },
    };
  }

  async timeline(reportId: string): Promise<TimelineEntry[]> {
    const entries = await this.deps.readModel.timeline(reportId);
    // No rows: either no such report, or the projection has not caught up with one just filed (not a 404).
    if (entries.length === 0 && (await this.deps.eventStore.readStream(reportStreamId(reportId))).length === 0) {
      throw new ReportNotFoundError(reportId);
    }
    return entries;
  }

  async messages(reportId: string): Promise<SentMessageSummary[]> {
    const messages = await this.deps.sentMessages.messagesForReport(reportId);
    if (messages.length === 0 && (await this.deps.eventStore.readStream(reportStreamId(reportId))).length === 0) {
      throw new ReportNotFoundError(reportId);
    }
    return messages;
  }
}

/** The workflow refused the action because it came after its `notAfter` (the worker picked it up too late). */
function isExpired(error: unknown): boolean {
  if (!(error instanceof WorkflowUpdateFailedError)) return false;
  // From the workflow (validator, or before storing), or from the append that gave up storing.
  const failure = error.cause instanceof ActivityFailure ? error.cause.cause : error.cause;
  return failure instanceof ApplicationFailure && failure.type === ACTION_EXPIRED_FAILURE;
}

/**
 * The Temporal update id of an action sent under an Idempotency-Key (hashed: a key may hold any visible
 * character), for its `attempt`-th try (see IdempotencyKeys.abandonAttempt).
 */
export function actionUpdateId(idempotencyKey: string, attempt = 0): string {
  return `idempotency-key:${createHash('sha256').update(idempotencyKey).digest('hex')}${attempt === 0 ? '' : `:${attempt}`}`;
}

/** The HTTP request's id as the action's correlation id: its events carry it, and so do the log lines about them. */
function requestCorrelation(): Pick<Action, 'correlationId'> {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { correlationId: requestId };
}
