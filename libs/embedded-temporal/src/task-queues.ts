// Task queues and long polls: tasks wait for pollers and pollers wait (up to the long-poll timeout) for tasks.
// A task is only a pointer; the engine decides at hand-over whether it is still current.
import { debugLog } from './debug';

export interface QueuedTask {
  runId: string;
  kind: 'workflow' | 'activity' | 'query';
  /** workflow: task nonce; activity: scheduledEventId; query: query id */
  ref: string | number;
  nonce: number;
}

interface Poller<R> {
  deliver: (task: QueuedTask) => Promise<R | null>;
  respond: (result: R | null) => void;
  isCancelled: () => boolean;
  timer: NodeJS.Timeout | null;
  done: boolean;
  /** Set while a task is being recorded as started for this poller: it must get that task. */
  reserved: boolean;
  expired: boolean;
}

class TaskQueue {
  readonly tasks: QueuedTask[] = [];
  readonly pollers: Poller<unknown>[] = [];
  lastPollTime = 0;
  lastPollerIdentity = '';
}

export class TaskQueues {
  private readonly queues = new Map<string, TaskQueue>();

  constructor(private readonly longPollMs: number) {}

  private queue(key: string): TaskQueue {
    let q = this.queues.get(key);
    if (!q) {
      q = new TaskQueue();
      this.queues.set(key, q);
    }
    return q;
  }

  static key(kind: 'workflow' | 'activity', name: string): string {
    return `${kind}:${name}`;
  }

  offer(key: string, task: QueuedTask): void {
    const q = this.queue(key);
    // A query goes ahead of the workflow tasks waiting, behind earlier queries: the real server never puts a
    // query in the backlog but hands it to the next poller, so a backlog (deadlines that all fell due while the
    // worker was down) does not hold up reads.
    const firstNonQuery = task.kind === 'query' ? q.tasks.findIndex((t) => t.kind !== 'query') : -1;
    if (firstNonQuery >= 0) q.tasks.splice(firstNonQuery, 0, task);
    else q.tasks.push(task);
    this.match(q);
  }

  /**
   * Waits for a task (at most the long-poll timeout, or `waitMs` when shorter); `deliver` turns it into a
   * response or null when stale. Resolves null on timeout.
   */
  poll<R>(key: string, identity: string, isCancelled: () => boolean, deliver: (task: QueuedTask) => Promise<R | null>, waitMs?: number): Promise<R | null> {
    const q = this.queue(key);
    q.lastPollTime = Date.now();
    q.lastPollerIdentity = identity;
    return new Promise((resolve) => {
      const poller: Poller<R> = {
        deliver,
        respond: resolve,
        isCancelled,
        timer: null,
        done: false,
        reserved: false,
        expired: false,
      };
      poller.timer = setTimeout(() => {
        poller.expired = true;
        if (poller.done || poller.reserved) return;
        poller.done = true;
        const i = q.pollers.indexOf(poller as Poller<unknown>);
        if (i >= 0) q.pollers.splice(i, 1);
        resolve(null);
      }, Math.min(this.longPollMs, waitMs ?? Infinity));
      q.pollers.push(poller as Poller<unknown>);
      this.match(q);
    });
  }

  /** Drops a poller whose call was cancelled, so no task is handed to it. */
  cancelPolls(key: string): void {
    const q = this.queues.get(key);
    if (!q) return;
    for (const p of [...q.pollers]) {
      if (p.isCancelled()) this.finishPoller(q, p, null);
    }
  }

  hasPollers(key: string): boolean {
    return (this.queues.get(key)?.pollers.length ?? 0) > 0;
  }

  /** Someone polls `key` now or did within `windowMs` (real time) since this server started. */
  polledWithin(key: string, windowMs: number): boolean {
    const q = this.queues.get(key);
    return q !== undefined && (q.pollers.length > 0 || (q.lastPollTime > 0 && Date.now() - q.lastPollTime <= windowMs));
  }

  /** Forgets who polled `key` (its worker said it shut down). */
  forgetPollers(key: string): void {
    const q = this.queues.get(key);
    if (q) q.lastPollTime = 0;
  }

  pollerInfo(key: string): { lastPollTime: number; identity: string } | null {
    const q = this.queues.get(key);
    return q && q.lastPollTime > 0 ? { lastPollTime: q.lastPollTime, identity: q.lastPollerIdentity } : null;
  }

  backlog(key: string): number {
    return this.queues.get(key)?.tasks.length ?? 0;
  }

  /** Answers every waiting poll with an empty response (server shutdown). */
  releaseAll(): void {
    for (const q of this.queues.values()) {
      for (const p of [...q.pollers]) this.finishPoller(q, p, null);
    }
  }

  private finishPoller(q: TaskQueue, p: Poller<unknown>, result: unknown): void {
    if (p.done) return;
    p.done = true;
    if (p.timer) clearTimeout(p.timer);
    const i = q.pollers.indexOf(p);
    if (i >= 0) q.pollers.splice(i, 1);
    p.respond(result);
  }

  private match(q: TaskQueue): void {
    while (q.tasks.length > 0 && q.pollers.length > 0) {
      const poller = q.pollers.shift() as Poller<unknown>;
      if (poller.done) continue;
      if (poller.isCancelled()) {
        this.finishPoller(q, poller, null);
        continue;
      }
      const task = q.tasks.shift() as QueuedTask;
      // The poller is reserved while the engine records the task as started (which waits for the journal).
      poller.reserved = true;
      const putBack = (): void => {
        poller.reserved = false;
        if (poller.done) return;
        if (poller.expired || poller.isCancelled()) return this.finishPoller(q, poller, null);
        q.pollers.unshift(poller);
        this.match(q);
      };
      poller.deliver(task).then(
        (result) => {
          if (result === null) return putBack();
          poller.reserved = false;
          if (poller.isCancelled()) debugLog(`task ${task.kind} ${String(task.ref)} handed to a cancelled poll`);
          this.finishPoller(q, poller, result);
        },
        () => putBack(),
      );
    }
  }
}
