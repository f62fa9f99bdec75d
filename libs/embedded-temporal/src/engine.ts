// The server's state across all runs and the core of the frontend API: recovery, persistence, starting,
// signalling, cancelling and terminating runs, workflow tasks and the commands they complete with, timers and
// sticky queues. Activities, cross-run operations, queries/updates and history/visibility live in their own files.
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { ActivityTasks } from './activities';
import { Clock } from './clock';
import { CrossRunOperations } from './cross-run';
import { CommandType, decodeToken, DEFAULT_WORKFLOW_TASK_TIMEOUT_MS, encodeToken, enums, type Req, STICKY_POLLER_UNAVAILABLE_MS, TimeoutType, WFTFailedCause } from './engine-shared';
import { invalidArgument, namespaceNotFound, notFound, ServiceError, unimplemented, workflowAlreadyStarted } from './errors';
import { HistoryAndVisibility } from './history-and-visibility';
import { debugEnabled, debugLog } from './debug';
import type { JournalStore, JournaledRun } from './journal';
import { decodeToKeep, durationMs, fromBase64, messageToBase64, msToDuration, msToTimestamp, T, toNumber } from './proto';
import { QueriesAndUpdates } from './queries-and-updates';
import { SearchAttributeRegistry } from './search-attributes';
import { normalizeRetryPolicy, RetryState, validateRetryPolicy } from './retry-policy';
import { type QueuedTask, TaskQueues } from './task-queues';
import { EventType, type HistoryEvent, type HistoryStore, type RunSnapshot, type RunStatus, statusToProto, toNumberId, WorkflowRun } from './workflow-run';

export interface EngineOptions {
  clock: Clock;
  journal: JournalStore;
  longPollMs: number;
  /** Called whenever the server may have become idle (time skipping looks at it). */
  onActivity?: () => void;
  /**
   * How many runs keep their history in memory (the most recently used); the others' are read back from the
   * journal when needed. Only with a file journal; default `DEFAULT_RESIDENT_HISTORIES`.
   */
  residentHistories?: number;
}

/**
 * An open case's history is some 60 events (about 18 KB encoded, several times that decoded): 100,000 idle
 * cases must not all keep theirs in memory. Workers keep the runs they work on cached, so a history is read
 * back only for a run a worker no longer has (a timer firing on an idle case, a read of its history).
 */
export const DEFAULT_RESIDENT_HISTORIES = 1_000;

/** The journal key under which the namespace's custom search attributes are kept (run ids are UUIDs). */
const SEARCH_ATTRIBUTES_RECORD = '@search-attributes';

/** Members are shared with the engine's parts (activities, cross-run operations, queries/updates, readers). */
export class Engine {
  readonly crossRun = new CrossRunOperations(this);
  readonly activities = new ActivityTasks(this);
  readonly messages = new QueriesAndUpdates(this);
  readonly readers = new HistoryAndVisibility(this);
  readonly runs = new Map<string, WorkflowRun>();
  /** workflowId -> runIds in start order; the last is the current run. */
  readonly runsByWorkflowId = new Map<string, string[]>();
  readonly searchAttributes = new SearchAttributeRegistry();
  readonly queues: TaskQueues;
  readonly clock: Clock;
  readonly journal: JournalStore;
  stopped = false;
  /** Runs whose history is in memory, least recently used first. */
  private readonly residentHistories = new Set<WorkflowRun>();
  readonly histories: HistoryStore = {
    read: (runId: string) => this.journal.readEvents(runId).map((e) => decodeToKeep<HistoryEvent>(T.historyEvent, fromBase64(e))),
    touched: (run: WorkflowRun) => this.touchHistory(run),
  };

  constructor(readonly options: EngineOptions) {
    this.clock = options.clock;
    this.journal = options.journal;
    this.queues = new TaskQueues(options.longPollMs);
  }

