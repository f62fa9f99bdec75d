// One workflow run: its history, the events buffered while a workflow task is in flight, and the mutable
// state (pending workflow task, activities, timers, children, updates) that the history implies.
import { temporal } from '@temporalio/proto';
import { T, base64, decodeMessage, decodeToKeep, encodeMessage, fromBase64, msToTimestamp } from './proto';

export type HistoryEvent = temporal.api.history.v1.HistoryEvent;
export const EventType = temporal.api.enums.v1.EventType;
export const ExecutionStatus = temporal.api.enums.v1.WorkflowExecutionStatus;

export type RunStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';

export const statusToProto: Record<RunStatus, number> = {
  Running: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
  Completed: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
  Failed: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED,
  Canceled: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED,
  Terminated: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
  ContinuedAsNew: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW,
  TimedOut: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
};

export interface WorkflowTaskState {
  scheduledEventId: number;
  startedEventId: number;
  attempt: number;
  state: 'scheduled' | 'started';
  /** Scheduled only to deliver an update: its events reach history only if the worker keeps it. */
  speculative: boolean;
  /** The queue it was offered on: the sticky queue or the run's normal queue. */
  queue: string;
  onSticky: boolean;
  scheduledTime: number;
  startedTime: number;
  /** Distinguishes task tokens across attempts and restarts. */
  nonce: number;
  /** Workflow task time at which the task may be offered (retry backoff). */
  notBefore: number;
  /** Updates handed out with this task, so a failed task re-offers them. */
  deliveredUpdateIds: string[];
  deliveredQueryIds: string[];
}

export interface RetryPolicyState {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  attempt: number;
  state: 'scheduled' | 'started' | 'backoff';
  firstScheduledTime: number;
  attemptScheduledTime: number;
  startedTime: number;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retryPolicy: RetryPolicyState;
  heartbeatDetails: string | null;
  lastHeartbeatTime: number;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  lastFailure: string | null;
  startedIdentity: string;
  nonce: number;
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireAt: number;
}

export interface ChildState {
  initiatedEventId: number;
  workflowId: string;
  runId: string;
  workflowType: string;
  startedEventId: number;
  parentClosePolicy: number;
}

export interface BufferedEvent {
  event: string;
  /** How to fill the event's startedEventId once ids are assigned at flush. */
  fix?: 'previous' | 'child';
  childInitiatedEventId?: number;
}

/** What survives a restart besides the history itself. JSON only. */
export interface RunSnapshot {
  namespace: string;
  workflowId: string;
  runId: string;
  firstExecutionRunId: string;
  workflowType: string;
  taskQueue: string;
  status: RunStatus;
  startTime: number;
  executionTime: number;
  closeTime: number;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  executionExpirationTime: number;
  requestIds: string[];
  parent: { workflowId: string; runId: string; initiatedEventId: number } | null;
  wft: WorkflowTaskState | null;
  lastCompletedStartedEventId: number;
  sticky: { queue: string; scheduleToStartMs: number } | null;
  activities: Record<string, ActivityState>;
  timers: Record<string, TimerState>;
  children: Record<string, ChildState>;
  buffered: BufferedEvent[];
  searchAttributes: Record<string, string>;
  memo: Record<string, string>;
  cancelRequested: boolean;
  newExecutionRunId: string;
  closeEventId: number;
  nextNonce: number;
  /** The workflow's own retry policy (null: a failed run is final) and this run's attempt. */
  retryPolicy: RetryPolicyState | null;
  attempt: number;
}

export interface PendingUpdate {
  updateId: string;
  request: Uint8Array;
  deliveredTo: number | null;
  waiters: ((outcome: UpdateWaitResult) => void)[];
}

export type UpdateWaitResult =
  | { stage: 'accepted' }
  | { stage: 'completed'; outcome: object }
  | { stage: 'closed' };

const NO_UPDATES: ReadonlyMap<string, PendingUpdate> = new Map();

const eventFieldByType: Record<number, string> = {};
for (const [name, value] of Object.entries(EventType)) {
  if (typeof value !== 'number' || !name.startsWith('EVENT_TYPE_') || value === 0) continue;
  const camel = name
    .slice('EVENT_TYPE_'.length)
    .toLowerCase()
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  eventFieldByType[value] = `${camel}EventAttributes`;
}

