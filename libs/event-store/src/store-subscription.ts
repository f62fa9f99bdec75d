// A checkpointed reader of the store's global order (readAll), shared by the outbox relay and the projector:
// loads its cursor, reads a batch after it, hands the batch over, moves on. Every step is retried with capped
// exponential backoff until it succeeds; when caught up it polls (or is woken). readAll's order is safe against
// out-of-order commits (see ReadAllCursor), so a reader that resumes after its cursor skips nothing.

import { cursorAfter, EventStore, ReadAllCursor, StoredEvent } from './event-store.port';

export interface RetryPolicy {
  /** Delay before the first retry; default 100 ms. */
  initialDelayMs?: number;
  /** The delay never grows beyond this; default 30 s. */
  maxDelayMs?: number;
  /** Each failed attempt multiplies the delay by this; default 2. */
  factor?: number;
}

export interface SubscriptionFailure<Stage extends string> {
  stage: Stage;
  error: unknown;
  /** 1 for the first failure of this step. */
  attempt: number;
  /** How long the reader waits before trying the same step again. */
  retryInMs: number;
}

/** Runs `step` until it succeeds, telling of each failure as `stage`; rejects with SubscriptionStoppedError once stopped. */
export type Retrying<Stage extends string> = <T>(stage: Stage, step: () => Promise<T>) => Promise<T>;

export interface StoreSubscriptionOptions<Stage extends string> {
  store: Pick<EventStore, 'readAll'>;
  /** The saved cursor to start after (START_OF_ALL when none). Read at the first batch (see reloadCheckpointWhenCaughtUp). */
  loadCheckpoint: () => Promise<ReadAllCursor>;
  /**
   * Processes the events stored after `from` (in order) and saves the checkpoint. Resolves with the cursor to read
   * after next: normally `cursorAfter(last event)`; another one when the saved checkpoint was found elsewhere (moved
   * by a rebuild or another reader). Steps that may fail should go through `retrying`.
   */
  handle: (events: StoredEvent[], from: ReadAllCursor, retrying: Retrying<Stage | 'read' | 'checkpoint'>) => Promise<ReadAllCursor>;
  /**
   * Load the checkpoint again whenever caught up, so that a checkpoint moved by someone else (a rebuild rewinding it)
   * is followed even while no new event comes; default false (the checkpoint is this reader's alone).
   */
  reloadCheckpointWhenCaughtUp?: boolean;
  /** Events per batch; default 100. */
  batchSize?: number;
  /** When caught up, look again after this long (or at `wake()`); default 250 ms. */
  idlePollMs?: number;
  retry?: RetryPolicy;
  /** Told of every failed step before its retry (for logs and metrics); the reader itself never gives up. */
  onFailure?: (failure: SubscriptionFailure<Stage | 'read' | 'checkpoint'>) => void;
}

/** Thrown by `runOnce` when the reader is stopped while it waits to retry. */
export class SubscriptionStoppedError extends Error {
  override readonly name: string = 'SubscriptionStoppedError';
  constructor(message = 'the store subscription was stopped') {
    super(message);
  }
}

export class StoreSubscription<Stage extends string = never> {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private cursor: ReadAllCursor | undefined;
  private stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly options: StoreSubscriptionOptions<Stage>,
    private readonly stopped: () => SubscriptionStoppedError = () => new SubscriptionStoppedError(),
  ) {
    this.batchSize = positive(options.batchSize ?? 100, 'batchSize');
    this.idlePollMs = positive(options.idlePollMs ?? 250, 'idlePollMs');
    this.initialDelayMs = positive(options.retry?.initialDelayMs ?? 100, 'retry.initialDelayMs');
    this.maxDelayMs = positive(options.retry?.maxDelayMs ?? 30_000, 'retry.maxDelayMs');
    this.factor = options.retry?.factor ?? 2;
    if (!(this.factor >= 1)) throw new Error('retry.factor must be >= 1');
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Reads in the background until `stop()`. */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /** Stops after the step in flight. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Looks for new events now instead of at the next poll, e.g. right after an append. */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Handles at most one batch, retrying each step until it succeeds, and returns how many events it read (0 when
   * caught up). Rejects with the stopped error if stopped while waiting to retry.
   */
  async runOnce(): Promise<number> {
    const retrying: Retrying<Stage | 'read' | 'checkpoint'> = (stage, step) => this.retrying(stage, step);
    const cursor = this.cursor ?? (await retrying('checkpoint', () => this.options.loadCheckpoint()));
    this.cursor = cursor;
    const events = await retrying('read', () => this.options.store.readAll(cursor, this.batchSize));
    if (events.length === 0) {
      if (this.options.reloadCheckpointWhenCaughtUp) this.cursor = undefined;
      return 0;
    }
    this.cursor = await this.options.handle(events, cursor, retrying);
    return events.length;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const count = await this.runOnce();
        if (count === 0) await this.idle(signal);
      } catch (error) {
        if (error instanceof SubscriptionStoppedError) return;
        throw error;
      }
    }
  }

  private idle(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.idlePollMs);
      this.wakeUp = done;
      if (signal.aborted) done();
    });
  }

  private async retrying<T>(stage: Stage | 'read' | 'checkpoint', step: () => Promise<T>): Promise<T> {
    const signal = this.stopping.signal;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        if (signal.aborted) throw this.stopped();
        const retryInMs = Math.min(this.maxDelayMs, this.initialDelayMs * this.factor ** (attempt - 1));
        this.options.onFailure?.({ stage, error, attempt, retryInMs });
        await this.abortableDelay(retryInMs, signal);
      }
    }
  }

  private abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(this.stopped());
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.stopped());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The cursor just after a non-empty batch. */
export function cursorAfterBatch(events: readonly StoredEvent[]): ReadAllCursor {
  return cursorAfter(events[events.length - 1]);
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number, got ${value}`);
  return value;
}
