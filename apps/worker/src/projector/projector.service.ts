// Runs the projector (RUN_PROJECTOR): the read model built from the event store's global order, checkpointed in the
// same transactions (store-projector.ts). Needs only the database: Kafka down, or a forged message on the topic,
// changes nothing here.

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PROJECTOR_GROUP_ID } from '@engine/contracts';
import { DATABASE, SqlDatabase } from '@engine/database';
import { EVENT_STORE, EventQuarantine, SqlEventStore } from '@engine/event-store';
import { ReadModel } from '@engine/read-model';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';
import { retryUntil } from '../relay/retry-until';
import { ProjectedEvent, StoreProjector } from './store-projector';

// No longer a consumer group of the projector's: the stand-in broker still denies the read-only user this name.
export { PROJECTOR_GROUP_ID };

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorService.name);
  private projector?: StoreProjector;
  private readonly stopping = new AbortController();
  private starting?: Promise<void>;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATABASE) private readonly database: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: SqlEventStore,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runProjector) return;
    const readModel = new ReadModel(this.database);
    const projector = new StoreProjector({
      database: this.store.database,
      store: this.store,
      storeSchema: this.store.schema,
      readModel,
      onProjected: (projected) => this.log(projected),
      onMaintained: (outcome) => {
        if ('error' in outcome) this.logger.warn(`projector: vacuuming the read model failed (its reads may slow down): ${(outcome.error as Error)?.message ?? outcome.error}`);
        else this.logger.log(`projector: read model vacuumed and analysed in ${Math.round(outcome.ms)} ms`);
      },
      onFailure: ({ stage, attempt, retryInMs, error }) => {
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(`projector: ${stage} failed (attempt ${attempt}), retrying in ${retryInMs} ms: ${(error as Error)?.message ?? error}`);
        }
      },
    });
    this.projector = projector;
    const prepared = async () => {
      await readModel.migrate();
      await new EventQuarantine(this.store.database, this.store.schema).migrate();
    };
    this.starting = retryUntil(prepared, this.stopping.signal, this.logger, 'creating the read model and quarantine tables').then(() => {
      if (this.stopping.signal.aborted) return;
      projector.start();
      this.logger.log('Projector applying the event store to the read model');
    });
  }

  private log({ event, reportId, outcome }: ProjectedEvent): void {
    const requestId = event.metadata.correlationId; // the API request that caused the event, if any
    const about = { reportId, eventId: event.eventId, type: event.type, ...(typeof requestId === 'string' && { requestId }) };
    switch (outcome) {
      case 'quarantined':
      case 'held':
        this.logger.error({
          msg: `${outcome === 'quarantined' ? 'quarantined an event that cannot be projected' : 'held an event behind a quarantined one'}: this report's read model stays at the version before (see npm run quarantine)`,
          ...about,
          streamVersion: event.version,
        });
        return;
      case 'applied':
      case 'duplicate':
        this.logger.debug({ msg: 'projected an event', ...about });
        return;
      default: {
        const unexpected: never = outcome;
        throw new Error(`unexpected projection outcome ${String(unexpected)}`);
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.projector?.stop();
  }
}