  /** A run's history was used: it becomes the most recent, and the least recently used beyond the limit leave memory. */
  private touchHistory(run: WorkflowRun): void {
    this.residentHistories.delete(run);
    this.residentHistories.add(run);
    const limit = this.options.residentHistories ?? DEFAULT_RESIDENT_HISTORIES;
    if (this.residentHistories.size <= limit) return;
    // Runs with events not yet in the journal stay; a few are looked at per use, so each use stays cheap.
    let looked = 0;
    for (const oldest of this.residentHistories) {
      if (this.residentHistories.size <= limit || looked++ >= 8) break;
      if (oldest !== run && oldest.dropHistory()) this.residentHistories.delete(oldest);
    }
  }

  // ---------------------------------------------------------------- recovery and persistence

  /** Rebuilds runs from the journal and re-arms every timer, timeout and pending task. */
  restore(records: Map<string, JournaledRun>): void {
    for (const [runId, record] of records) {
      if (runId === SEARCH_ATTRIBUTES_RECORD) {
        this.searchAttributes.add((record.snapshot as { custom: Record<string, number> }).custom);
        continue;
      }
      const run = WorkflowRun.restored(record.snapshot as RunSnapshot, record.eventCount, this.histories);
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

  armRun(run: WorkflowRun): void {
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
    for (const activity of Object.values(run.s.activities)) this.activities.armActivity(run, activity);
    if (run.s.executionExpirationTime > 0) this.armRunTimeout(run);
  }

  /** Registers custom search attributes (durably, before the caller is answered). */
  async addSearchAttributes(attributes: Record<string, number>): Promise<void> {
    if (!this.searchAttributes.add(attributes)) return;
    await this.journal.append({ r: SEARCH_ATTRIBUTES_RECORD, e: [], s: { custom: this.searchAttributes.custom } });
  }

  indexRun(run: WorkflowRun): void {
    const list = this.runsByWorkflowId.get(run.s.workflowId) ?? [];
    if (!list.includes(run.s.runId)) list.push(run.s.runId);
    this.runsByWorkflowId.set(run.s.workflowId, list);
  }

  persist(run: WorkflowRun): Promise<boolean> {
    const events = run.unsavedEvents.map((e) => messageToBase64(T.historyEvent, e) as string);
    run.unsavedEvents = [];
    const length = run.historyLength;
    const written = this.journal.append({ r: run.s.runId, e: events, s: run.s });
    // Callers that do not await (timers, follow-up writes) must not turn a journal failure into a crash.
    written.catch(() => undefined);
    if (events.length > 0) {
      written.then(
        (kept) => {
          if (kept) run.markStored(events.length);
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
    for (const q of this.messages.queries.values()) q.resolve({ error: new ServiceError(14, 'server is shutting down') });
    this.messages.queries.clear();
  }

  /** Work the server is waiting on from workers; time skipping advances the clock only when there is none. */
  outstandingWork(countRunningActivities = true): number {
    let count = this.messages.queries.size;
    const what: string[] = debugEnabled ? [...this.messages.queries.values()].map((q) => `query:${q.id.slice(0, 8)}${q.legacy ? 'L' : ''}`) : [];
    for (const run of this.runs.values()) {
      if (!run.isRunning) continue;
      if (run.s.wft) {
        count++;
        if (debugEnabled) what.push(`wft:${run.s.workflowId}:${run.s.wft.state}${run.s.wft.speculative ? 'S' : ''}@${run.s.wft.queue}`);
      }
      for (const a of Object.values(run.s.activities)) {
        if (a.state === 'scheduled' || (a.state === 'started' && countRunningActivities)) {
          count++;
          if (debugEnabled) what.push(`act:${run.s.workflowId}:${a.activityType}:${a.state}`);
        }
      }
    }
    if (debugEnabled) debugLog(`outstanding ${count} [${what.join(' ')}]`);
    return count;
  }

  // ---------------------------------------------------------------- lookup helpers

  checkNamespace(namespace: string | null | undefined): void {
    if (namespace && namespace !== 'default') throw namespaceNotFound(namespace);
  }

  currentRun(workflowId: string): WorkflowRun | null {
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

  findRunningRun(execution: { workflowId?: string | null; runId?: string | null } | null | undefined): WorkflowRun {
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
    const updated = await this.messages.updateWorkflowExecution(update as Req<'UpdateWorkflowExecutionRequest'>);
    return {
      responses: [
        { startWorkflow: { runId: result.run.s.runId, started: result.started, status: statusToProto[result.run.s.status] } },
        { updateWorkflow: updated },
      ],
    };
  }

  validateStart(req: Req<'StartWorkflowExecutionRequest'>): void {
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
    const badAttribute = this.searchAttributes.problemIn(req.searchAttributes?.indexedFields);
    if (badAttribute) throw invalidArgument(badAttribute);
  }

  startInternal(
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

  createRun(args: {
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
      retryPolicy: args.retryPolicy ? normalizeRetryPolicy(args.retryPolicy) : null,
      attempt: args.attempt,
    }, this.histories);
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
      const waiting = () => run.isRunning && !run.s.wft && run.s.lastCompletedStartedEventId === 0;
      this.clock.schedule(now + args.startDelayMs, () => {
        if (waiting()) {
          this.scheduleWorkflowTask(run);
          void this.persist(run);
        }
      }, waiting);
    } else {
      this.scheduleWorkflowTask(run);
    }
    if (run.s.executionExpirationTime > 0) this.armRunTimeout(run);
    return run;
  }

  armRunTimeout(run: WorkflowRun): void {
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
    if (req.requestId) {
      run.s.requestIds.push(req.requestId);
      // Keep the start's id and a window of recent signal ids (client retries are recent), so the snapshot
      // written on every change stays small for long-lived workflows.
      if (run.s.requestIds.length > 201) run.s.requestIds.splice(1, run.s.requestIds.length - 201);
    }
    this.signalRun(run, req.signalName, req.input ?? null, req.header ?? null, req.identity ?? '');
    await this.persist(run);
    return {};
  }

  signalRun(run: WorkflowRun, signalName: string, input: object | null, header: object | null, identity: string): void {
    this.addEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, { signalName, input, header, identity });
  }

  /** An event from outside the workflow's commands: buffered during an in-flight task, and it needs a new task. */
  addEvent(run: WorkflowRun, eventType: number, attributes: object, fix?: 'previous' | 'child', childInitiatedEventId?: number): void {
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

  cancelRun(run: WorkflowRun, identity: string, cause: string, external: { initiatedEventId: number; workflowId: string; runId: string } | null): void {
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

  terminateRun(run: WorkflowRun, reason: string, details: object | null, identity: string): void {
    this.closeRun(run, 'Terminated', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity });
  }

  /** Writes the close event and settles everything that depended on the run being open. */
  closeRun(run: WorkflowRun, status: RunStatus, eventType: number, attributes: object): void {
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
    for (const update of run.pendingUpdates.values()) {
      run.removePendingUpdate(update.updateId);
      for (const w of update.waiters) w({ stage: 'closed' });
    }
    this.requeueQueries(run);
    this.crossRun.notifyParentOfClose(run, eventType, attributes);
    this.crossRun.applyParentClosePolicy(run);
  }

  // ---------------------------------------------------------------- workflow tasks

  scheduleWorkflowTask(run: WorkflowRun, options: { speculative?: boolean; attempt?: number; delayMs?: number } = {}): void {
    if (!run.isRunning || run.s.wft) return;
    const now = this.clock.now();
    const sticky = this.liveStickyQueue(run);
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
    debugLog(() => `wft scheduled ${run.s.workflowId} speculative=${speculative} queue=${queue}`);
    this.offerWorkflowTask(run);
  }

  offerWorkflowTask(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || wft.state !== 'scheduled') return;
    const nonce = wft.nonce;
    // Deadlines say whether they still matter, so time skipping does not stop at ones that became stale.
    const stillScheduled = () => run.s.wft?.nonce === nonce && run.s.wft.state === 'scheduled';
    const offer = () => {
      if (!stillScheduled()) return;
      if (wft.onSticky && !this.liveStickyQueue(run)) return this.moveWorkflowTaskToNormalQueue(run);
      this.queues.offer(TaskQueues.key('workflow', wft.queue), { runId: run.s.runId, kind: 'workflow', ref: nonce, nonce });
      if (wft.onSticky && run.s.sticky) {
        // A sticky task nobody picks up in time moves to the normal queue, where any worker can take it.
        const stillOnSticky = () => stillScheduled() && (run.s.wft?.onSticky ?? false);
        this.clock.schedule(this.clock.now() + run.s.sticky.scheduleToStartMs, () => {
          if (stillOnSticky()) this.moveWorkflowTaskToNormalQueue(run);
        }, stillOnSticky);
      }
    };
    if (wft.notBefore > this.clock.now()) this.clock.schedule(wft.notBefore, offer, stillScheduled);
    else offer();
  }

  /**
   * The run's sticky queue while its worker is still there. One nobody polled for a while (its worker shut down,
   * was killed, or polled this server before it restarted) is dropped, so the task or query goes to the normal
   * queue at once: the real server's matching answers "sticky worker unavailable" and history does the same.
   * The caller persists the change.
   */
  liveStickyQueue(run: WorkflowRun): RunSnapshot['sticky'] {
    const sticky = run.s.sticky;
    if (sticky && !this.queues.polledWithin(TaskQueues.key('workflow', sticky.queue), STICKY_POLLER_UNAVAILABLE_MS)) {
      debugLog(() => `sticky ${sticky.queue} of ${run.s.workflowId} has no poller: normal queue`);
      run.s.sticky = null;
    }
    return run.s.sticky;
  }

  moveWorkflowTaskToNormalQueue(run: WorkflowRun): void {
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
  materializeSpeculativeIfScheduled(run: WorkflowRun): void {
    const wft = run.s.wft;
    if (!wft || !wft.speculative || wft.state !== 'scheduled') return;
    run.s.wft = null;
    this.scheduleWorkflowTask(run, { attempt: wft.attempt });
    const replaced = run.s.wft as unknown as { deliveredUpdateIds: string[] } | null;
    if (replaced) replaced.deliveredUpdateIds = [];
  }

  async pollWorkflowTaskQueue(req: Req<'PollWorkflowTaskQueueRequest'>, isCancelled: () => boolean, longPollMs?: number): Promise<object> {
    this.checkNamespace(req.namespace);
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request');
    if (this.stopped) return {};
    const key = TaskQueues.key('workflow', req.taskQueue.name);
    const identity = req.identity ?? '';
    const response = await this.queues.poll(key, identity, isCancelled, (task) => this.deliverWorkflowTask(task, req.taskQueue?.name ?? '', identity), longPollMs);
    return response ?? {};
  }

  async deliverWorkflowTask(task: QueuedTask, queueName: string, identity: string): Promise<object | null> {
    const run = this.runs.get(task.runId);
    if (!run) return null;
    if (task.kind === 'query') return this.messages.deliverLegacyQuery(run, String(task.ref), queueName);
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
    for (const q of this.messages.queries.values()) {
      if (q.runId !== run.s.runId || q.legacy) continue;
      queries[q.id] = q.query;
      wft.deliveredQueryIds.push(q.id);
    }
    debugLog(() => `wft delivered ${run.s.workflowId} via ${queueName} queries=${wft.deliveredQueryIds.length} updates=${wft.deliveredUpdateIds.length}`);
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

  armWorkflowTaskTimeout(run: WorkflowRun): void {
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

  failWorkflowTaskInternal(run: WorkflowRun, kind: 'timeout' | 'failed', cause: number | null, identity: string, failure: object | null = null): void {
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

  writeSpeculativeTaskEvents(run: WorkflowRun, wft: NonNullable<RunSnapshot['wft']>, identity: string): void {
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
  requeueQueries(run: WorkflowRun): void {
    if (run.isRunning && run.s.wft?.state === 'scheduled') return; // delivered with that task
    for (const q of this.messages.queries.values()) {
      if (q.runId !== run.s.runId || q.legacy) continue;
      if (run.isRunning && run.s.wft) continue; // in flight: handled when it completes
      this.messages.dispatchLegacyQuery(run, q);
    }
  }

  workflowTaskFromToken(token: Uint8Array | null | undefined): { run: WorkflowRun; wft: NonNullable<RunSnapshot['wft']> } {
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
    debugLog(() => `wft failed by the worker ${run.s.workflowId} cause=${req.cause} ${req.failure?.message ?? ''} ${req.failure?.stackTrace?.slice(0, 500) ?? ''}`);
    this.failWorkflowTaskInternal(run, 'failed', req.cause ?? WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED, req.identity ?? '', req.failure ?? null);
    await this.persist(run);
    return {};
  }

  async respondWorkflowTaskCompleted(req: Req<'RespondWorkflowTaskCompletedRequest'>): Promise<object> {
    this.checkNamespace(req.namespace);
    const { run, wft } = this.workflowTaskFromToken(req.taskToken);
    debugLog(() => `wft completed ${run.s.workflowId} commands=${(req.commands ?? []).map((c) => c.commandType).join(',')} queryResults=${Object.keys(req.queryResults ?? {}).length}`);
    const identity = req.identity ?? '';
    const now = this.clock.now();

    // Queries answered with this task.
    for (const [id, answer] of Object.entries(req.queryResults ?? {})) this.messages.answerQuery(id, answer);

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
    const cancelledTimers = new Set(
      commands.filter((c) => c.commandType === CommandType.COMMAND_TYPE_CANCEL_TIMER).map((c) => c.cancelTimerCommandAttributes?.timerId ?? ''),
    );
    if (closing && (run.hasBufferedBesides(cancelledTimers) || undeliveredUpdates)) {
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
      this.messages.applyRejections(run, messages);
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
      this.messages.applyProtocolMessage(run, message, completedId);
    }
    this.messages.applyRejections(run, messages);
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

  setSticky(run: WorkflowRun, attrs: temporal.api.taskqueue.v1.IStickyExecutionAttributes): void {
    run.s.sticky = {
      queue: attrs.workerTaskQueue?.name as string,
      scheduleToStartMs: durationMs(attrs.scheduleToStartTimeout) || 10_000,
    };
  }

  validateCommands(
    run: WorkflowRun,
    commands: temporal.api.command.v1.ICommand[],
    messages: Map<string, temporal.api.protocol.v1.IMessage>,
  ): { cause: number; message: string } | null {
    for (const c of commands) {
      const searchAttributes =
        c.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes ??
        c.startChildWorkflowExecutionCommandAttributes?.searchAttributes ??
        c.continueAsNewWorkflowExecutionCommandAttributes?.searchAttributes;
      const badAttribute = this.searchAttributes.problemIn(searchAttributes?.indexedFields);
      if (badAttribute) return { cause: WFTFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES, message: `BadSearchAttributes: ${badAttribute}` };
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

  applyCommand(
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
        this.activities.scheduleActivity(run, command.scheduleActivityTaskCommandAttributes as temporal.api.command.v1.IScheduleActivityTaskCommandAttributes, completedId);
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
        // A timer that fired while this task ran is cancelled too: its buffered TimerFired is taken back.
        const startedEventId = run.s.timers[timerId]?.startedEventId ?? run.takeBufferedTimerFired(timerId);
        if (startedEventId === undefined) break;
        delete run.s.timers[timerId];
        run.append(EventType.EVENT_TYPE_TIMER_CANCELED, { timerId, startedEventId, workflowTaskCompletedEventId: completedId, identity }, now);
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
          this.messages.applyProtocolMessage(run, message, completedId);
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
        if (this.crossRun.retryWorkflow(run, failure, completedId)) break;
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
        this.crossRun.continueAsNew(run, command.continueAsNewWorkflowExecutionCommandAttributes ?? {}, completedId);
        break;
      case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
        this.crossRun.startChild(run, command.startChildWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
        this.crossRun.signalExternal(run, command.signalExternalWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
        this.crossRun.cancelExternal(run, command.requestCancelExternalWorkflowExecutionCommandAttributes ?? {}, completedId, afterCommit);
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- timers

  armTimer(run: WorkflowRun, timerId: string): void {
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

  // ---------------------------------------------------------------- sticky queues

  shutdownWorker(stickyTaskQueue: string): void {
    if (!stickyTaskQueue) return;
    this.queues.forgetPollers(TaskQueues.key('workflow', stickyTaskQueue));
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
