// Runs the outbox relay: stored events → the lifecycle topic, in order, each at least once (idempotent producer,
// consumers drop duplicates by event id). Kafka being down delays events and loses none.

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { REPORTS_TOPIC } from '@engine/contracts';
import {
  CHAIN_ANCHOR_LOG,
  ChainAnchoring,
  CheckpointStore,
  EVENT_STORE,
  EventQuarantine,
  OutboxRelay,
  QuarantiningPublisher,
  RELAY_CHECKPOINT_STORE,
  SqlChainAnchorLog,
  SqlEventStore,
} from '@engine/event-store';
import { createKafka, describeKafkaConnection, isRecordRefusedByKafka, KafkaLifecyclePublisher, reportIdOfStream } from '@engine/kafka';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';
import { LifecycleTopicService } from './lifecycle-topic.service';
import { retryUntil } from './retry-until';

/** The least time between two wakes of the relay by appends (its idle poll is 250 ms). */
const RELAY_WAKE_INTERVAL_MS = 50;

/** Calls `call` at once, unless it was called less than `intervalMs` ago: then once when the interval is over. */
function throttled(intervalMs: number, call: () => void): () => void {
  let last = -Infinity;
  let pending: NodeJS.Timeout | undefined;
  const run = () => {
    pending = undefined;
    last = performance.now();
    call();
  };
  return () => {
    if (pending) return;
    const wait = last + intervalMs - performance.now();
    if (wait <= 0) run();
    else pending = setTimeout(run, wait);
  };
}

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private relay?: OutboxRelay;
  private publisher?: KafkaLifecyclePublisher;
  private readonly stopping = new AbortController();
  private starting?: Promise<void>;
  private stopWaking?: () => void;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(EVENT_STORE) private readonly store: SqlEventStore,
    @Inject(RELAY_CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    private readonly topic: LifecycleTopicService,
    @Inject(CHAIN_ANCHOR_LOG) private readonly anchorLog: SqlChainAnchorLog,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runRelay) return;
    const kafka = createKafka({ ...this.config.kafka, clientId: 'outbox-relay' });
    const publisher = new KafkaLifecyclePublisher(kafka);
    this.publisher = publisher;
    const quarantine = new EventQuarantine(this.store.database, this.store.schema);
    this.relay = new OutboxRelay({
      name: REPORTS_TOPIC,
      store: this.store,
      checkpoints: this.checkpoints,
      anchoring: this.anchoring(),
      // An event the broker refuses for what it is (too large, malformed) is quarantined, not retried for ever.
      publisher: new QuarantiningPublisher({
        quarantine,
        isPoison: isRecordRefusedByKafka,
        onQuarantined: (event, error) =>
          this.logger.error({
            msg: `quarantined an event the broker refuses (the relay goes on without it; see npm run quarantine): ${(error as Error)?.message ?? error}`,
            reportId: reportIdOfStream(event.streamId),
            eventId: event.eventId,
            type: event.type,
          }),
        publisher: {
          publish: async (events) => {
            await publisher.publish(events);
            for (const event of events) {
              const reportId = reportIdOfStream(event.streamId);
              const requestId = event.metadata.correlationId; // the API request that caused it, if any
              if (reportId) this.logger.debug({ msg: 'published an event', reportId, eventId: event.eventId, type: event.type, ...(typeof requestId === 'string' && { requestId }) });
            }
          },
        },
      }),
      onFailure: ({ stage, attempt, retryInMs, error }) => {
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(`outbox relay: ${stage} failed (attempt ${attempt}), retrying in ${retryInMs} ms: ${(error as Error)?.message ?? error}`);
        }
      },
    });
    const relay = this.relay;
    const prepared = async () => {
      await quarantine.migrate();
      await this.topic.ensured();
    };
    this.starting = retryUntil(prepared, this.stopping.signal, this.logger, 'creating the lifecycle topic and the quarantine table').then(() => {
      if (this.stopping.signal.aborted) return;
      relay.start();
      // An append by this process's workflows wakes the relay instead of its next poll (which still finds other
      // writers' events); at most once per RELAY_WAKE_INTERVAL_MS, so that under load appends go out in batches
      // (each publish is a durable write at the broker) instead of one by one.
      this.stopWaking = this.store.onAppended(throttled(RELAY_WAKE_INTERVAL_MS, () => relay.wake()));
      this.logger.log(`Outbox relay publishing to ${REPORTS_TOPIC} at ${describeKafkaConnection(this.config.kafka)}`);
    });
  }

  /** Stream heads signed outside the events table before each batch is published (libs/event-store chain-anchors.ts). */
  private anchoring(): ChainAnchoring | undefined {
    const key = this.config.chainAnchorKey;
    if (!key) {
      this.logger.warn('no CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE: stream heads are not anchored, so a stream rewritten with recomputed hashes would go unnoticed');
      return undefined;
    }
    // At debug level, each line is a witness kept outside the database (see the threat model in chain-anchors.ts).
    return new ChainAnchoring(this.anchorLog, key, (anchor) =>
      this.logger.debug({ msg: 'anchored stream heads', anchorSequence: anchor.sequence, anchorMac: anchor.mac, streams: anchor.heads.length }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    this.stopWaking?.();
    await this.relay?.stop();
    await this.publisher?.close();
  }
}
