// Makes sure the lifecycle topic exists before the relay publishes or the projector subscribes: once, at
// module init, which Nest completes before any service starts in onApplicationBootstrap.

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createKafka, ensureLifecycleTopic } from '@engine/kafka';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';

@Injectable()
export class LifecycleTopicService implements OnModuleInit {
  constructor(@Inject(WORKER_CONFIG) private readonly config: WorkerConfig) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.runRelay && !this.config.runProjector) return;
    await ensureLifecycleTopic(createKafka({ brokers: this.config.kafkaBrokers, clientId: 'topic-setup' }), { partitions: this.config.topicPartitions });
  }
}
