// Operations that reach beyond one run: continue-as-new, workflow retries, child workflows (and their
// parent close policy), and signalling or cancelling external workflows.
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { Engine } from './engine';
import { enums } from './engine-shared';
import { workflowAlreadyStarted } from './errors';
import { durationMs, messageFromBase64, msToDuration, T } from './proto';
import { decideRetry, RetryState } from './retry-policy';
import { eventAttributes, EventType, toNumberId, WorkflowRun } from './workflow-run';

export class CrossRunOperations {
  constructor(private readonly e: Engine) {}

  /** Per the workflow's RetryPolicy, closes a failed run and starts its next attempt; false when it is final. */
  retryWorkflow(run: WorkflowRun, failure: temporal.api.failure.v1.IFailure | null, completedId: number): boolean {
    const policy = run.s.retryPolicy;
    if (!policy) return false;
    const info = failure?.applicationFailureInfo;
    const decision = decideRetry({
      policy,
      attempt: run.s.attempt,
      errorType: info?.type ?? null,
      nonRetryable: info?.nonRetryable ?? false,
      nextRetryDelayMs: durationMs(info?.nextRetryDelay),
      now: this.e.clock.now(),
      expirationTime: run.s.executionTimeoutMs > 0 ? run.s.executionExpirationTime : 0,
    });
    if (!decision.retry) {
      if (failure) (failure as { retryState?: number }).retryState = decision.retryState;
      return false;
    }
    const started = eventAttributes<temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes>(run.history[0]);
    const newRunId = randomUUID();
    this.e.closeRun(run, 'Failed', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
      failure,
      retryState: RetryState.inProgress,
      workflowTaskCompletedEventId: completedId,
      newExecutionRunId: newRunId,
    });
    run.s.newExecutionRunId = newRunId;
    void this.e.persist(run);
    this.e.createRun({
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
    void this.e.persist(this.e.runs.get(newRunId) as WorkflowRun);
    return true;
  }

  continueAsNew(run: WorkflowRun, a: temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes, completedId: number): void {
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
    this.e.closeRun(run, 'ContinuedAsNew', EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, {
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
    void this.e.persist(run);
    this.e.createRun({
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
    const next = this.e.runs.get(newRunId) as WorkflowRun;
    void this.e.persist(next);
  }

  startChild(
    parent: WorkflowRun,
    a: temporal.api.command.v1.IStartChildWorkflowExecutionCommandAttributes,
    completedId: number,
    afterCommit: (() => void)[],
  ): void {
    const now = this.e.clock.now();
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
        const existing = this.e.currentRun(a.workflowId as string);
        if (existing?.isRunning) throw workflowAlreadyStarted('', existing.s.runId);
        const { run: child } = this.e.startInternal(startReq, null, { workflowId: parent.s.workflowId, runId: parent.s.runId, initiatedEventId });
        parent.s.children[String(initiatedEventId)] = {
          initiatedEventId,
          workflowId: child.s.workflowId,
          runId: child.s.runId,
          workflowType: child.s.workflowType,
          startedEventId: 0,
          parentClosePolicy: a.parentClosePolicy ?? enums.ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE,
        };
        void this.e.persist(child);
        this.e.addEvent(parent, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, {
          namespace: 'default',
          initiatedEventId,
          workflowExecution: { workflowId: child.s.workflowId, runId: child.s.runId },
          workflowType: { name: child.s.workflowType },
          header: a.header,
        });
      } catch {
        this.e.addEvent(parent, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, {
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

  notifyParentOfClose(child: WorkflowRun, eventType: number, attributes: object): void {
    if (!child.s.parent || eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) return;
    if ((attributes as { newExecutionRunId?: string }).newExecutionRunId) return; // retried: the next attempt reports
    const parent = this.e.runs.get(child.s.parent.runId);
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
    this.e.addEvent(parent, mapped[0], mapped[1], 'child', initiatedEventId);
    void this.e.persist(parent);
  }

  applyParentClosePolicy(run: WorkflowRun): void {
    for (const child of Object.values(run.s.children)) {
      const childRun = this.e.runs.get(child.runId);
      if (!childRun || !childRun.isRunning) continue;
      if (child.parentClosePolicy === enums.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) continue;
      if (child.parentClosePolicy === enums.ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
        if (!childRun.s.cancelRequested) this.e.cancelRun(childRun, 'embedded-temporal', 'parent closed', null);
      } else {
        this.e.terminateRun(childRun, 'by parent close policy', null, 'embedded-temporal');
      }
      void this.e.persist(childRun);
    }
  }

  signalExternal(
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
      this.e.clock.now(),
    );
    const initiatedEventId = toNumberId(initiated.eventId);
    afterCommit.push(() => {
      if (!run.isRunning) return;
      let target: WorkflowRun | null = null;
      try {
        target = this.e.findRunningRun(a.execution);
      } catch {
        target = null;
      }
      if (target) {
        this.e.signalRun(target, a.signalName ?? '', a.input ?? null, a.header ?? null, `workflow:${run.s.workflowId}`);
        void this.e.persist(target);
        this.e.addEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, {
          initiatedEventId,
          namespace: 'default',
          workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
          control: a.control,
        });
      } else {
        this.e.addEvent(run, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
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

  cancelExternal(
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
      this.e.clock.now(),
    );
    const initiatedEventId = toNumberId(initiated.eventId);
    afterCommit.push(() => {
      if (!run.isRunning) return;
      let target: WorkflowRun | null = null;
      try {
        target = this.e.findRunningRun(execution);
      } catch {
        target = null;
      }
      if (target) {
        if (!target.s.cancelRequested) {
          this.e.cancelRun(target, `workflow:${run.s.workflowId}`, a.reason ?? '', { initiatedEventId, workflowId: run.s.workflowId, runId: run.s.runId });
          void this.e.persist(target);
        }
        this.e.addEvent(run, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
          initiatedEventId,
          namespace: 'default',
          workflowExecution: { workflowId: target.s.workflowId, runId: target.s.runId },
        });
      } else {
        this.e.addEvent(run, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, {
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
}
