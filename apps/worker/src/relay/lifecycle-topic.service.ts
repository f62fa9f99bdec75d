// Makes sure the lifecycle topic exists before the relay publishes or the projector subscribes. Both wait for
// `ensured()`, which creates the topic once; a failure (Kafka down) lets the next caller try again.

import { Inject, Injectable } from '@nestjs/common';
import { createKafka, ensureLifecycleTopic } from '@engine/kafka';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';

@Injectable()
export class LifecycleTopicService {
  private done?: Promise<void>;

  constructor(@Inject(WORKER_CONFIG) private readonly config: WorkerConfig) {}

  ensured(): Promise<void> {
    this.done ??= ensureLifecycleTopic(createKafka({ brokers: this.config.kafkaBrokers, clientId: 'topic-setup' }), {
      partitions: this.config.topicPartitions,
    }).catch((error) => {
      this.done = undefined;
      throw error;
    });
    return this.done;
  }
}
