// The projector: a consumer group on the lifecycle topic, like any integrating system, that builds the read model.

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DATABASE, SqlDatabase } from '@engine/database';
import { createKafka, LifecycleConsumer } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';

export const PROJECTOR_GROUP_ID = 'report-read-model';

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorService.name);
  private consumer?: LifecycleConsumer;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATABASE) private readonly database: SqlDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runProjector) return;
    const readModel = new ReadModel(this.database);
    await readModel.migrate();
    const kafka = createKafka({ brokers: this.config.kafkaBrokers, clientId: 'projector' });
    this.consumer = new LifecycleConsumer(kafka, {
      groupId: PROJECTOR_GROUP_ID,
      onPoisonMessage: (error, where) => this.logger.error(`skipped an unreadable message at partition ${where.partition} offset ${where.offset}: ${error.message}`),
    });
    await this.consumer.start((message) => readModel.project(message));
    this.logger.log('Projector consuming the lifecycle topic');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
