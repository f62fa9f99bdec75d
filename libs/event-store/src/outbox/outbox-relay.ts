// The outbox relay: reads stored events after its checkpoint, publishes them in order, then moves the checkpoint.

import { ChainAnchoring } from '../chain-anchors';
import { CheckpointStore } from '../checkpoint-store';
import { cursorAfter, EventStore, ReadAllCursor } from '../event-store.port';
import { EventPublisher } from './event-publisher.port';

export interface RetryPolicy {
  /** Delay before the first retry; default 100 ms. */
  initialDelayMs?: number;
  /** The delay never grows beyond this; default 30 s. */
  maxDelayMs?: number;
  /** Each failed attempt multiplies the delay by this; default 2. */
  factor?: number;
}

export type RelayStage = 'read' | 'anchor' | 'publish' | 'checkpoint';

export interface RelayFailure {
  stage: RelayStage;
  error: unknown;
  /** 1 for the first failure of this step. */
  attempt: number;
  /** How long the relay waits before trying the same step again. */
  retryInMs: number;
}

export interface OutboxRelayOptions {
  /** The checkpoint's name: one per destination, e.g. the topic name. Run one relay per name at a time. */
  name: string;
  store: Pick<EventStore, 'readAll'>;
  checkpoints: CheckpointStore;
  publisher: EventPublisher;
  /** Anchors the stream heads of each batch (chain-anchors.ts) before it is published; off when not given. */
  anchoring?: Pick<ChainAnchoring, 'anchorBatch'>;
  /** Events per publish call; default 100. */
  batchSize?: number;
  /** When caught up, look again after this long (or at `wake()`); default 250 ms. */
  idlePollMs?: number;
  retry?: RetryPolicy;
  /** Told of every failed step before its retry (for logs and metrics); the relay itself never gives up. */
  onFailure?: (failure: RelayFailure) => void;
}

/** Thrown by `runOnce` when the relay is stopped while it waits to retry. */
export class RelayStoppedError extends Error {
  override readonly name = 'RelayStoppedError';
  constructor() {
    super('the outbox relay was stopped');
  }
}

/**
 * Publishes every stored event once or more (never zero times) and in the store's readAll order, which keeps each
 * stream's order. A batch is retried with capped exponential backoff until the publisher acknowledges it; only
 * then does the checkpoint advance. A crash between publish and checkpoint re-publishes that batch on restart.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly factor: number;
  private cursor: ReadAllCursor | undefined;
  private stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private publishedCount = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    if (!options.name) throw new Error('an outbox relay needs a name for its checkpoint');
    this.batchSize = positive(options.batchSize ?? 100, 'batchSize');
    this.idlePollMs = positive(options.idlePollMs ?? 250, 'idlePollMs');
    this.initialDelayMs = positive(options.retry?.initialDelayMs ?? 100, 'retry.initialDelayMs');
    this.maxDelayMs = positive(options.retry?.maxDelayMs ?? 30_000, 'retry.maxDelayMs');
    this.factor = options.retry?.factor ?? 2;
    if (!(this.factor >= 1)) throw new Error('retry.factor must be >= 1');
  }

  /** Events published since this relay object was created. */
  get published(): number {
    return this.publishedCount;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts relaying in the background until `stop()`. */
  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.loop = this.run();
  }

  /** Stops after the step in flight (an acknowledged batch still gets its checkpoint when the store allows). */
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
   * Relays at most one batch, retrying each step until it succeeds, and returns how many events it published
   * (0 when caught up). Rejects with RelayStoppedError if stopped while waiting to retry.
   */
  async runOnce(): Promise<number> {
    const signal = this.stopping.signal;
    const cursor = this.cursor ?? (await this.retrying('checkpoint', () => this.options.checkpoints.load(this.options.name), signal));
    this.cursor = cursor;
    const events = await this.retrying('read', () => this.options.store.readAll(cursor, this.batchSize), signal);
    if (events.length === 0) return 0;
    const anchoring = this.options.anchoring;
    if (anchoring) await this.retrying('anchor', () => anchoring.anchorBatch(events, cursor), signal);
    await this.retrying('publish', () => this.options.publisher.publish(events), signal);
    this.publishedCount += events.length;
    const next = cursorAfter(events[events.length - 1]);
    await this.retrying('checkpoint', () => this.options.checkpoints.save(this.options.name, next), signal);
    this.cursor = next;
    return events.length;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const count = await this.runOnce();
        if (count === 0) await this.idle(signal);
      } catch (error) {
        if (error instanceof RelayStoppedError) return;
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

  private async retrying<T>(stage: RelayStage, step: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        if (signal.aborted) throw new RelayStoppedError();
        const retryInMs = Math.min(this.maxDelayMs, this.initialDelayMs * this.factor ** (attempt - 1));
        this.options.onFailure?.({ stage, error, attempt, retryInMs });
        await abortableDelay(retryInMs, signal);
      }
    }
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new RelayStoppedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RelayStoppedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function positive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number, got ${value}`);
  return value;
}
