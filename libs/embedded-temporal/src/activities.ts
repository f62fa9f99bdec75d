// Activity tasks: scheduling, hand-over to pollers, heartbeats, completion, server-side retries and the four timeouts.
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { Engine } from './engine';
import { decodeToken, encodeToken, enums, type Req, TimeoutType, UNBOUNDED_MS } from './engine-shared';
import { debugLog } from './debug';
import { failedPrecondition, invalidArgument, notFound } from './errors';
import { durationMs, messageFromBase64, messageToBase64, msToDuration, msToTimestamp, T } from './proto';
import { decideRetry, normalizeRetryPolicy, retryPolicyToProto, RetryState } from './retry-policy';
import { type QueuedTask, TaskQueues } from './task-queues';
import { type ActivityState, eventAttributes, EventType, toNumberId, WorkflowRun } from './workflow-run';

export class ActivityTasks {
  constructor(private readonly e: Engine) {}

  scheduleActivity(run: WorkflowRun, a: temporal.api.command.v1.IScheduleActivityTaskCommandAttributes, completedId: number): void {
    const now = this.e.clock.now();
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
  armActivity(run: WorkflowRun, activity: ActivityState): void {
    const key = String(activity.scheduledEventId);
    const nonce = activity.nonce;
    const current = (): ActivityState | null => {
      const a = run.s.activities[key];
      return run.isRunning && a && a.nonce === nonce ? a : null;
    };
    const live = () => current() !== null;
    // While someone sleeps through the test service a running activity does not hold time still, but time
    // never jumps onto its timeouts: the worker, still running it, would find its task gone.
    const running = () => current()?.state === 'started';
    this.e.clock.schedule(activity.firstScheduledTime + activity.scheduleToCloseMs, () => {
      const a = current();
      if (a) this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    }, live, running);
    if (activity.state === 'backoff') {
      this.e.clock.schedule(activity.attemptScheduledTime, () => {
        const a = current();
        if (!a || a.state !== 'backoff') return;
        a.state = 'scheduled';
        a.nonce = run.newNonce();
        this.armActivity(run, a);
        void this.e.persist(run);
      }, live);
      return;
    }
    if (activity.state === 'scheduled') {
      this.e.queues.offer(TaskQueues.key('activity', activity.taskQueue), { runId: run.s.runId, kind: 'activity', ref: activity.scheduledEventId, nonce });
      this.e.clock.schedule(activity.attemptScheduledTime + activity.scheduleToStartMs, () => {
        const a = current();
        if (a && a.state === 'scheduled') this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
      }, live);
      return;
    }
    this.e.clock.schedule(activity.startedTime + activity.startToCloseMs, () => {
      const a = current();
      if (a && a.state === 'started') this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    }, live, running);
    if (activity.heartbeatMs > 0) this.armHeartbeatTimeout(run, activity);
  }

  armHeartbeatTimeout(run: WorkflowRun, activity: ActivityState): void {
    const key = String(activity.scheduledEventId);
    const nonce = activity.nonce;
    const last = Math.max(activity.lastHeartbeatTime, activity.startedTime);
    this.e.clock.schedule(last + activity.heartbeatMs, () => {
      const a = run.s.activities[key];
      if (!run.isRunning || !a || a.nonce !== nonce || a.state !== 'started') return;
      const latest = Math.max(a.lastHeartbeatTime, a.startedTime);
      if (latest + a.heartbeatMs > this.e.clock.now()) return this.armHeartbeatTimeout(run, a);
      this.timeoutActivity(run, a, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    }, () => run.isRunning && run.s.activities[key]?.nonce === nonce, () => run.s.activities[key]?.state === 'started');
  }

  timeoutActivity(run: WorkflowRun, activity: ActivityState, timeoutType: number): void {
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
      void this.e.persist(run);
      return;
    }
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, {
      failure,
      scheduledEventId: activity.scheduledEventId,
      retryState: retryable ? RetryState.timeout : RetryState.timeout,
    });
    void this.e.persist(run);
  }

