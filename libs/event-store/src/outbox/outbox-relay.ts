// The outbox relay: reads stored events after its checkpoint, publishes them in order, then moves the checkpoint.

import { ChainAnchoring } from '../chain-anchors';
import { CheckpointStore } from '../checkpoint-store';
import { EventStore } from '../event-store.port';
import { cursorAfterBatch, RetryPolicy, StoreSubscription, SubscriptionFailure, SubscriptionStoppedError } from '../store-subscription';
import { EventPublisher } from './event-publisher.port';

export type { RetryPolicy };

export type RelayStage = 'read' | 'anchor' | 'publish' | 'checkpoint';

export type RelayFailure = SubscriptionFailure<RelayStage>;

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
export class RelayStoppedError extends SubscriptionStoppedError {
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
  private readonly subscription: StoreSubscription<'anchor' | 'publish'>;
  private publishedCount = 0;

  constructor(options: OutboxRelayOptions) {
    if (!options.name) throw new Error('an outbox relay needs a name for its checkpoint');
    const { name, checkpoints, publisher, anchoring } = options;
    this.subscription = new StoreSubscription<'anchor' | 'publish'>(
      {
        store: options.store,
        loadCheckpoint: () => checkpoints.load(name),
        batchSize: options.batchSize,
        idlePollMs: options.idlePollMs,
        retry: options.retry,
        onFailure: options.onFailure,
        handle: async (events, from, retrying) => {
          if (anchoring) await retrying('anchor', () => anchoring.anchorBatch(events, from));
          await retrying('publish', () => publisher.publish(events));
          this.publishedCount += events.length;
          const next = cursorAfterBatch(events);
          await retrying('checkpoint', () => checkpoints.save(name, next));
          return next;
        },
      },
      () => new RelayStoppedError(),
    );
  }

  /** Events published since this relay object was created. */
  get published(): number {
    return this.publishedCount;
  }

  get running(): boolean {
    return this.subscription.running;
  }

  /** Starts relaying in the background until `stop()`. */
  start(): void {
    this.subscription.start();
  }

  /** Stops after the step in flight (an acknowledged batch still gets its checkpoint when the store allows). */
  stop(): Promise<void> {
    return this.subscription.stop();
  }

  /** Looks for new events now instead of at the next poll, e.g. right after an append. */
  wake(): void {
    this.subscription.wake();
  }

  /**
   * Relays at most one batch, retrying each step until it succeeds, and returns how many events it published
   * (0 when caught up). Rejects with RelayStoppedError if stopped while waiting to retry.
   */
  runOnce(): Promise<number> {
    return this.subscription.runOnce();
  }
}
