// The worker application: the Temporal worker with its activities, the outbox relay and the projector.
// Each is its own module; the database and the event store are given by whoever starts the application.

import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule, SqlDatabase } from '@engine/database';
import { EventStoreModule } from '@engine/event-store';
import { WORKER_CONFIG, WorkerConfig } from './config/worker-config';
import { ProjectorService } from './projector/projector.service';
import { LifecycleTopicService } from './relay/lifecycle-topic.service';
import { OutboxRelayService } from './relay/outbox-relay.service';
import { platformGatewayProvider } from './temporal-worker/platform-gateway.provider';
import { TemporalWorkerService } from './temporal-worker/temporal-worker.service';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, database: SqlDatabase, { closeDatabase = true } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [DatabaseModule.forDatabase(database, { closeOnShutdown: closeDatabase }), EventStoreModule.forDatabase(database)],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        platformGatewayProvider,
        LifecycleTopicService,
        TemporalWorkerService,
        OutboxRelayService,
        ProjectorService,
      ],
    };
  }
}
