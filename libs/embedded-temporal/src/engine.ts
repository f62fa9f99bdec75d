// The server's state across all runs and the operations of the frontend API on it: starting, signalling,
// cancelling, workflow and activity task hand-over and completion, timers, timeouts, queries and updates.
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Clock } from './clock';
import {
  ServiceError,
  failedPrecondition,
  invalidArgument,
  namespaceNotFound,
  notFound,
  unimplemented,
  workflowAlreadyStarted,
} from './errors';
import type { JournalStore } from './journal';
import { T, base64, durationMs, messageFromBase64, messageToBase64, msToDuration, msToTimestamp, toNumber, unpackAny, packAny, fromBase64, decodeMessage } from './proto';
import { RetryState, decideRetry, normalizeRetryPolicy, retryPolicyToProto, validateRetryPolicy } from './retry-policy';
import { TaskQueues, type QueuedTask } from './task-queues';
import {
  EventType,
  WorkflowRun,
  eventAttributes,
  statusToProto,
  toNumberId,
  type ActivityState,
  type HistoryEvent,
  type RunSnapshot,
  type RunStatus,
  type UpdateWaitResult,
} from './workflow-run';
import { compileVisibilityQuery, type VisibilityRow } from './visibility-query';

type WS = typeof temporal.api.workflowservice.v1;
type Req<K extends keyof WS> = WS[K] extends { prototype: infer P } ? P : never;

const enums = temporal.api.enums.v1;
const CommandType = enums.CommandType;
const WFTFailedCause = enums.WorkflowTaskFailedCause;
const TimeoutType = enums.TimeoutType;
/** Durations the server fills where the caller left them open ("no limit"), kept well inside setTimeout's range. */
const UNBOUNDED_MS = 10 * 365 * 24 * 3600 * 1000;
const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const HISTORY_PAGE_SIZE = 1000;

export interface EngineOptions {
  clock: Clock;
  journal: JournalStore;
  longPollMs: number;
  /** Called whenever the server may have become idle (time skipping looks at it). */
  onActivity?: () => void;
}

interface PendingQuery {
  id: string;
  runId: string;
  query: object;
  resolve: (answer: { result?: object; error?: ServiceError }) => void;
  legacy: boolean;
}