export function eventAttributesField(eventType: number): string {
  const field = eventFieldByType[eventType];
  if (!field) throw new Error(`unknown event type ${eventType}`);
  return field;
}

export function eventAttributes<T = Record<string, unknown>>(event: HistoryEvent): T {
  return (event as unknown as Record<string, T>)[eventAttributesField(event.eventType as number)];
}

/**
 * Where a run's history lives while it is not in memory: the journal, read back on demand. `touched` is told of
 * every use, so that the engine keeps the recently used histories only.
 */
export interface HistoryStore {
  /** Every event of the run that the journal holds. */
  read(runId: string): HistoryEvent[];
  touched(run: WorkflowRun): void;
}

export class WorkflowRun {
  /** The history in memory; null while it is only in the journal (an idle run's, see `dropHistory`). */
  private events: HistoryEvent[] | null = [];
  private length = 0;
  /** How many of the first events the journal holds. */
  private storedCount = 0;
  /** Events appended since the last journal write. */
  unsavedEvents: HistoryEvent[] = [];
  /** How many history events are known to be on disk; readers of history see only those. */
  durableLength = 0;
  /** Admitted updates not yet accepted or rejected. Null while there are none, as for most runs (a Map each adds up). */
  private updates: Map<string, PendingUpdate> | null = null;
  /** Callers of result() / history long-polls waiting for new events; null while there are none. */
  private historyWaiters: Set<() => void> | null = null;

  constructor(
    public s: RunSnapshot,
    private readonly store?: HistoryStore,
  ) {}

  /** A run restored from the journal: its `eventCount` events stay on disk until first read. */
  static restored(s: RunSnapshot, eventCount: number, store: HistoryStore): WorkflowRun {
    const run = new WorkflowRun(s, store);
    run.events = null;
    run.length = run.storedCount = run.durableLength = eventCount;
    return run;
  }

  /** The whole history (read back from the journal if it was dropped from memory). */
  get history(): readonly HistoryEvent[] {
    if (this.events === null) this.events = this.store!.read(this.s.runId);
    this.store?.touched(this);
    return this.events;
  }

  get historyLength(): number {
    return this.length;
  }

  get nextEventId(): number {
    return this.length + 1;
  }

  /** The journal has made the next `count` events durable. */
  markStored(count: number): void {
    this.storedCount += count;
  }

  /** Drops the history from memory if every event of it is in the journal; returns whether it did. */
  dropHistory(): boolean {
    if (this.events === null) return true;
    if (this.storedCount !== this.length || this.unsavedEvents.length > 0 || this.store === undefined) return false;
    this.events = null;
    return true;
  }

  private push(event: HistoryEvent): void {
    (this.history as HistoryEvent[]).push(event);
    this.length++;
    this.unsavedEvents.push(event);
  }

  get isRunning(): boolean {
    return this.s.status === 'Running';
  }

  /** Appends an event to history now (command results and anything written when no task is in flight). */
  append(eventType: number, attributes: object, now: number): HistoryEvent {
    // Through its binary form: the attributes' payloads are slices of the request that carried them.
    const event = decodeToKeep<HistoryEvent>(
      T.historyEvent,
      encodeMessage(T.historyEvent, {
        eventId: this.nextEventId,
        eventTime: msToTimestamp(now),
        eventType,
        taskId: this.nextEventId,
        [eventAttributesField(eventType)]: attributes,
      }),
    );
    this.push(event);
    return event;
  }

  /**
   * Adds an event from outside the workflow's own commands. While a workflow task is in flight it is buffered
   * and written after that task completes, as the real server does, so history stays in the order the worker saw.
   */
  addExternal(eventType: number, attributes: object, now: number, fix?: BufferedEvent['fix'], childInitiatedEventId?: number): void {
    if (this.s.wft?.state === 'started') {
      const event = { eventTime: msToTimestamp(now), eventType, [eventAttributesField(eventType)]: attributes };
      this.s.buffered.push({ event: base64(encodeMessage(T.historyEvent, event)), fix, childInitiatedEventId });
      return;
    }
    const event = this.append(eventType, attributes, now);
    this.applyFix(event, fix, childInitiatedEventId);
  }