  /** Schedules the next attempt if the policy allows; returns false when the activity has to fail instead. */
  retryActivity(run: WorkflowRun, activity: ActivityState, failure: object, errorType: string | null, nonRetryable: boolean, nextRetryDelayMs: number): boolean {
    const now = this.e.clock.now();
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
  finishActivity(run: WorkflowRun, activity: ActivityState, eventType: number, attributes: Record<string, unknown>): void {
    debugLog(`activity ${activity.activityType} finished ${run.s.workflowId} ${eventType}`);
    delete run.s.activities[String(activity.scheduledEventId)];
    const retryState = (attributes.failure as { retryState?: number } | undefined)?.retryState;
    if (retryState !== undefined && attributes.retryState !== undefined) attributes.retryState = retryState;
    if (activity.state === 'started') {
      this.e.materializeSpeculativeIfScheduled(run);
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
      this.e.addEvent(run, eventType, attributes, 'previous');
    } else {
      this.e.addEvent(run, eventType, { ...attributes, startedEventId: 0 });
    }
  }

  async pollActivityTaskQueue(req: Req<'PollActivityTaskQueueRequest'>, isCancelled: () => boolean, longPollMs?: number): Promise<object> {
    this.e.checkNamespace(req.namespace);
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request');
    if (this.e.stopped) return {};
    const identity = req.identity ?? '';
    const response = await this.e.queues.poll(
      TaskQueues.key('activity', req.taskQueue.name),
      identity,
      isCancelled,
      (task) => this.deliverActivityTask(task, identity),
      longPollMs,
    );
    return response ?? {};
  }

  async deliverActivityTask(task: QueuedTask, identity: string): Promise<object | null> {
    const run = this.e.runs.get(task.runId);
    const activity = run?.s.activities[String(task.ref)];
    if (!run || !run.isRunning || !activity || activity.nonce !== task.nonce || activity.state !== 'scheduled') return null;
    const now = this.e.clock.now();
    debugLog(`activity ${activity.activityType} started ${run.s.workflowId}`);
    activity.state = 'started';
    activity.startedTime = now;
    activity.startedIdentity = identity;
    activity.nonce = run.newNonce();
    this.armActivity(run, activity);
    await this.e.persist(run);
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

  activityFromToken(token: Uint8Array | null | undefined): { run: WorkflowRun; activity: ActivityState } {
    const parsed = decodeToken(token);
    if (!parsed || parsed.k !== 'act') throw invalidArgument('invalid task token');
    const run = this.e.runs.get(String(parsed.r));
    const activity = run?.s.activities[String(parsed.s)];
    if (!run || !run.isRunning || !activity || activity.nonce !== parsed.n || activity.state !== 'started') {
      throw notFound('Activity task not found.');
    }
    return { run, activity };
  }

  activityById(req: { namespace?: string | null; workflowId?: string | null; runId?: string | null; activityId?: string | null }): Uint8Array {
    this.e.checkNamespace(req.namespace);
    const run = this.e.findRunningRun({ workflowId: req.workflowId, runId: req.runId });
    const activity = Object.values(run.s.activities).find((a) => a.activityId === req.activityId);
    if (!activity || activity.state !== 'started') throw notFound('Activity task not found.');
    return encodeToken({ k: 'act', r: run.s.runId, s: activity.scheduledEventId, n: activity.nonce });
  }

  async recordActivityTaskHeartbeat(req: { namespace?: string | null; taskToken?: Uint8Array | null; details?: object | null }): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    activity.lastHeartbeatTime = this.e.clock.now();
    if (req.details) activity.heartbeatDetails = messageToBase64(T.payloads, req.details);
    await this.e.persist(run);
    return { cancelRequested: activity.cancelRequested };
  }

  async recordActivityTaskHeartbeatById(req: Req<'RecordActivityTaskHeartbeatByIdRequest'>): Promise<object> {
    return this.recordActivityTaskHeartbeat({ namespace: req.namespace, taskToken: this.activityById(req), details: req.details });
  }

  async respondActivityTaskCompleted(req: { namespace?: string | null; taskToken?: Uint8Array | null; result?: object | null; identity?: string | null }): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, {
      result: req.result ?? null,
      scheduledEventId: activity.scheduledEventId,
      identity: req.identity ?? '',
    });
    await this.e.persist(run);
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
    this.e.checkNamespace(req.namespace);
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
    await this.e.persist(run);
    return { failures: [] };
  }

  async respondActivityTaskFailedById(req: Req<'RespondActivityTaskFailedByIdRequest'>): Promise<object> {
    return this.respondActivityTaskFailed({ ...req, taskToken: this.activityById(req) });
  }

  async respondActivityTaskCanceled(req: { namespace?: string | null; taskToken?: Uint8Array | null; details?: object | null; identity?: string | null }): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const { run, activity } = this.activityFromToken(req.taskToken);
    if (!activity.cancelRequested) throw failedPrecondition('Activity cancellation was not requested');
    this.finishActivity(run, activity, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
      details: req.details ?? null,
      latestCancelRequestedEventId: activity.cancelRequestedEventId,
      scheduledEventId: activity.scheduledEventId,
      identity: req.identity ?? '',
    });
    await this.e.persist(run);
    return {};
  }

  async respondActivityTaskCanceledById(req: Req<'RespondActivityTaskCanceledByIdRequest'>): Promise<object> {
    return this.respondActivityTaskCanceled({ ...req, taskToken: this.activityById(req) });
  }
}
