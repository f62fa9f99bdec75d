// The projector: a consumer group on the lifecycle topic, like any integrating system, that builds the read model.

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PROJECTOR_GROUP_ID } from '@engine/contracts';
import { DATABASE, SqlDatabase } from '@engine/database';
import { EVENT_STORE, EventQuarantine, SqlEventStore } from '@engine/event-store';
import { createKafka, describeKafkaConnection, LifecycleConsumer } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';
import { LifecycleTopicService } from '../relay/lifecycle-topic.service';
import { retryUntil } from '../relay/retry-until';
import { projectOrQuarantine, unreadableMessageEntry } from './quarantining-projection';

export { PROJECTOR_GROUP_ID }; // defined in the contracts: the API's metrics read this group's lag

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorService.name);
  private consumer?: LifecycleConsumer;
  private readonly stopping = new AbortController();
  private starting?: Promise<void>;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATABASE) private readonly database: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: SqlEventStore,
    private readonly topic: LifecycleTopicService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runProjector) return;
    const readModel = new ReadModel(this.database);
    await readModel.migrate();
    const quarantine = new EventQuarantine(this.store.database, this.store.schema);
    await quarantine.migrate();
    const kafka = createKafka({ ...this.config.kafka, clientId: 'projector' });
    const consumer = new LifecycleConsumer(kafka, {
      groupId: PROJECTOR_GROUP_ID,
      // Not an event of the store (it cannot be read as one): recorded, so /health and the metrics show it, then
      // skipped. It blocks no report: were it a real event lost, the report's next one would be a gap, held.
      onPoisonMessage: async (error, where) => {
        this.logger.error(`skipped an unreadable message at partition ${where.partition} offset ${where.offset}: ${error.message}`);
        await quarantine.record(unreadableMessageEntry(error, where));
      },
    });
    this.consumer = consumer;
    const start = async () => {
      await this.topic.ensured();
      await consumer.start(async (message) => {
        const requestId = message.metadata.correlationId; // the API request that caused the event, if any
        const about = { reportId: message.reportId, eventId: message.eventId, type: message.type, ...(requestId && { requestId }) };
        let outcome;
        try {
          // A message that can never be applied is quarantined and its report held there; the rest goes on.
          outcome = await projectOrQuarantine(message, { readModel, quarantine });
        } catch (error) {
          this.logger.error({ msg: `projecting an event failed (retried): ${(error as Error)?.message ?? error}`, ...about });
          throw error;
        }
        if (outcome === 'quarantined' || outcome === 'held') {
          this.logger.error({ msg: `${outcome === 'quarantined' ? 'quarantined an event that cannot be projected' : 'held an event behind a quarantined one'}: this report's read model stays at the version before (see npm run quarantine)`, ...about, streamVersion: message.streamVersion });
        } else this.logger.debug({ msg: 'projected an event', ...about });
      });
    };
    this.starting = retryUntil(start, this.stopping.signal, this.logger, 'starting the projector').then(() => {
      if (!this.stopping.signal.aborted) this.logger.log(`Projector consuming the lifecycle topic at ${describeKafkaConnection(this.config.kafka)}`);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.consumer?.stop();
  }
}