export class Engine {
  readonly runs = new Map<string, WorkflowRun>();
  /** workflowId -> runIds in start order; the last is the current run. */
  private readonly runsByWorkflowId = new Map<string, string[]>();
  readonly queues: TaskQueues;
  readonly clock: Clock;
  private readonly journal: JournalStore;
  private readonly queries = new Map<string, PendingQuery>();
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock;
    this.journal = options.journal;
    this.queues = new TaskQueues(options.longPollMs);
  }

  // ---------------------------------------------------------------- recovery and persistence

  /** Rebuilds runs from the journal and re-arms every timer, timeout and pending task. */
  restore(records: Map<string, { events: string[]; snapshot: unknown }>): void {
    for (const [runId, record] of records) {
      const run = new WorkflowRun(record.snapshot as RunSnapshot);
      for (const e of record.events) run.history.push(decodeMessage<HistoryEvent>(T.historyEvent, fromBase64(e)));
      run.durableLength = run.history.length;
      this.runs.set(runId, run);
      this.indexRun(run);
    }
    for (const list of this.runsByWorkflowId.values()) {
      list.sort((a, b) => (this.runs.get(a)?.s.startTime ?? 0) - (this.runs.get(b)?.s.startTime ?? 0));
    }
    for (const run of this.runs.values()) {
      if (!run.isRunning) continue;
      this.armRun(run);
      if (run.unsavedEvents.length > 0) void this.persist(run);
    }
  }

  private armRun(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (wft) {
      if (wft.speculative) {
        // Speculative tasks live only in memory on a real server too; the update that caused it is retried by the
        // client. Events buffered behind it still need a task.
        run.s.wft = null;
        if (run.flushBuffered() > 0) this.scheduleWorkflowTask(run);
      } else if (wft.state === 'started') {
        this.armWorkflowTaskTimeout(run);
      } else {
        this.offerWorkflowTask(run);
      }
    }
    for (const timer of Object.values(run.s.timers)) this.armTimer(run, timer.timerId);
    for (const activity of Object.values(run.s.activities)) this.armActivity(run, activity);
    if (run.s.executionExpirationTime > 0) this.armRunTimeout(run);
  }

  private indexRun(run: WorkflowRun): void {
    const list = this.runsByWorkflowId.get(run.s.workflowId) ?? [];
    if (!list.includes(run.s.runId)) list.push(run.s.runId);
    this.runsByWorkflowId.set(run.s.workflowId, list);
  }

  private persist(run: WorkflowRun): Promise<void> {
    const events = run.unsavedEvents.map((e) => messageToBase64(T.historyEvent, e) as string);
    run.unsavedEvents = [];
    const length = run.history.length;
    const written = this.journal.append({ r: run.s.runId, e: events, s: run.s });
    // Callers that do not await (timers, follow-up writes) must not turn a journal failure into a crash.
    written.catch(() => undefined);
    if (events.length > 0) {
      written.then(
        () => {
          run.durableLength = Math.max(run.durableLength, length);
          run.notifyHistoryWaiters();
        },
        () => undefined,
      );
    }
    this.options.onActivity?.();
    return written;
  }

  stop(): void {
    this.stopped = true;
    this.queues.releaseAll();
    for (const run of this.runs.values()) run.notifyHistoryWaiters();
    for (const q of this.queries.values()) q.resolve({ error: new ServiceError(14, 'server is shutting down') });
    this.queries.clear();
  }

  /** Work the server is waiting on from workers; time skipping advances the clock only when there is none. */
  outstandingWork(countRunningActivities = true): number {
    let count = this.queries.size;
    for (const run of this.runs.values()) {
      if (!run.isRunning) continue;
      if (run.s.wft) count++;
      for (const a of Object.values(run.s.activities)) {
        if (a.state === 'scheduled' || (a.state === 'started' && countRunningActivities)) count++;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- lookup helpers

  checkNamespace(namespace: string | null | undefined): void {
    if (namespace && namespace !== 'default') throw namespaceNotFound(namespace);
  }

  private currentRun(workflowId: string): WorkflowRun | null {
    const list = this.runsByWorkflowId.get(workflowId);
    if (!list || list.length === 0) return null;
    return this.runs.get(list[list.length - 1]) ?? null;
  }

  findRun(execution: { workflowId?: string | null; runId?: string | null } | null | undefined): WorkflowRun {
    if (!execution?.workflowId) throw invalidArgument('WorkflowExecution.workflowId is required');
    if (execution.runId) {
      const run = this.runs.get(execution.runId);
      if (!run || run.s.workflowId !== execution.workflowId) {
        throw notFound(`workflow execution not found: workflowId=${execution.workflowId} runId=${execution.runId}`);
      }
      return run;
    }
    const run = this.currentRun(execution.workflowId);
    if (!run) throw notFound(`workflow execution not found: workflowId=${execution.workflowId}`);
    return run;
  }

  private findRunningRun(execution: { workflowId?: string | null; runId?: string | null } | null | undefined): WorkflowRun {
    const run = this.findRun(execution);
    if (!run.isRunning) throw notFound('workflow execution already completed');
    return run;
  }

  // ---------------------------------------------------------------- start

  async startWorkflowExecution(req: Req<'StartWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const result = this.startInternal(req, null);
    if (result.started) await this.persist(result.run);
    return { runId: result.run.s.runId, started: result.started, status: statusToProto[result.run.s.status] };
  }

  /** Update-with-start: the only multi-operation the API defines today ([startWorkflow, updateWorkflow]). */
  async executeMultiOperation(req: Req<'ExecuteMultiOperationRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const ops = req.operations ?? [];
    const start = ops[0]?.startWorkflow;
    const update = ops[1]?.updateWorkflow;
    if (ops.length !== 2 || !start || !update) {
      throw invalidArgument('ExecuteMultiOperation supports exactly [startWorkflow, updateWorkflow] (update-with-start)');
    }
    if (update.workflowExecution?.workflowId && update.workflowExecution.workflowId !== start.workflowId) {
      throw invalidArgument('update-with-start: the update must target the started workflow id');
    }
    if (update.workflowExecution?.runId) throw invalidArgument('update-with-start: the update must not name a run id');
    this.checkNamespace(start.namespace);
    const result = this.startInternal(start as Req<'StartWorkflowExecutionRequest'>, null);
    if (result.started) await this.persist(result.run);
    update.workflowExecution = temporal.api.common.v1.WorkflowExecution.fromObject({ workflowId: result.run.s.workflowId, runId: result.run.s.runId });
    const updated = await this.updateWorkflowExecution(update as Req<'UpdateWorkflowExecutionRequest'>);
    return {
      responses: [
        { startWorkflow: { runId: result.run.s.runId, started: result.started, status: statusToProto[result.run.s.status] } },
        { updateWorkflow: updated },
      ],
    };
  }

  private validateStart(req: Req<'StartWorkflowExecutionRequest'>): void {
    if (!req.workflowId) throw invalidArgument('WorkflowId is not set on request');
    if (req.workflowId.length > 1000) throw invalidArgument('WorkflowId exceeds length limit');
    if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request');
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request');
    if (req.cronSchedule) throw unimplemented('Cron schedules (cronSchedule)');
    if (req.requestEagerExecution) throw unimplemented('Eager workflow start');
    if (req.versioningOverride) throw unimplemented('Worker versioning (versioningOverride)');
    if (req.completionCallbacks && req.completionCallbacks.length > 0) throw unimplemented('Completion callbacks (Nexus)');
    for (const [name, d] of [
      ['workflowExecutionTimeout', req.workflowExecutionTimeout],
      ['workflowRunTimeout', req.workflowRunTimeout],
      ['workflowTaskTimeout', req.workflowTaskTimeout],
      ['workflowStartDelay', req.workflowStartDelay],
    ] as const) {
      if (durationMs(d) < 0) throw invalidArgument(`${name} cannot be negative`);
    }
    const problem = validateRetryPolicy(req.retryPolicy);
    if (problem) throw invalidArgument(problem);
  }

  private startInternal(
    req: Req<'StartWorkflowExecutionRequest'>,
    signal: { name: string; input: object | null; header: object | null; identity: string } | null,
    parent: RunSnapshot['parent'] = null,
  ): { run: WorkflowRun; started: boolean } {
    this.validateStart(req);
    const workflowId = req.workflowId as string;
    const requestId = req.requestId || randomUUID();
    const existing = this.currentRun(workflowId);
    if (existing) {
      if (existing.s.requestIds.includes(requestId)) return { run: existing, started: false };
      const reuse = req.workflowIdReusePolicy ?? 0;
      const conflict = req.workflowIdConflictPolicy ?? 0;
      if (existing.isRunning) {
        if (conflict === enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) {
          return { run: existing, started: false };
        }
        if (
          conflict === enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING ||
          reuse === enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING
        ) {
          this.terminateRun(existing, 'terminated by a start with the same workflow id', null, req.identity ?? '');
          void this.persist(existing);
        } else {
          throw workflowAlreadyStarted(existing.s.requestIds[0] ?? '', existing.s.runId);
        }
      } else if (reuse === enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
        throw workflowAlreadyStarted(existing.s.requestIds[0] ?? '', existing.s.runId);
      } else if (
        reuse === enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY &&
        existing.s.status === 'Completed'
      ) {
        throw workflowAlreadyStarted(existing.s.requestIds[0] ?? '', existing.s.runId);
      }
    }
    const runId = randomUUID();
    const run = this.createRun({
      runId,
      firstExecutionRunId: runId,
      requestId,
      workflowId,
      workflowType: req.workflowType?.name as string,
      taskQueue: req.taskQueue?.name as string,
      input: req.input ?? null,
      header: req.header ?? null,
      executionTimeoutMs: durationMs(req.workflowExecutionTimeout),
      runTimeoutMs: durationMs(req.workflowRunTimeout),
      workflowTaskTimeoutMs: durationMs(req.workflowTaskTimeout),
      startDelayMs: durationMs(req.workflowStartDelay),
      memo: req.memo ?? null,
      searchAttributes: req.searchAttributes ?? null,
      identity: req.identity ?? '',
      retryPolicy: req.retryPolicy ?? null,
      parent,
      continued: null,
      signal,
      attempt: 1,
    });
    return { run, started: true };
  }

  private createRun(args: {
    runId: string;
    firstExecutionRunId: string;
    requestId: string;
    workflowId: string;
    workflowType: string;
    taskQueue: string;
    input: object | null;
    header: object | null;
    executionTimeoutMs: number;
    runTimeoutMs: number;
    workflowTaskTimeoutMs: number;
    startDelayMs: number;
    memo: { fields?: Record<string, object> | null } | null;
    searchAttributes: { indexedFields?: Record<string, object> | null } | null;
    identity: string;
    retryPolicy: object | null;
    parent: RunSnapshot['parent'];
    continued: { previousRunId: string; initiator: number; failure: object | null; lastCompletionResult: object | null; executionExpirationTime: number } | null;
    signal: { name: string; input: object | null; header: object | null; identity: string } | null;
    attempt: number;
  }): WorkflowRun {
    const now = this.clock.now();
    const wftTimeout = Math.min(args.workflowTaskTimeoutMs || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS, 120_000);
    const runTimeout = args.runTimeoutMs || args.executionTimeoutMs;
    const expiration =
      args.continued?.executionExpirationTime ?? (args.executionTimeoutMs > 0 ? now + args.executionTimeoutMs : 0);
    const searchAttributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(args.searchAttributes?.indexedFields ?? {})) {
      searchAttributes[k] = messageToBase64(T.payload, v) as string;
    }
    const memo: Record<string, string> = {};
    for (const [k, v] of Object.entries(args.memo?.fields ?? {})) memo[k] = messageToBase64(T.payload, v) as string;
    const run = new WorkflowRun({
      namespace: 'default',
      workflowId: args.workflowId,
      runId: args.runId,
      firstExecutionRunId: args.firstExecutionRunId,
      workflowType: args.workflowType,
      taskQueue: args.taskQueue,
      status: 'Running',
      startTime: now,
      executionTime: now + args.startDelayMs,
      closeTime: 0,
      workflowTaskTimeoutMs: wftTimeout,
      runTimeoutMs: runTimeout,
      executionTimeoutMs: args.executionTimeoutMs,
      executionExpirationTime: runTimeout > 0 ? Math.min(now + runTimeout, expiration || Infinity) : expiration,
      requestIds: [args.requestId],
      parent: args.parent,
      wft: null,
      lastCompletedStartedEventId: 0,
      sticky: null,
      activities: {},
      timers: {},
      children: {},
      buffered: [],
      searchAttributes,
      memo,
      cancelRequested: false,
      newExecutionRunId: '',
      closeEventId: 0,
      nextNonce: 0,
      pendingSignalExternal: {},
      retryPolicy: args.retryPolicy ? normalizeRetryPolicy(args.retryPolicy) : null,
      attempt: args.attempt,
    });
    run.append(
      EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
      {
        workflowType: { name: args.workflowType },
        taskQueue: { name: args.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        input: args.input,
        header: args.header,
        workflowExecutionTimeout: msToDuration(args.executionTimeoutMs),
        workflowRunTimeout: msToDuration(runTimeout),
        workflowTaskTimeout: msToDuration(wftTimeout),
        originalExecutionRunId: args.runId,
        firstExecutionRunId: args.firstExecutionRunId,
        continuedExecutionRunId: args.continued?.previousRunId ?? '',
        initiator: args.continued?.initiator ?? 0,
        continuedFailure: args.continued?.failure ?? null,
        lastCompletionResult: args.continued?.lastCompletionResult ?? null,
        identity: args.identity,
        attempt: args.attempt,
        retryPolicy: args.retryPolicy,
        workflowExecutionExpirationTime: run.s.executionExpirationTime > 0 ? msToTimestamp(run.s.executionExpirationTime) : null,
        firstWorkflowTaskBackoff: args.startDelayMs > 0 ? msToDuration(args.startDelayMs) : null,
        memo: args.memo,
        searchAttributes: args.searchAttributes,
        workflowId: args.workflowId,
        parentWorkflowNamespace: args.parent ? 'default' : '',
        parentWorkflowExecution: args.parent ? { workflowId: args.parent.workflowId, runId: args.parent.runId } : null,
        parentInitiatedEventId: args.parent?.initiatedEventId ?? 0,
      },
      now,
    );
    if (args.signal) {
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        { signalName: args.signal.name, input: args.signal.input, header: args.signal.header, identity: args.signal.identity },
        now,
      );
    }
    this.runs.set(run.s.runId, run);
    this.indexRun(run);
    if (args.startDelayMs > 0) {
      this.clock.schedule(now + args.startDelayMs, () => {
        if (run.isRunning && !run.s.wft && run.s.lastCompletedStartedEventId === 0) {
          this.scheduleWorkflowTask(run);
          void this.persist(run);
        }
      });
    } else {
      this.scheduleWorkflowTask(run);
    }
    if (run.s.executionExpirationTime > 0) this.armRunTimeout(run);
    return run;
  }

  private armRunTimeout(run: WorkflowRun): void {
    this.clock.schedule(run.s.executionExpirationTime, () => {
      if (!run.isRunning || this.clock.now() < run.s.executionExpirationTime) return;
      this.closeRun(run, 'TimedOut', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, { retryState: RetryState.timeout });
      void this.persist(run);
    }, () => run.isRunning);
  }

  // ---------------------------------------------------------------- signals, cancel, terminate

  async signalWorkflowExecution(req: Req<'SignalWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.signalName) throw invalidArgument('SignalName is not set on request');
    const run = this.findRunningRun(req.workflowExecution);
    if (req.requestId && run.s.requestIds.includes(req.requestId)) return {};
    if (req.requestId) run.s.requestIds.push(req.requestId);
    this.signalRun(run, req.signalName, req.input ?? null, req.header ?? null, req.identity ?? '');
    await this.persist(run);
    return {};
  }

  private signalRun(run: WorkflowRun, signalName: string, input: object | null, header: object | null, identity: string): void {
    this.addEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, { signalName, input, header, identity });
  }

  /** An event from outside the workflow's commands: buffered during an in-flight task, and it needs a new task. */
  private addEvent(run: WorkflowRun, eventType: number, attributes: object, fix?: 'previous' | 'child', childInitiatedEventId?: number): void {
    this.materializeSpeculativeIfScheduled(run);
    run.addExternal(eventType, attributes, this.clock.now(), fix, childInitiatedEventId);
    this.scheduleWorkflowTask(run);
  }

  async signalWithStartWorkflowExecution(req: Req<'SignalWithStartWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.signalName) throw invalidArgument('SignalName is not set on request');
    if (!req.workflowId) throw invalidArgument('WorkflowId is not set on request');
    const existing = this.currentRun(req.workflowId);
    if (existing?.isRunning && req.workflowIdConflictPolicy !== enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING) {
      this.signalRun(existing, req.signalName, req.signalInput ?? null, req.header ?? null, req.identity ?? '');
      await this.persist(existing);
      return { runId: existing.s.runId, started: false };
    }
    const startReq = temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.fromObject({
      ...req.toJSON(),
      workflowIdConflictPolicy: enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING,
    });
    startReq.input = req.input ?? null;
    const { run } = this.startInternal(startReq, {
      name: req.signalName,
      input: req.signalInput ?? null,
      header: req.header ?? null,
      identity: req.identity ?? '',
    });
    await this.persist(run);
    return { runId: run.s.runId, started: true };
  }

  async requestCancelWorkflowExecution(req: Req<'RequestCancelWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const run = this.findRunningRun(req.workflowExecution);
    if (run.s.cancelRequested) return {};
    this.cancelRun(run, req.identity ?? '', req.reason ?? '', null);
    await this.persist(run);
    return {};
  }

  private cancelRun(run: WorkflowRun, identity: string, cause: string, external: { initiatedEventId: number; workflowId: string; runId: string } | null): void {
    run.s.cancelRequested = true;
    this.addEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
      cause,
      identity,
      externalInitiatedEventId: external?.initiatedEventId ?? 0,
      externalWorkflowExecution: external ? { workflowId: external.workflowId, runId: external.runId } : null,
    });
  }

  async terminateWorkflowExecution(req: Req<'TerminateWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const run = this.findRunningRun(req.workflowExecution);
    this.terminateRun(run, req.reason ?? '', req.details ?? null, req.identity ?? '');
    await this.persist(run);
    return {};
  }

  private terminateRun(run: WorkflowRun, reason: string, details: object | null, identity: string): void {
    this.closeRun(run, 'Terminated', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity });
  }

  /** Writes the close event and settles everything that depended on the run being open. */
  private closeRun(run: WorkflowRun, status: RunStatus, eventType: number, attributes: object): void {
    const now = this.clock.now();
    const wft = run.s.wft;
    if (wft && wft.state === 'started' && !wft.speculative && eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED &&
        eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED && eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED &&
        eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
      // A forced close while a task is in flight: that task can no longer complete.
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        {
          scheduledEventId: wft.scheduledEventId,
          startedEventId: wft.startedEventId,
          cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
          identity: 'embedded-temporal',
        },
        now,
      );
    }
    if (eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW || !wft || wft.state !== 'started') {
      run.flushBuffered();
    }
    run.s.wft = null;
    const close = run.append(eventType, attributes, now);
    run.s.closeEventId = toNumberId(close.eventId);
    run.s.status = status;
    run.s.closeTime = now;
    run.s.activities = {};
    run.s.timers = {};
    run.s.buffered = [];
    for (const update of run.pendingUpdates.values()) for (const w of update.waiters) w({ stage: 'closed' });
    run.pendingUpdates.clear();
    this.requeueQueries(run);
    this.notifyParentOfClose(run, eventType, attributes);
    this.applyParentClosePolicy(run);
  }

  // ---------------------------------------------------------------- workflow tasks

  private scheduleWorkflowTask(run: WorkflowRun, options: { speculative?: boolean; attempt?: number; delayMs?: number } = {}): void {
    if (!run.isRunning || run.s.wft) return;
    const now = this.clock.now();
    const sticky = run.s.sticky;
    const attempt = options.attempt ?? 1;
    const queue = sticky ? sticky.queue : run.s.taskQueue;
    const speculative = options.speculative ?? false;
    let scheduledEventId = run.nextEventId;
    if (!speculative) {
      scheduledEventId = toNumberId(
        run.append(
          EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
          {
            taskQueue: { name: queue, kind: sticky ? enums.TaskQueueKind.TASK_QUEUE_KIND_STICKY : enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL, normalName: sticky ? run.s.taskQueue : '' },
            startToCloseTimeout: msToDuration(run.s.workflowTaskTimeoutMs),
            attempt,
          },
          now,
        ).eventId,
      );
    }
    run.s.wft = {
      scheduledEventId,
      startedEventId: 0,
      attempt,
      state: 'scheduled',
      speculative,
      queue,
      onSticky: sticky !== null,
      scheduledTime: now,
      startedTime: 0,
      nonce: run.newNonce(),
      notBefore: now + (options.delayMs ?? 0),
      deliveredUpdateIds: [],
      deliveredQueryIds: [],
    };
    this.offerWorkflowTask(run);
  }

  private offerWorkflowTask(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || wft.state !== 'scheduled') return;
    const nonce = wft.nonce;
    const offer = () => {
      if (run.s.wft?.nonce !== nonce || run.s.wft.state !== 'scheduled') return;
      this.queues.offer(TaskQueues.key('workflow', wft.queue), { runId: run.s.runId, kind: 'workflow', ref: nonce, nonce });
      if (wft.onSticky && run.s.sticky) {
        // A sticky task nobody picks up in time moves to the normal queue, where any worker can take it.
        this.clock.schedule(this.clock.now() + run.s.sticky.scheduleToStartMs, () => {
          const current = run.s.wft;
          if (!current || current.nonce !== nonce || current.state !== 'scheduled' || !current.onSticky) return;
          this.moveWorkflowTaskToNormalQueue(run);
        });
      }
    };
    if (wft.notBefore > this.clock.now()) this.clock.schedule(wft.notBefore, offer);
    else offer();
  }

  private moveWorkflowTaskToNormalQueue(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || wft.state !== 'scheduled') return;
    run.s.sticky = null;
    wft.onSticky = false;
    wft.queue = run.s.taskQueue;
    wft.nonce = run.newNonce();
    this.offerWorkflowTask(run);
    void this.persist(run);
  }

  /** A speculative task that has not been handed out becomes a normal one as soon as another event arrives. */
  private materializeSpeculativeIfScheduled(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || !wft.speculative || wft.state !== 'scheduled') return;
    run.s.wft = null;
    this.scheduleWorkflowTask(run, { attempt: wft.attempt });
    const replaced = run.s.wft as unknown as { deliveredUpdateIds: string[] } | null;
    if (replaced) replaced.deliveredUpdateIds = [];
  }

  async pollWorkflowTaskQueue(req: Req<'PollWorkflowTaskQueueRequest'>, isCancelled: () => boolean): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request');
    if (this.stopped) return {};
    const key = TaskQueues.key('workflow', req.taskQueue.name);
    const identity = req.identity ?? '';
    const response = await this.queues.poll(key, identity, isCancelled, (task) => this.deliverWorkflowTask(task, req.taskQueue?.name ?? '', identity));
    return response ?? {};
  }

  private async deliverWorkflowTask(task: QueuedTask, queueName: string, identity: string): Promise<object | null> {
    const run = this.runs.get(task.runId);
    if (!run) return null;
    if (task.kind === 'query') return this.deliverLegacyQuery(run, String(task.ref), queueName);
    const wft = run.s.wft;
    if (!run.isRunning || !wft || wft.nonce !== task.nonce || wft.state !== 'scheduled') return null;
    const now = this.clock.now();
    wft.state = 'started';
    wft.startedTime = now;
    wft.nonce = run.newNonce();
    if (!wft.speculative) {
      wft.startedEventId = toNumberId(
        run.append(
          EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
          { scheduledEventId: wft.scheduledEventId, identity, requestId: randomUUID() },
          now,
        ).eventId,
      );
    } else {
      wft.startedEventId = wft.scheduledEventId + 1;
    }
    this.armWorkflowTaskTimeout(run);
    await this.persist(run);
    const fromSticky = queueName !== run.s.taskQueue;
    const firstEventId = fromSticky ? run.s.lastCompletedStartedEventId + 1 : 1;
    const events: object[] = run.history.slice(firstEventId - 1);
    if (wft.speculative) {
      events.push(
        {
          eventId: wft.scheduledEventId,
          eventTime: msToTimestamp(wft.scheduledTime),
          eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
          workflowTaskScheduledEventAttributes: {
            taskQueue: { name: wft.queue },
            startToCloseTimeout: msToDuration(run.s.workflowTaskTimeoutMs),
            attempt: wft.attempt,
          },
        },
        {
          eventId: wft.startedEventId,
          eventTime: msToTimestamp(now),
          eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
          workflowTaskStartedEventAttributes: { scheduledEventId: wft.scheduledEventId, identity },
        },
      );
    }
    const messages: object[] = [];
    wft.deliveredUpdateIds = [];
    for (const update of run.pendingUpdates.values()) {
      if (update.deliveredTo !== null) continue;
      update.deliveredTo = wft.nonce;
      wft.deliveredUpdateIds.push(update.updateId);
      messages.push({
        id: `${update.updateId}/request`,
        protocolInstanceId: update.updateId,
        eventId: wft.startedEventId - 1,
        body: { type_url: `type.googleapis.com/${T.updateRequest}`, value: update.request },
      });
    }
    const queries: Record<string, object> = {};
    wft.deliveredQueryIds = [];
    for (const q of this.queries.values()) {
      if (q.runId !== run.s.runId || q.legacy) continue;
      queries[q.id] = q.query;
      wft.deliveredQueryIds.push(q.id);
    }
    return {
      taskToken: encodeToken({ k: 'wft', r: run.s.runId, n: wft.nonce }),
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      workflowType: { name: run.s.workflowType },
      previousStartedEventId: run.s.lastCompletedStartedEventId,
      startedEventId: wft.startedEventId,
      attempt: wft.attempt,
      history: { events },
      workflowExecutionTaskQueue: { name: run.s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      scheduledTime: msToTimestamp(wft.scheduledTime),
      startedTime: msToTimestamp(now),
      queries,
      messages,
    };
  }

  private armWorkflowTaskTimeout(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || wft.state !== 'started') return;
    const nonce = wft.nonce;
    this.clock.schedule(wft.startedTime + run.s.workflowTaskTimeoutMs, () => {
      const current = run.s.wft;
      if (!run.isRunning || !current || current.nonce !== nonce || current.state !== 'started') return;
      // The worker died or hung: hand the task to any worker, with a full history.
      this.failWorkflowTaskInternal(run, 'timeout', null, '');
      void this.persist(run);
    }, () => run.s.wft?.nonce === nonce);
  }

  private failWorkflowTaskInternal(run: WorkflowRun, kind: 'timeout' | 'failed', cause: number | null, identity: string, failure: object | null = null): void {
    const wft = run.s.wft;
    if (!wft) return;
    const now = this.clock.now();
    if (wft.speculative) this.writeSpeculativeTaskEvents(run, wft, identity);
    if (kind === 'timeout') {
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
        { scheduledEventId: wft.scheduledEventId, startedEventId: wft.startedEventId, timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE },
        now,
      );
    } else {
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
        { scheduledEventId: wft.scheduledEventId, startedEventId: wft.startedEventId, cause, failure, identity },
        now,
      );
    }
    for (const updateId of wft.deliveredUpdateIds) {
      const update = run.pendingUpdates.get(updateId);
      if (update) update.deliveredTo = null;
    }
    run.s.sticky = null;
    run.s.wft = null;
    run.flushBuffered();
    const unhandled = cause === WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
    const attempt = unhandled ? 1 : wft.attempt + 1;
    // Repeated failures back off so a workflow stuck on a bug does not spin.
    const delayMs = attempt <= 2 ? 0 : Math.min(1000 * 2 ** (attempt - 3), 60_000);
    this.scheduleWorkflowTask(run, { attempt, delayMs });
    this.requeueQueries(run);
  }

  private writeSpeculativeTaskEvents(run: WorkflowRun, wft: NonNullable<RunSnapshot['wft']>, identity: string): void {
    const scheduled = run.append(
      EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
      { taskQueue: { name: wft.queue }, startToCloseTimeout: msToDuration(run.s.workflowTaskTimeoutMs), attempt: wft.attempt },
      wft.scheduledTime,
    );
    const started = run.append(
      EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      { scheduledEventId: scheduled.eventId, identity },
      wft.startedTime,
    );
    wft.scheduledEventId = toNumberId(scheduled.eventId);
    wft.startedEventId = toNumberId(started.eventId);
    wft.speculative = false;
  }

  /** Queries waiting for a workflow task of `run`: they ride on the next task, or go out as query tasks. */
  private requeueQueries(run: WorkflowRun): void {
    if (run.isRunning && run.s.wft?.state === 'scheduled') return; // delivered with that task
    for (const q of this.queries.values()) {
      if (q.runId !== run.s.runId || q.legacy) continue;
      if (run.isRunning && run.s.wft) continue; // in flight: handled when it completes
      this.dispatchLegacyQuery(run, q);
    }
  }

  private workflowTaskFromToken(token: Uint8Array | null | undefined): { run: WorkflowRun; wft: NonNullable<RunSnapshot['wft']> } {
    const parsed = decodeToken(token);
    if (!parsed || parsed.k !== 'wft') throw invalidArgument('invalid task token');
    const run = this.runs.get(String(parsed.r));
    const wft = run?.s.wft;
    if (!run || !run.isRunning || !wft || wft.nonce !== parsed.n || wft.state !== 'started') {
      throw notFound('Workflow task not found.');
    }
    return { run, wft };
  }

  async respondWorkflowTaskFailed(req: Req<'RespondWorkflowTaskFailedRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run } = this.workflowTaskFromToken(req.taskToken);
    this.failWorkflowTaskInternal(run, 'failed', req.cause ?? WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED, req.identity ?? '', req.failure ?? null);
    await this.persist(run);
    return {};
  }

  async respondWorkflowTaskCompleted(req: Req<'RespondWorkflowTaskCompletedRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, wft } = this.workflowTaskFromToken(req.taskToken);
    const identity = req.identity ?? '';
    const now = this.clock.now();

    // Queries answered with this task.
    for (const [id, answer] of Object.entries(req.queryResults ?? {})) this.answerQuery(id, answer);

    const commands = req.commands ?? [];
    const messages = new Map<string, temporal.api.protocol.v1.IMessage>();
    for (const m of req.messages ?? []) if (m.id) messages.set(m.id, m);

    const closing = commands.find((c) =>
      [
        CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
        CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
      ].includes(c.commandType as number),
    );
    const undeliveredUpdates = [...run.pendingUpdates.values()].some((u) => u.deliveredTo === null);
    if (closing && (run.hasBuffered() || undeliveredUpdates)) {
      // Closing now would drop what arrived during the task: refuse, as the real server does, and hand the
      // workflow a new task that includes the buffered events.
      this.failWorkflowTaskInternal(run, 'failed', WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND, identity, {
        message: 'Workflow task completion would close the workflow while new events are pending',
      });
      await this.persist(run);
      throw invalidArgument('UnhandledCommand');
    }

    const problem = this.validateCommands(run, commands, messages);
    if (problem) {
      this.failWorkflowTaskInternal(run, 'failed', problem.cause, identity, { message: problem.message });
      await this.persist(run);
      throw invalidArgument(problem.message);
    }

    // A speculative task (update delivery) that produced nothing leaves no trace in history.
    const outcomeMessages = [...messages.values()].filter((m) => {
      const type = m.body?.type_url ?? '';
      return type.endsWith('Acceptance') || type.endsWith('Response');
    });
    if (wft.speculative && commands.length === 0 && outcomeMessages.length === 0 && !run.hasBuffered()) {
      this.applyRejections(run, messages);
      run.s.wft = null;
      if (req.stickyAttributes?.workerTaskQueue?.name) this.setSticky(run, req.stickyAttributes);
      if ([...run.pendingUpdates.values()].some((u) => u.deliveredTo === null)) this.scheduleWorkflowTask(run, { speculative: true });
      this.requeueQueries(run);
      await this.persist(run);
      return { resetHistoryEventId: run.s.lastCompletedStartedEventId };
    }
    if (wft.speculative) this.writeSpeculativeTaskEvents(run, wft, identity);

    const completed = run.append(
      EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
      {
        scheduledEventId: wft.scheduledEventId,
        startedEventId: wft.startedEventId,
        identity,
        sdkMetadata: req.sdkMetadata ?? null,
        meteringMetadata: req.meteringMetadata ?? null,
        workerVersion: req.workerVersionStamp ?? null,
      },
      now,
    );
    const completedId = toNumberId(completed.eventId);
    run.s.lastCompletedStartedEventId = wft.startedEventId;
    run.s.wft = null;
    if (req.stickyAttributes?.workerTaskQueue?.name) this.setSticky(run, req.stickyAttributes);
    else run.s.sticky = null;

    const handledMessages = new Set<string>();
    const afterCommit: (() => void)[] = [];
    for (const command of commands) {
      if (!run.isRunning) break;
      this.applyCommand(run, command, completedId, messages, handledMessages, afterCommit, identity);
    }
    // Protocol messages not sequenced by a command are applied after the commands.
    for (const [id, message] of messages) {
      if (handledMessages.has(id) || !run.isRunning) continue;
      this.applyProtocolMessage(run, message, completedId);
    }
    this.applyRejections(run, messages);
    for (const updateId of wft.deliveredUpdateIds) {
      const update = run.pendingUpdates.get(updateId);
      if (update && update.deliveredTo !== null) update.deliveredTo = null; // not answered: offer again
    }
    if (run.isRunning) {
      const buffered = run.flushBuffered();
      const undelivered = [...run.pendingUpdates.values()].some((u) => u.deliveredTo === null);
      if (buffered > 0 || req.forceCreateNewWorkflowTask) this.scheduleWorkflowTask(run);
      else if (undelivered) this.scheduleWorkflowTask(run, { speculative: true });
    }
    for (const action of afterCommit) action();
    this.requeueQueries(run);
    await this.persist(run);
    return {};
  }

  private setSticky(run: WorkflowRun, attrs: temporal.api.taskqueue.v1.IStickyExecutionAttributes): void {
    run.s.sticky = {
      queue: attrs.workerTaskQueue?.name as string,
      scheduleToStartMs: durationMs(attrs.scheduleToStartTimeout) || 10_000,
    };
  }

  private validateCommands(
    run: WorkflowRun,
    commands: temporal.api.command.v1.ICommand[],
    messages: Map<string, temporal.api.protocol.v1.IMessage>,
  ): { cause: number; message: string } | null {
    for (const c of commands) {
      switch (c.commandType) {
        case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
          const a = c.scheduleActivityTaskCommandAttributes;
          if (!a?.activityId || !a.activityType?.name) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, message: 'ActivityId and ActivityType are required' };
          if (durationMs(a.scheduleToCloseTimeout) <= 0 && durationMs(a.startToCloseTimeout) <= 0) {
            return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, message: 'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand' };
          }
          const retryProblem = validateRetryPolicy(a.retryPolicy);
          if (retryProblem) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES, message: retryProblem };
          break;
        }
        case CommandType.COMMAND_TYPE_START_TIMER:
          if (!c.startTimerCommandAttributes?.timerId) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES, message: 'TimerId is required' };
          if (run.s.timers[c.startTimerCommandAttributes.timerId]) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES, message: 'TimerId is already in use' };
          break;
        case CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE: {
          const id = c.protocolMessageCommandAttributes?.messageId ?? '';
          if (!messages.has(id)) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, message: `protocol message ${id} referenced by a command is missing` };
          break;
        }
        case CommandType.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION:
        case CommandType.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION:
          return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FEATURE_DISABLED, message: 'Nexus operations are not supported by the embedded Temporal server' };
        case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION: {
          const a = c.startChildWorkflowExecutionCommandAttributes;
          if (!a?.workflowId || !a.workflowType?.name) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES, message: 'WorkflowId and WorkflowType are required for a child workflow' };
          if (a.namespace && a.namespace !== 'default') return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES, message: `namespace ${a.namespace} is not supported` };
          if (a.cronSchedule) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES, message: 'Cron schedules are not supported by the embedded Temporal server' };
          break;
        }
        default:
          if (!c.commandType) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED, message: 'Command without a type' };
      }
    }
    return null;
  }

  private applyCommand(
    run: WorkflowRun,
    command: temporal.api.command.v1.ICommand,
    completedId: number,
    messages: Map<string, temporal.api.protocol.v1.IMessage>,
    handledMessages: Set<string>,
    afterCommit: (() => void)[],
    identity: string,
  ): void {
    const now = this.clock.now();
    switch (command.commandType) {
      case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
        this.scheduleActivity(run, command.scheduleActivityTaskCommandAttributes as temporal.api.command.v1.IScheduleActivityTaskCommandAttributes, completedId);
        break;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK: {
        const scheduledEventId = toNumber(command.requestCancelActivityTaskCommandAttributes?.scheduledEventId);
        const activity = run.s.activities[String(scheduledEventId)];
        if (!activity) break;
        const requested = run.append(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, { scheduledEventId, workflowTaskCompletedEventId: completedId }, now);
        activity.cancelRequested = true;
        activity.cancelRequestedEventId = toNumberId(requested.eventId);
        if (activity.state !== 'started') {
          // Never handed to a worker: cancelled at once.
          delete run.s.activities[String(scheduledEventId)];
          run.append(
            EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
            { scheduledEventId, startedEventId: 0, latestCancelRequestedEventId: activity.cancelRequestedEventId, identity },
            now,
          );
          // The workflow must hear of it, but the new task comes after this task's command events.
          afterCommit.push(() => this.scheduleWorkflowTask(run));
        }
        break;
      }
      case CommandType.COMMAND_TYPE_START_TIMER: {
        const a = command.startTimerCommandAttributes as temporal.api.command.v1.IStartTimerCommandAttributes;
        const started = run.append(EventType.EVENT_TYPE_TIMER_STARTED, { timerId: a.timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: completedId }, now);
        run.s.timers[a.timerId as string] = { timerId: a.timerId as string, startedEventId: toNumberId(started.eventId), fireAt: now + durationMs(a.startToFireTimeout) };
        this.armTimer(run, a.timerId as string);
        break;
      }
      case CommandType.COMMAND_TYPE_CANCEL_TIMER: {
        const timerId = command.cancelTimerCommandAttributes?.timerId ?? '';
        const timer = run.s.timers[timerId];
        if (!timer) break;
        delete run.s.timers[timerId];
        run.append(EventType.EVENT_TYPE_TIMER_CANCELED, { timerId, startedEventId: timer.startedEventId, workflowTaskCompletedEventId: completedId, identity }, now);
        break;
      }
      case CommandType.COMMAND_TYPE_RECORD_MARKER: {
        const a = command.recordMarkerCommandAttributes;
        run.append(EventType.EVENT_TYPE_MARKER_RECORDED, { markerName: a?.markerName, details: a?.details, header: a?.header, failure: a?.failure, workflowTaskCompletedEventId: completedId }, now);
        break;
      }
      case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const a = command.upsertWorkflowSearchAttributesCommandAttributes;
        run.append(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, { searchAttributes: a?.searchAttributes, workflowTaskCompletedEventId: completedId }, now);
        for (const [k, v] of Object.entries(a?.searchAttributes?.indexedFields ?? {})) {
          if (!v.data || v.data.length === 0 || Buffer.from(v.data).toString() === 'null') delete run.s.searchAttributes[k];
          else run.s.searchAttributes[k] = messageToBase64(T.payload, v) as string;
        }
        break;
      }
      case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
        const a = command.modifyWorkflowPropertiesCommandAttributes;
        run.append(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, { upsertedMemo: a?.upsertedMemo, workflowTaskCompletedEventId: completedId }, now);
        for (const [k, v] of Object.entries(a?.upsertedMemo?.fields ?? {})) {
          if (!v.data || v.data.length === 0) delete run.s.memo[k];
          else run.s.memo[k] = messageToBase64(T.payload, v) as string;
        }
        break;
      }
      case CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE: {
        const id = command.protocolMessageCommandAttributes?.messageId as string;
        const message = messages.get(id);
        if (message) {
          handledMessages.add(id);
          this.applyProtocolMessage(run, message, completedId);
        }
        break;
      }
      case CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
        this.closeRun(run, 'Completed', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, {
          result: command.completeWorkflowExecutionCommandAttributes?.result ?? null,
          workflowTaskCompletedEventId: completedId,
        });
        break;
      case CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION: {
        const failure = command.failWorkflowExecutionCommandAttributes?.failure ?? null;
        if (this.retryWorkflow(run, failure, completedId)) break;
        this.closeRun(run, 'Failed', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
          failure,
          retryState: run.s.retryPolicy ? (failure as { retryState?: number } | null)?.retryState ?? RetryState.nonRetryable : RetryState.retryPolicyNotSet,
          workflowTaskCompletedEventId: completedId,
        });
        break;
      }
      case CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
        this.closeRun(run, 'Canceled', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, {
          details: command.cancelWorkflowExecutionCommandAttributes?.details ?? null,
          workflowTaskCompletedEventId: completedId,
        });
        break;
      case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
        this.continueAsNew(run, command.continueAsNewWorkflowExecutionCommandAttributes ?? {}, completedId);
        break;
      case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
        this.startChild(run, command.startChildWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
        this.signalExternal(run, command.signalExternalWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
        this.cancelExternal(run, command.requestCancelExternalWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- continue-as-new, children, external

  /** Per the workflow's RetryPolicy, closes a failed run and starts its next attempt; false when it is final. */
  private retryWorkflow(run: WorkflowRun, failure: temporal.api.failure.v1.IFailure | null, completedId: number): boolean {
    const policy = run.s.retryPolicy;
    if (!policy) return false;
    const info = failure?.applicationFailureInfo;
    const decision = decideRetry({
      policy,
      attempt: run.s.attempt,
      errorType: info?.type ?? null,
      nonRetryable: info?.nonRetryable ?? false,
      nextRetryDelayMs: durationMs(info?.nextRetryDelay),
      now: this.clock.now(),
      expirationTime: run.s.executionTimeoutMs > 0 ? run.s.executionExpirationTime : 0,
    });
    if (!decision.retry) {
      if (failure) (failure as { retryState?: number }).retryState = decision.retryState;
      return false;
    }
    const started = eventAttributes<temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes>(run.history[0]);
    const newRunId = randomUUID();
    this.closeRun(run, 'Failed', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
      failure,
      retryState: RetryState.inProgress,
      workflowTaskCompletedEventId: completedId,
      newExecutionRunId: newRunId,
    });
    run.s.newExecutionRunId = newRunId;
    void this.persist(run);
    this.createRun({
      runId: newRunId,
      firstExecutionRunId: run.s.firstExecutionRunId,
      requestId: randomUUID(),
      workflowId: run.s.workflowId,
      workflowType: run.s.workflowType,
      taskQueue: run.s.taskQueue,
      input: started.input ?? null,
      header: started.header ?? null,
      executionTimeoutMs: run.s.executionTimeoutMs,
      runTimeoutMs: run.s.runTimeoutMs === run.s.executionTimeoutMs ? 0 : run.s.runTimeoutMs,
      workflowTaskTimeoutMs: run.s.workflowTaskTimeoutMs,
      startDelayMs: decision.delayMs,
      memo: started.memo ?? null,
      searchAttributes: started.searchAttributes ?? null,
      identity: '',
      retryPolicy: started.retryPolicy ?? null,
      parent: run.s.parent,
      continued: {
        previousRunId: run.s.runId,
        initiator: enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY,
        failure,
        lastCompletionResult: null,
        executionExpirationTime: run.s.executionTimeoutMs > 0 ? run.s.executionExpirationTime : 0,
      },
      signal: null,
      attempt: run.s.attempt + 1,
    });
    void this.persist(this.runs.get(newRunId) as WorkflowRun);
    return true;
  }

  private continueAsNew(run: WorkflowRun, a: temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes, completedId: number): void {
    const newRunId = randomUUID();
    const taskQueue = a.taskQueue?.name || run.s.taskQueue;
    const runTimeoutMs = durationMs(a.workflowRunTimeout) || run.s.runTimeoutMs;
    const wftTimeoutMs = durationMs(a.workflowTaskTimeout) || run.s.workflowTaskTimeoutMs;
    const memo = a.memo ?? { fields: Object.fromEntries(Object.entries(run.s.memo).map(([k, v]) => [k, messageFromBase64(T.payload, v)])) };
    const searchAttributes = a.searchAttributes ?? {
      indexedFields: Object.fromEntries(Object.entries(run.s.searchAttributes).map(([k, v]) => [k, messageFromBase64(T.payload, v)])),
    };
    run.s.newExecutionRunId = newRunId;
    // The previous run's close event has to be durable before the new run is: both go out in one persist each,
    // the old run first (persist order is journal order).
    this.closeRun(run, 'ContinuedAsNew', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, {
      newExecutionRunId: newRunId,
      workflowType: { name: a.workflowType?.name || run.s.workflowType },
      taskQueue: { name: taskQueue },
      input: a.input,
      workflowRunTimeout: msToDuration(runTimeoutMs),
      workflowTaskTimeout: msToDuration(wftTimeoutMs),
      workflowTaskCompletedEventId: completedId,
      backoffStartInterval: a.backoffStartInterval,
      initiator: a.initiator,
      failure: a.failure,
      lastCompletionResult: a.lastCompletionResult,
      header: a.header,
      memo,
      searchAttributes,
    });
    void this.persist(run);
    this.createRun({
      runId: newRunId,
      firstExecutionRunId: run.s.firstExecutionRunId,
      requestId: randomUUID(),
      workflowId: run.s.workflowId,
      workflowType: a.workflowType?.name || run.s.workflowType,
      taskQueue,
      input: a.input ?? null,
      header: a.header ?? null,
      executionTimeoutMs: run.s.executionTimeoutMs,
      runTimeoutMs: durationMs(a.workflowRunTimeout) || (run.s.runTimeoutMs === run.s.executionTimeoutMs ? 0 : run.s.runTimeoutMs),
      workflowTaskTimeoutMs: wftTimeoutMs,
      startDelayMs: durationMs(a.backoffStartInterval),
      memo: memo as never,
      searchAttributes: searchAttributes as never,
      identity: '',
      retryPolicy: a.retryPolicy ?? null,
      parent: run.s.parent,
      continued: {
        previousRunId: run.s.runId,
        initiator: a.initiator ?? enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW,
        failure: a.failure ?? null,
        lastCompletionResult: a.lastCompletionResult ?? null,
        executionExpirationTime: run.s.executionTimeoutMs > 0 ? run.s.executionExpirationTime : 0,
      },
      signal: null,
      attempt: 1,
    });
    const next = this.runs.get(newRunId) as WorkflowRun;
    void this.persist(next);
  }

  private startChild(
    parent: WorkflowRun,
    a: temporal.api.command.v1.IStartChildWorkflowExecutionCommandAttributes,
    completedId: number,
    afterCommit: (() => void)[],
  ): void {
    const now = this.clock.now();
    const initiated = parent.append(
      EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
      {
        namespace: 'default',
        workflowId: a.workflowId,
        workflowType: a.workflowType,
        taskQueue: { name: a.taskQueue?.name || parent.s.taskQueue },
        input: a.input,
        workflowExecutionTimeout: a.workflowExecutionTimeout,
        workflowRunTimeout: a.workflowRunTimeout,
        workflowTaskTimeout: a.workflowTaskTimeout,
        parentClosePolicy: a.parentClosePolicy,
        control: a.control,
        workflowTaskCompletedEventId: completedId,
        workflowIdReusePolicy: a.workflowIdReusePolicy,
        retryPolicy: a.retryPolicy,
        header: a.header,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
      },
      now,
    );
    const initiatedEventId = toNumberId(initiated.eventId);
    afterCommit.push(() => {
      if (!parent.isRunning) return;
      const startReq = temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.fromObject({});
      Object.assign(startReq, {
        namespace: 'default',
        workflowId: a.workflowId,
        workflowType: a.workflowType,
        taskQueue: { name: a.taskQueue?.name || parent.s.taskQueue },
        input: a.input,
        workflowExecutionTimeout: a.workflowExecutionTimeout,
        workflowRunTimeout: a.workflowRunTimeout,
        workflowTaskTimeout: a.workflowTaskTimeout,
        workflowIdReusePolicy: a.workflowIdReusePolicy,
        retryPolicy: a.retryPolicy,
        header: a.header,
        memo: a.memo,
        searchAttributes: a.searchAttributes,
        requestId: `${parent.s.runId}/${initiatedEventId}`,
      });
      try {
        const existing = this.currentRun(a.workflowId as string);
        if (existing?.isRunning) throw workflowAlreadyStarted('', existing.s.runId);
        const { run: child } = this.startInternal(startReq, null, { workflowId: parent.s.workflowId, runId: parent.s.runId, initiatedEventId });
        parent.s.children[String(initiatedEventId)] = {
          initiatedEventId,
          workflowId: child.s.workflowId,
          runId: child.s.runId,
          workflowType: child.s.workflowType,
          startedEventId: 0,
          parentClosePolicy: a.parentClosePolicy ?? enums.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
        };
        void this.persist(child);
        this.addEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, {
          namespace: 'default',
          initiatedEventId,
          workflowExecution: { workflowId: child.s.workflowId, runId: child.s.runId },
          workflowType: { name: child.s.workflowType },
          header: a.header,
        });
      } catch {
        this.addEvent(parent, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, {
          namespace: 'default',
          workflowId: a.workflowId,
          workflowType: a.workflowType,
          cause: enums.StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
          control: a.control,
          initiatedEventId,
          workflowTaskCompletedEventId: completedId,
        });
      }
    });
  }

  private notifyParentOfClose(child: WorkflowRun, eventType: number, attributes: object): void {
    if (!child.s.parent || eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) return;
    if ((attributes as { newExecutionRunId?: string }).newExecutionRunId) return; // retried: the next attempt reports
    const parent = this.runs.get(child.s.parent.runId);
    if (!parent || !parent.isRunning) return;
    const initiatedEventId = child.s.parent.initiatedEventId;
    const info = parent.s.children[String(initiatedEventId)];
    if (!info) return;
    const base = {
      namespace: 'default',
      workflowExecution: { workflowId: child.s.workflowId, runId: child.s.runId },
      workflowType: { name: child.s.workflowType },
      initiatedEventId,
    };
    const a = attributes as Record<string, unknown>;
    const parentEvent: Record<number, [number, object]> = {
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED]: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, { ...base, result: a.result }],
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED, { ...base, failure: a.failure, retryState: a.retryState }],
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED]: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, { ...base, details: a.details }],
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED]: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED, base],
      [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT]: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT, { ...base, retryState: a.retryState }],
    };
    const mapped = parentEvent[eventType];
    if (!mapped) return;
    // The entry stays until the close event is written (it may be buffered) because that event carries the
    // child's started event id; it no longer falls under the parent close policy.
    info.parentClosePolicy = enums.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON;
    this.addEvent(parent, mapped[0], mapped[1], 'child', initiatedEventId);
    void this.persist(parent);
  }

  private applyParentClosePolicy(run: WorkflowRun): void {
    for (const child of Object.values(run.s.children)) {
      const childRun = this.runs.get(child.runId);
      if (!childRun || !childRun.isRunning) continue;
      if (child.parentClosePolicy === enums.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) continue;
      if (child.parentClosePolicy === enums.ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
        if (!childRun.s.cancelRequested) this.cancelRun(childRun, 'embedded-temporal', 'parent closed', null);
      } else {
        this.terminateRun(childRun, 'by parent close policy', null, 'embedded-temporal');
      }
      void this.persist(childRun);
    }
  }

  private signalExternal(
    run: WorkflowRun,
    a: temporal.api.command.v1.ISignalExternalWorkflowExecutionCommandAttributes,
    completedId: number,
    afterCommit: (() => void)[],
  ): void {
    const initiated = run.append(
      EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
      {
        namespace: 'default',
        workflowExecution: a.execution,
        signalName: a.signalName,
        input: a.input,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        header: a.header,
        workflowTaskCompletedEventId: completedId,
      },
      this.clock.now(),
    );
    const initiatedEventId = toNumberId(initiated.eventId);
    afterCommit.push(() => {
      if (!run.isRunning) return;
      let target: WorkflowRun | null = null;
      try {
        target = this.findRunningRun(a.execution);
      } catch {
        target = null;
      }
      if (target) {
        this.signalRun(target, a.signalName ?? '', a.input ?? null, a.header ?? null, `workflow:${run.s.workflowId}`);
        void this.persist(target);
        this.addEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, {
          initiatedEventId,
          namespace: 'default',
          workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
          control: a.control,
        });
      } else {
        this.addEvent(run, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
          cause: enums.SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
          workflowTaskCompletedEventId: completedId,
          namespace: 'default',
          workflowExecution: a.execution,
          initiatedEventId,
          control: a.control,
        });
      }
    });
  }

  private cancelExternal(
    run: WorkflowRun,
    a: temporal.api.command.v1.IRequestCancelExternalWorkflowExecutionCommandAttributes,
    completedId: number,
    afterCommit: (() => void)[],
  ): void {
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiated = run.append(
      EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
      {
        workflowTaskCompletedEventId: completedId,
        namespace: 'default',
        workflowExecution: execution,
        control: a.control,
        childWorkflowOnly: a.childWorkflowOnly,
        reason: a.reason,
      },
      this.clock.now(),
    );
    const initiatedEventId = toNumberId(initiated.eventId);
    afterCommit.push(() => {
      if (!run.isRunning) return;
      let target: WorkflowRun | null = null;
      try {
        target = this.findRunningRun(execution);
      } catch {
        target = null;
      }
      if (target) {
        if (!target.s.cancelRequested) {
          this.cancelRun(target, `workflow:${run.s.workflowId}`, a.reason ?? '', { initiatedEventId, workflowId: run.s.workflowId, runId: run.s.runId });
          void this.persist(target);
        }
        this.addEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
          initiatedEventId,
          namespace: 'default',
          workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
        });
      } else {
        this.addEvent(run, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
          cause: enums.CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
          workflowTaskCompletedEventId: completedId,
          namespace: 'default',
          workflowExecution: execution,
          initiatedEventId,
          control: a.control,
        });
      }
    });
  }

  // ---------------------------------------------------------------- timers

  private armTimer(run: WorkflowRun, timerId: string): void {
    const timer = run.s.timers[timerId];
    if (!timer) return;
    const startedEventId = timer.startedEventId;
    this.clock.schedule(timer.fireAt, () => {
      const current = run.s.timers[timerId];
      if (!run.isRunning || !current || current.startedEventId !== startedEventId) return;
      delete run.s.timers[timerId];
      this.addEvent(run, EventType.EVENT_TYPE_TIMER_FIRED, { timerId, startedEventId });
      void this.persist(run);
    }, () => run.isRunning && run.s.timers[timerId]?.startedEventId === startedEventId);
  }

  // ---------------------------------------------------------------- activities

  private scheduleActivity(run: WorkflowRun, a: temporal.api.command.v1.IScheduleActivityTaskCommandAttributes, completedId: number): void {
    const now = this.clock.now();
    let scheduleToClose = durationMs(a.scheduleToCloseTimeout);
    let scheduleToStart = durationMs(a.scheduleToStartTimeout);
    let startToClose = durationMs(a.startToCloseTimeout);
    const heartbeat = durationMs(a.heartbeatTimeout);
    const runRemaining = run.s.executionExpirationTime > 0 ? Math.max(run.s.executionExpirationTime - now, 1000) : UNBOUNDED_MS;
    if (scheduleToClose <= 0) scheduleToClose = runRemaining;
    scheduleToClose = Math.min(scheduleToClose, runRemaining);
    if (scheduleToStart <= 0 || scheduleToStart > scheduleToClose) scheduleToStart = scheduleToClose;
    if (startToClose <= 0 || startToClose > scheduleToClose) startToClose = scheduleToClose;
    const retryPolicy = normalizeRetryPolicy(a.retryPolicy);
    const taskQueue = a.taskQueue?.name || run.s.taskQueue;
    const scheduled = run.append(
      EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
      {
        activityId: a.activityId,
        activityType: a.activityType,
        taskQueue: { name: taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        header: a.header,
        input: a.input,
        scheduleToCloseTimeout: msToDuration(scheduleToClose),
        scheduleToStartTimeout: msToDuration(scheduleToStart),
        startToCloseTimeout: msToDuration(startToClose),
        heartbeatTimeout: msToDuration(heartbeat),
        workflowTaskCompletedEventId: completedId,
        retryPolicy: retryPolicyToProto(retryPolicy),
        priority: a.priority,
      },
      now,
    );
    const activity: ActivityState = {
      scheduledEventId: toNumberId(scheduled.eventId),
      activityId: a.activityId as string,
      activityType: a.activityType?.name as string,
      taskQueue,
      attempt: 1,
      state: 'scheduled',
      firstScheduledTime: now,
      attemptScheduledTime: now,
      startedTime: 0,
      scheduleToCloseMs: scheduleToClose,
      scheduleToStartMs: scheduleToStart,
      startToCloseMs: startToClose,
      heartbeatMs: heartbeat,
      retryPolicy,
      heartbeatDetails: null,
      lastHeartbeatTime: 0,
      cancelRequested: false,
      cancelRequestedEventId: 0,
      lastFailure: null,
      startedIdentity: '',
      nonce: run.newNonce(),
    };
    run.s.activities[String(activity.scheduledEventId)] = activity;
    this.armActivity(run, activity);
  }

  /** Offers a scheduled attempt and sets every timeout that applies to the activity's current state. */
  private armActivity(run: WorkflowRun, activity: ActivityState): void {
    const key = String(activity.scheduledEventId);
    const nonce = activity.nonce;
    const current = (): ActivityState | null => {
      const a = run.s.activities[key];
      return run.isRunning && a && a.nonce === nonce ? a : null;
    };
    const live = () => current() !== null;
    this.clock.schedule(activity.firstScheduledTime + activity.scheduleToCloseMs, () => {
      const a = current();
      if (a) this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    }, live);
    if (activity.state === 'backoff') {
      this.clock.schedule(activity.attemptScheduledTime, () => {
        const a = current();
        if (!a || a.state !== 'backoff') return;
        a.state = 'scheduled';
        a.nonce = run.newNonce();
        this.armActivity(run, a);
        void this.persist(run);
      }, live);
      return;
    }
    if (activity.state === 'scheduled') {
      this.queues.offer(TaskQueues.key('activity', activity.taskQueue), { runId: run.s.runId, kind: 'activity', ref: activity.scheduledEventId, nonce });
      this.clock.schedule(activity.attemptScheduledTime + activity.scheduleToStartMs, () => {
        const a = current();
        if (a && a.state === 'scheduled') this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
      }, live);
      return;
    }
    this.clock.schedule(activity.startedTime + activity.startToCloseMs, () => {
      const a = current();
      if (a && a.state === 'started') this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    }, live);
    if (activity.heartbeatMs > 0) this.armHeartbeatTimeout(run, activity);
  }

  private armHeartbeatTimeout(run: WorkflowRun, activity: ActivityState): void {
    const key = String(activity.scheduledEventId);
    const nonce = activity.nonce;
    const last = Math.max(activity.lastHeartbeatTime, activity.startedTime);
    this.clock.schedule(last + activity.heartbeatMs, () => {
      const a = run.s.activities[key];
      if (!run.isRunning || !a || a.nonce !== nonce || a.state !== 'started') return;
      const latest = Math.max(a.lastHeartbeatTime, a.startedTime);
      if (latest + a.heartbeatMs > this.clock.now()) return this.armHeartbeatTimeout(run, a);
      this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    }, () => run.isRunning && run.s.activities[key]?.nonce === nonce);
  }

  private timeoutActivity(run: WorkflowRun, activity: ActivityState, timeoutType: number): void {
    const names: Record<number, string> = {
      [TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE]: 'StartToClose',
      [TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START]: 'ScheduleToStart',
      [TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE]: 'ScheduleToClose',
      [TimeoutType.TIMEOUT_TYPE_HEARTBEAT]: 'Heartbeat',
    };
    const heartbeatDetails = messageFromBase64(T.payloads, activity.heartbeatDetails);
    const failure = {
      message: `activity ${names[timeoutType]} timeout`,
      source: 'Server',
      timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: heartbeatDetails },
      cause: messageFromBase64(T.failure, activity.lastFailure),
    };
    const retryable = timeoutType === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE || timeoutType === TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
    if (retryable && this.retryActivity(run, activity, failure, null, false, 0)) {
      void this.persist(run);
      return;
    }
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, {
      failure,
      scheduledEventId: activity.scheduledEventId,
      retryState: retryable ? RetryState.timeout : RetryState.timeout,
    });
    void this.persist(run);
  }

  /** Schedules the next attempt if the policy allows; returns false when the activity has to fail instead. */
  private retryActivity(run: WorkflowRun, activity: ActivityState, failure: object, errorType: string | null, nonRetryable: boolean, nextRetryDelayMs: number): boolean {
    const now = this.clock.now();
    const decision = decideRetry({
      policy: activity.retryPolicy,
      attempt: activity.attempt,
      errorType,
      nonRetryable,
      nextRetryDelayMs,
      now,
      expirationTime: activity.firstScheduledTime + activity.scheduleToCloseMs,
    });
    if (!decision.retry) {
      (failure as { retryState?: number }).retryState = decision.retryState;
      return false;
    }
    activity.attempt += 1;
    activity.state = 'backoff';
    activity.attemptScheduledTime = now + decision.delayMs;
    activity.startedTime = 0;
    activity.lastFailure = messageToBase64(T.failure, failure);
    activity.nonce = run.newNonce();
    this.armActivity(run, activity);
    return true;
  }

  /** Writes the started event (deferred until now, like the real server) and the activity's closing event. */
  private finishActivity(run: WorkflowRun, activity: ActivityState, eventType: number, attributes: Record<string, unknown>): void {
    delete run.s.activities[String(activity.scheduledEventId)];
    const retryState = (attributes.failure as { retryState?: number } | undefined)?.retryState;
    if (retryState !== undefined && attributes.retryState !== undefined) attributes.retryState = retryState;
    if (activity.state === 'started') {
      this.materializeSpeculativeIfScheduled(run);
      run.addExternal(
        EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
        {
          scheduledEventId: activity.scheduledEventId,
          identity: activity.startedIdentity,
          requestId: randomUUID(),
          attempt: activity.attempt,
          lastFailure: messageFromBase64(T.failure, activity.lastFailure),
        },
        activity.startedTime,
      );
      this.addEvent(run, eventType, attributes, 'previous');
    } else {
      this.addEvent(run, eventType, { ...attributes, startedEventId: 0 });
    }
  }

  async pollActivityTaskQueue(req: Req<'PollActivityTaskQueueRequest'>, isCancelled: () => boolean): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request');
    if (this.stopped) return {};
    const identity = req.identity ?? '';
    const response = await this.queues.poll(TaskQueues.key('activity', req.taskQueue.name), identity, isCancelled, (task) =>
      this.deliverActivityTask(task, identity),
    );
    return response ?? {};
  }

  private async deliverActivityTask(task: QueuedTask, identity: string): Promise<object | null> {
    const run = this.runs.get(task.runId);
    const activity = run?.s.activities[String(task.ref)];
    if (!run || !run.isRunning || !activity || activity.nonce !== task.nonce || activity.state !== 'scheduled') return null;
    const now = this.clock.now();
    activity.state = 'started';
    activity.startedTime = now;
    activity.startedIdentity = identity;
    activity.nonce = run.newNonce();
    this.armActivity(run, activity);
    await this.persist(run);
    const scheduled = eventAttributes<temporal.api.history.v1.IActivityTaskScheduledEventAttributes>(run.history[activity.scheduledEventId - 1]);
    return {
      taskToken: encodeToken({ k: 'act', r: run.s.runId, s: activity.scheduledEventId, n: activity.nonce }),
      workflowNamespace: 'default',
      workflowType: { name: run.s.workflowType },
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      activityType: { name: activity.activityType },
      activityId: activity.activityId,
      header: scheduled.header,
      input: scheduled.input,
      heartbeatDetails: messageFromBase64(T.payloads, activity.heartbeatDetails),
      scheduledTime: msToTimestamp(activity.firstScheduledTime),
      currentAttemptScheduledTime: msToTimestamp(activity.attemptScheduledTime),
      startedTime: msToTimestamp(now),
      attempt: activity.attempt,
      scheduleToCloseTimeout: msToDuration(activity.scheduleToCloseMs),
      startToCloseTimeout: msToDuration(activity.startToCloseMs),
      heartbeatTimeout: msToDuration(activity.heartbeatMs),
      retryPolicy: retryPolicyToProto(activity.retryPolicy),
    };
  }

  private activityFromToken(token: Uint8Array | null | undefined): { run: WorkflowRun; activity: ActivityState } {
    const parsed = decodeToken(token);
    if (!parsed || parsed.k !== 'act') throw invalidArgument('invalid task token');
    const run = this.runs.get(String(parsed.r));
    const activity = run?.s.activities[String(parsed.s)];
    if (!run || !run.isRunning || !activity || activity.nonce !== parsed.n || activity.state !== 'started') {
      throw notFound('Activity task not found.');
    }
    return { run, activity };
  }

  private activityById(req: { namespace?: string | null; workflowId?: string | null; runId?: string | null; activityId?: string | null }): Uint8Array {
    this.checkNamespace(req.namespace);
    const run = this.findRunningRun({ workflowId: req.workflowId, runId: req.runId });
    const activity = Object.values(run.s.activities).find((a) => a.activityId === req.activityId);
    if (!activity || activity.state !== 'started') throw notFound('Activity task not found.');
    return encodeToken({ k: 'act', r: run.s.runId, s: activity.scheduledEventId, n: activity.nonce });
  }

  async recordActivityTaskHeartbeat(req: { namespace?: string | null; taskToken?: Uint8Array | null; details?: object | null }): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    activity.lastHeartbeatTime = this.clock.now();
    if (req.details) activity.heartbeatDetails = messageToBase64(T.payloads, req.details);
    await this.persist(run);
    return { cancelRequested: activity.cancelRequested };
  }

  async recordActivityTaskHeartbeatById(req: Req<'RecordActivityTaskHeartbeatByIdRequest'>): Promise<object> {
    return this.recordActivityTaskHeartbeat({ namespace: req.namespace, taskToken: this.activityById(req), details: req.details });
  }

  async respondActivityTaskCompleted(req: { namespace?: string | null; taskToken?: Uint8Array | null; result?: object | null; identity?: string | null }): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, {
      result: req.result ?? null,
      scheduledEventId: activity.scheduledEventId,
      identity: req.identity ?? '',
    });
    await this.persist(run);
    return {};
  }

  async respondActivityTaskCompletedById(req: Req<'RespondActivityTaskCompletedByIdRequest'>): Promise<object> {
    return this.respondActivityTaskCompleted({ namespace: req.namespace, taskToken: this.activityById(req), result: req.result, identity: req.identity });
  }

  async respondActivityTaskFailed(req: {
    namespace?: string | null;
    taskToken?: Uint8Array | null;
    failure?: temporal.api.failure.v1.IFailure | null;
    identity?: string | null;
    lastHeartbeatDetails?: object | null;
  }): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    if (req.lastHeartbeatDetails) activity.heartbeatDetails = messageToBase64(T.payloads, req.lastHeartbeatDetails);
    const failure = (req.failure ?? { message: 'activity failed' }) as temporal.api.failure.v1.IFailure;
    const info = failure.applicationFailureInfo;
    const retried = this.retryActivity(
      run,
      activity,
      failure,
      info?.type ?? null,
      info?.nonRetryable ?? false,
      durationMs(info?.nextRetryDelay),
    );
    if (!retried) {
      this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, {
        failure,
        scheduledEventId: activity.scheduledEventId,
        identity: req.identity ?? '',
        retryState: (failure as { retryState?: number }).retryState ?? RetryState.nonRetryable,
      });
    }
    await this.persist(run);
    return { failures: [] };
  }

  async respondActivityTaskFailedById(req: Req<'RespondActivityTaskFailedByIdRequest'>): Promise<object> {
    return this.respondActivityTaskFailed({ ...req, taskToken: this.activityById(req) });
  }

  async respondActivityTaskCanceled(req: { namespace?: string | null; taskToken?: Uint8Array | null; details?: object | null; identity?: string | null }): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    if (!activity.cancelRequested) throw failedPrecondition('Activity cancellation was not requested');
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
      details: req.details ?? null,
      latestCancelRequestedEventId: activity.cancelRequestedEventId,
      scheduledEventId: activity.scheduledEventId,
      identity: req.identity ?? '',
    });
    await this.persist(run);
    return {};
  }

  async respondActivityTaskCanceledById(req: Req<'RespondActivityTaskCanceledByIdRequest'>): Promise<object> {
    return this.respondActivityTaskCanceled({ ...req, taskToken: this.activityById(req) });
  }

  // ---------------------------------------------------------------- queries

  async queryWorkflow(req: Req<'QueryWorkflowRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.query?.queryType) throw invalidArgument('QueryType is not set on request');
    const run = this.findRun(req.execution);
    const reject = req.queryRejectCondition ?? 0;
    if (
      (reject === enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN && !run.isRunning) ||
      (reject === enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY && !run.isRunning && run.s.status !== 'Completed')
    ) {
      return { queryRejected: { status: statusToProto[run.s.status] } };
    }
    const id = randomUUID();
    const answer = await new Promise<{ result?: object; error?: ServiceError }>((resolve) => {
      const pending: PendingQuery = { id, runId: run.s.runId, query: req.query as object, resolve, legacy: false };
      this.queries.set(id, pending);
      const timeout = setTimeout(() => {
        if (!this.queries.delete(id)) return;
        resolve({ error: new ServiceError(4, 'query timed out: no worker answered') });
      }, this.options.longPollMs);
      timeout.unref?.();
      const originalResolve = pending.resolve;
      pending.resolve = (a) => {
        clearTimeout(timeout);
        originalResolve(a);
      };
      if (run.isRunning && run.s.wft) return; // answered with the pending workflow task
      this.dispatchLegacyQuery(run, pending);
    });
    if (answer.error) throw answer.error;
    return answer.result as object;
  }

  private dispatchLegacyQuery(run: WorkflowRun, query: PendingQuery): void {
    query.legacy = true;
    const queue = run.isRunning && run.s.sticky ? run.s.sticky.queue : run.s.taskQueue;
    this.queues.offer(TaskQueues.key('workflow', queue), { runId: run.s.runId, kind: 'query', ref: query.id, nonce: 0 });
    this.options.onActivity?.();
  }

  private async deliverLegacyQuery(run: WorkflowRun, queryId: string, queueName: string): Promise<object | null> {
    const query = this.queries.get(queryId);
    if (!query) return null;
    const fromSticky = queueName !== run.s.taskQueue;
    return {
      taskToken: encodeToken({ k: 'query', q: queryId }),
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      workflowType: { name: run.s.workflowType },
      previousStartedEventId: run.s.lastCompletedStartedEventId,
      startedEventId: run.s.lastCompletedStartedEventId,
      history: { events: fromSticky ? [] : run.history },
      query: query.query,
      workflowExecutionTaskQueue: { name: run.s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    };
  }

  private answerQuery(id: string, answer: temporal.api.query.v1.IWorkflowQueryResult): void {
    const query = this.queries.get(id);
    if (!query) return;
    this.queries.delete(id);
    if (answer.resultType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
      query.resolve({ result: { queryResult: answer.answer } });
    } else {
      query.resolve({ error: invalidArgument(answer.errorMessage || answer.failure?.message || 'query failed') });
    }
  }

  async respondQueryTaskCompleted(req: Req<'RespondQueryTaskCompletedRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const parsed = decodeToken(req.taskToken);
    if (!parsed || parsed.k !== 'query') throw invalidArgument('invalid query task token');
    const id = String(parsed.q);
    if (!this.queries.has(id)) throw notFound('query not found (it may have timed out)');
    this.answerQuery(id, {
      resultType:
        req.completedType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED
          ? enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED
          : enums.QueryResultType.QUERY_RESULT_TYPE_FAILED,
      answer: req.queryResult,
      errorMessage: req.errorMessage,
      failure: req.failure,
    });
    return {};
  }

  // ---------------------------------------------------------------- updates

  async updateWorkflowExecution(req: Req<'UpdateWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const updateId = req.request?.meta?.updateId;
    if (!updateId) throw invalidArgument('Update id is not set on request');
    if (!req.request?.input?.name) throw invalidArgument('Update name is not set on request');
    const run = this.findRun(req.workflowExecution);
    if (req.firstExecutionRunId && run.s.firstExecutionRunId !== req.firstExecutionRunId) {
      throw notFound('workflow execution not found for the given firstExecutionRunId');
    }
    const stage = req.waitPolicy?.lifecycleStage ?? enums.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    const known = this.updateFromHistory(run, updateId);
    if (!known && !run.isRunning) throw notFound('workflow execution already completed');
    if (!known && !run.pendingUpdates.has(updateId)) {
      run.pendingUpdates.set(updateId, {
        updateId,
        request: temporal.api.update.v1.Request.encode(req.request as temporal.api.update.v1.IRequest).finish(),
        deliveredTo: null,
        waiters: [],
      });
      if (!run.s.wft) this.scheduleWorkflowTask(run, { speculative: run.s.lastCompletedStartedEventId > 0 });
      this.options.onActivity?.();
    }
    return this.waitForUpdate(run, updateId, stage);
  }

  async pollWorkflowExecutionUpdate(req: Req<'PollWorkflowExecutionUpdateRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const updateId = req.updateRef?.updateId;
    if (!updateId) throw invalidArgument('Update id is not set on request');
    const run = this.findRun(req.updateRef?.workflowExecution);
    if (!this.updateFromHistory(run, updateId) && !run.pendingUpdates.has(updateId)) throw notFound(`update ${updateId} not found`);
    return this.waitForUpdate(run, updateId, req.waitPolicy?.lifecycleStage ?? enums.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED);
  }

  private updateFromHistory(run: WorkflowRun, updateId: string): { stage: 'accepted' } | { stage: 'completed'; outcome: object } | null {
    let accepted = false;
    for (let i = run.history.length - 1; i >= 0; i--) {
      const e = run.history[i];
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        if (a?.meta?.updateId === updateId) return { stage: 'completed', outcome: a.outcome as object };
      } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        if (e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId === updateId) accepted = true;
      }
    }
    return accepted ? { stage: 'accepted' } : null;
  }

  private async waitForUpdate(run: WorkflowRun, updateId: string, stage: number): Promise<object> {
    const ref = { workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId }, updateId };
    const Stage = enums.UpdateWorkflowExecutionLifecycleStage;
    const wantCompleted = stage === Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    const deadline = Date.now() + this.options.longPollMs;
    for (;;) {
      const known = this.updateFromHistory(run, updateId);
      if (known?.stage === 'completed') return { updateRef: ref, outcome: known.outcome, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED };
      if (known?.stage === 'accepted' && !wantCompleted) return { updateRef: ref, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED };
      const pending = run.pendingUpdates.get(updateId);
      if (!known && !pending) {
        if (!run.isRunning) throw notFound('workflow execution already completed');
        throw notFound(`update ${updateId} not found`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.stopped) return { updateRef: ref, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED };
      const result = await new Promise<UpdateWaitResult | 'tick'>((resolve) => {
        const timer = setTimeout(() => resolve('tick'), remaining);
        const wake = () => {
          clearTimeout(timer);
          resolve('tick');
        };
        run.historyWaiters.add(wake);
        if (pending) {
          pending.waiters.push((r) => {
            clearTimeout(timer);
            run.historyWaiters.delete(wake);
            resolve(r);
          });
        }
      });
      if (result !== 'tick') {
        if (result.stage === 'completed') return { updateRef: ref, outcome: result.outcome, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED };
        if (result.stage === 'closed') throw notFound('workflow execution already completed');
      }
    }
  }

  private applyProtocolMessage(run: WorkflowRun, message: temporal.api.protocol.v1.IMessage, completedId: number): void {
    const body = unpackAny(message.body as never);
    if (!body) return;
    const now = this.clock.now();
    const updateId = message.protocolInstanceId ?? '';
    if (body.typeName === T.updateAcceptance) {
      const acceptance = body.value as temporal.api.update.v1.IAcceptance;
      const pending = run.pendingUpdates.get(updateId);
      const request = acceptance.acceptedRequest ?? (pending ? decodeMessage(T.updateRequest, pending.request) : null);
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        {
          protocolInstanceId: updateId,
          acceptedRequestMessageId: acceptance.acceptedRequestMessageId,
          acceptedRequestSequencingEventId: acceptance.acceptedRequestSequencingEventId,
          acceptedRequest: request,
        },
        now,
      );
      if (pending) {
        run.pendingUpdates.delete(updateId);
        for (const w of pending.waiters) w({ stage: 'accepted' });
      }
    } else if (body.typeName === T.updateResponse) {
      const response = body.value as temporal.api.update.v1.IResponse;
      let acceptedEventId = 0;
      for (const e of run.history) {
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId === updateId) {
          acceptedEventId = toNumberId(e.eventId);
        }
      }
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
        { meta: response.meta ?? { updateId }, acceptedEventId, outcome: response.outcome },
        now,
      );
    }
    void completedId;
  }

  private applyRejections(run: WorkflowRun, messages: Map<string, temporal.api.protocol.v1.IMessage>): void {
    for (const message of messages.values()) {
      const body = unpackAny(message.body as never);
      if (!body || body.typeName !== T.updateRejection) continue;
      const rejection = body.value as temporal.api.update.v1.IRejection;
      const updateId = message.protocolInstanceId ?? '';
      const pending = run.pendingUpdates.get(updateId);
      if (!pending) continue;
      run.pendingUpdates.delete(updateId);
      for (const w of pending.waiters) w({ stage: 'completed', outcome: { failure: rejection.failure } });
    }
  }

  // ---------------------------------------------------------------- history and describe

  async getWorkflowExecutionHistory(req: Req<'GetWorkflowExecutionHistoryRequest'>, isCancelled: () => boolean): Promise<object> {
    this.checkNamespace(req.namespace);
    let run = this.findRun(req.execution);
    const closeOnly = req.historyEventFilterType === enums.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
    const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : HISTORY_PAGE_SIZE;
    let from = 1;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'page' || token.r !== run.s.runId) throw invalidArgument('invalid next page token');
      from = Number(token.f);
    }
    const deadline = Date.now() + this.options.longPollMs;
    for (;;) {
      if (closeOnly) {
        const close = run.closeEvent();
        if (close && run.s.closeEventId <= run.durableLength) return { history: { events: [close] } };
      } else {
        const durable = run.durableLength;
        if (durable >= from) {
          const events = run.history.slice(from - 1, Math.min(durable, from - 1 + pageSize));
          const next = from + events.length;
          const more = next <= durable || (req.waitNewEvent && run.isRunning);
          return { history: { events }, nextPageToken: more ? encodeToken({ k: 'page', r: run.s.runId, f: next }) : null };
        }
        if (!req.waitNewEvent || !run.isRunning) return { history: { events: [] } };
      }
      if (!req.waitNewEvent) return { history: { events: [] } };
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.stopped || isCancelled()) {
        return { history: { events: [] }, nextPageToken: closeOnly ? null : encodeToken({ k: 'page', r: run.s.runId, f: from }) };
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 1000));
        run.historyWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      run = this.runs.get(run.s.runId) as WorkflowRun;
    }
  }

  async getWorkflowExecutionHistoryReverse(req: Req<'GetWorkflowExecutionHistoryReverseRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const run = this.findRun(req.execution);
    const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : HISTORY_PAGE_SIZE;
    let end = run.durableLength;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'rpage' || token.r !== run.s.runId) throw invalidArgument('invalid next page token');
      end = Number(token.e);
    }
    const start = Math.max(0, end - pageSize);
    const events = run.history.slice(start, end).reverse();
    return { history: { events }, nextPageToken: start > 0 ? encodeToken({ k: 'rpage', r: run.s.runId, e: start }) : null };
  }

  executionInfo(run: WorkflowRun): object {
    return {
      execution: { workflowId: run.s.workflowId, runId: run.s.runId },
      type: { name: run.s.workflowType },
      startTime: msToTimestamp(run.s.startTime),
      closeTime: run.s.closeTime ? msToTimestamp(run.s.closeTime) : null,
      status: statusToProto[run.s.status],
      historyLength: run.history.length,
      executionTime: msToTimestamp(run.s.executionTime),
      memo: { fields: Object.fromEntries(Object.entries(run.s.memo).map(([k, v]) => [k, messageFromBase64(T.payload, v)])) },
      searchAttributes: {
        indexedFields: Object.fromEntries(Object.entries(run.s.searchAttributes).map(([k, v]) => [k, messageFromBase64(T.payload, v)])),
      },
      taskQueue: run.s.taskQueue,
      parentNamespaceId: run.s.parent ? 'default' : '',
      parentExecution: run.s.parent ? { workflowId: run.s.parent.workflowId, runId: run.s.parent.runId } : null,
      firstRunId: run.s.firstExecutionRunId,
      stateTransitionCount: run.history.length,
      historySizeBytes: 0,
    };
  }

  async describeWorkflowExecution(req: Req<'DescribeWorkflowExecutionRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const run = this.findRun(req.execution);
    const Pending = enums.PendingActivityState;
    return {
      executionConfig: {
        taskQueue: { name: run.s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        workflowExecutionTimeout: msToDuration(run.s.executionTimeoutMs),
        workflowRunTimeout: msToDuration(run.s.runTimeoutMs),
        defaultWorkflowTaskTimeout: msToDuration(run.s.workflowTaskTimeoutMs),
      },
      workflowExecutionInfo: this.executionInfo(run),
      pendingActivities: Object.values(run.s.activities).map((a) => ({
        activityId: a.activityId,
        activityType: { name: a.activityType },
        state: a.cancelRequested
          ? Pending.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
          : a.state === 'started'
            ? Pending.PENDING_ACTIVITY_STATE_STARTED
            : Pending.PENDING_ACTIVITY_STATE_SCHEDULED,
        heartbeatDetails: messageFromBase64(T.payloads, a.heartbeatDetails),
        lastHeartbeatTime: a.lastHeartbeatTime ? msToTimestamp(a.lastHeartbeatTime) : null,
        lastStartedTime: a.startedTime ? msToTimestamp(a.startedTime) : null,
        attempt: a.attempt,
        maximumAttempts: a.retryPolicy.maximumAttempts,
        scheduledTime: msToTimestamp(a.attemptScheduledTime),
        expirationTime: msToTimestamp(a.firstScheduledTime + a.scheduleToCloseMs),
        lastFailure: messageFromBase64(T.failure, a.lastFailure),
        lastWorkerIdentity: a.startedIdentity,
        nextAttemptScheduleTime: a.state === 'backoff' ? msToTimestamp(a.attemptScheduledTime) : null,
      })),
      pendingChildren: Object.values(run.s.children).map((c) => ({
        workflowId: c.workflowId,
        runId: c.runId,
        workflowTypeName: c.workflowType,
        initiatedId: c.initiatedEventId,
        parentClosePolicy: c.parentClosePolicy,
      })),
      pendingWorkflowTask: run.s.wft
        ? {
            state:
              run.s.wft.state === 'started'
                ? enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
                : enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
            scheduledTime: msToTimestamp(run.s.wft.scheduledTime),
            originalScheduledTime: msToTimestamp(run.s.wft.scheduledTime),
            startedTime: run.s.wft.startedTime ? msToTimestamp(run.s.wft.startedTime) : null,
            attempt: run.s.wft.attempt,
          }
        : null,
      callbacks: [],
      pendingNexusOperations: [],
    };
  }

  // ---------------------------------------------------------------- visibility

  private visibilityRow(run: WorkflowRun): VisibilityRow {
    const attributes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(run.s.searchAttributes)) {
      const payload = messageFromBase64<{ data?: Uint8Array }>(T.payload, v);
      try {
        attributes[k] = JSON.parse(Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8'));
      } catch {
        attributes[k] = null;
      }
    }
    return {
      WorkflowId: run.s.workflowId,
      RunId: run.s.runId,
      WorkflowType: run.s.workflowType,
      TaskQueue: run.s.taskQueue,
      ExecutionStatus: run.s.status,
      StartTime: run.s.startTime,
      CloseTime: run.s.closeTime || null,
      ExecutionTime: run.s.executionTime,
      attributes,
    };
  }

  private queryRuns(query: string | null | undefined): WorkflowRun[] {
    const compiled = compileVisibilityQuery(query ?? '');
    const matches = [...this.runs.values()].filter((r) => compiled.matches(this.visibilityRow(r)));
    const { field, descending } = compiled.orderBy;
    matches.sort((a, b) => {
      const av = field === 'CloseTime' ? a.s.closeTime : a.s.startTime;
      const bv = field === 'CloseTime' ? b.s.closeTime : b.s.startTime;
      return descending ? bv - av : av - bv;
    });
    return matches;
  }

  async listWorkflowExecutions(req: Req<'ListWorkflowExecutionsRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const matches = this.queryRuns(req.query);
    const pageSize = req.pageSize && req.pageSize > 0 ? req.pageSize : 1000;
    let offset = 0;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'list') throw invalidArgument('invalid next page token');
      offset = Number(token.o);
    }
    const page = matches.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return {
      executions: page.map((r) => this.executionInfo(r)),
      nextPageToken: next < matches.length ? encodeToken({ k: 'list', o: next }) : null,
    };
  }

  async countWorkflowExecutions(req: Req<'CountWorkflowExecutionsRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    if (/\bGROUP\s+BY\b/i.test(req.query ?? '')) throw unimplemented('GROUP BY in visibility queries');
    return { count: this.queryRuns(req.query).length };
  }

  // ---------------------------------------------------------------- sticky queues

  shutdownWorker(stickyTaskQueue: string): void {
    if (!stickyTaskQueue) return;
    for (const run of this.runs.values()) {
      if (run.s.sticky?.queue !== stickyTaskQueue) continue;
      if (run.s.wft?.state === 'scheduled' && run.s.wft.onSticky) this.moveWorkflowTaskToNormalQueue(run);
      else {
        run.s.sticky = null;
        void this.persist(run);
      }
    }
  }

  async resetStickyTaskQueue(req: Req<'ResetStickyTaskQueueRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const run = this.findRun(req.execution);
    if (run.s.wft?.state === 'scheduled' && run.s.wft.onSticky) this.moveWorkflowTaskToNormalQueue(run);
    run.s.sticky = null;
    await this.persist(run);
    return {};
  }
}

export function encodeToken(value: Record<string, string | number>): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeToken(token: Uint8Array | null | undefined): Record<string, string | number> | null {
  if (!token || token.length === 0) return null;
  try {
    const parsed = JSON.parse(Buffer.from(token).toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string | number>) : null;
  } catch {
    return null;
  }
}

export { base64, packAny };