  /** Writes the buffered events into history; returns how many there were. */
  flushBuffered(): number {
    const buffered = this.s.buffered;
    this.s.buffered = [];
    for (const entry of buffered) {
      const decoded = decodeToKeep<HistoryEvent>(T.historyEvent, fromBase64(entry.event));
      decoded.eventId = this.nextEventId as never;
      decoded.taskId = this.nextEventId as never;
      this.push(decoded);
      this.applyFix(decoded, entry.fix, entry.childInitiatedEventId);
    }
    return buffered.length;
  }

  private applyFix(event: HistoryEvent, fix: BufferedEvent['fix'], childInitiatedEventId: number | undefined): void {
    const attrs = eventAttributes<{ startedEventId?: unknown }>(event);
    if (fix === 'previous') attrs.startedEventId = (toNumberId(event.eventId) - 1) as never;
    if (fix === 'child' && childInitiatedEventId !== undefined) {
      const child = this.s.children[String(childInitiatedEventId)];
      if (child) attrs.startedEventId = child.startedEventId as never;
      // The child's close event is written: it is no longer pending.
      delete this.s.children[String(childInitiatedEventId)];
    }
    if (event.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
      const initiated = toNumberId((attrs as { initiatedEventId?: unknown }).initiatedEventId);
      const child = this.s.children[String(initiated)];
      if (child) child.startedEventId = toNumberId(event.eventId);
    }
  }

  hasBuffered(): boolean {
    return this.s.buffered.length > 0;
  }

  /** Whether events are buffered besides the firings of `cancelledTimers` (which the completing task takes back). */
  hasBufferedBesides(cancelledTimers: Set<string>): boolean {
    return this.s.buffered.some((entry) => {
      const timerId = this.firedTimerId(entry);
      return timerId === undefined || !cancelledTimers.has(timerId);
    });
  }

  /**
   * Takes back the buffered TimerFired of `timerId`: the task in flight cancelled a timer that fired meanwhile, and
   * the real server then records TimerCanceled in its place (a TimerFired after the cancel is history the SDK
   * refuses). Returns the timer's startedEventId, or undefined when no such event is buffered.
   */
  takeBufferedTimerFired(timerId: string): number | undefined {
    const index = this.s.buffered.findIndex((entry) => this.firedTimerId(entry) === timerId);
    if (index < 0) return undefined;
    const [entry] = this.s.buffered.splice(index, 1);
    const event = decodeMessage<HistoryEvent>(T.historyEvent, fromBase64(entry.event));
    return toNumberId(event.timerFiredEventAttributes?.startedEventId);
  }

  private firedTimerId(entry: BufferedEvent): string | undefined {
    const event = decodeMessage<HistoryEvent>(T.historyEvent, fromBase64(entry.event));
    return event.eventType === EventType.EVENT_TYPE_TIMER_FIRED ? (event.timerFiredEventAttributes?.timerId ?? undefined) : undefined;
  }

  get pendingUpdates(): ReadonlyMap<string, PendingUpdate> {
    return this.updates ?? NO_UPDATES;
  }

  addPendingUpdate(update: PendingUpdate): void {
    (this.updates ??= new Map()).set(update.updateId, update);
  }

  removePendingUpdate(updateId: string): void {
    this.updates?.delete(updateId);
    if (this.updates?.size === 0) this.updates = null;
  }

  addHistoryWaiter(wake: () => void): void {
    (this.historyWaiters ??= new Set()).add(wake);
  }

  removeHistoryWaiter(wake: () => void): void {
    this.historyWaiters?.delete(wake);
    if (this.historyWaiters?.size === 0) this.historyWaiters = null;
  }

  notifyHistoryWaiters(): void {
    const waiters = this.historyWaiters;
    this.historyWaiters = null;
    for (const wake of waiters ?? []) wake();
  }

  closeEvent(): HistoryEvent | null {
    return this.s.closeEventId > 0 ? this.history[this.s.closeEventId - 1] : null;
  }

  newNonce(): number {
    return ++this.s.nextNonce;
  }
}

export function toNumberId(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return (value as { toNumber(): number }).toNumber();
}
