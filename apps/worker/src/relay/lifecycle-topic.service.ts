// Makes sure the lifecycle topic exists before the relay publishes. It waits for `ensured()`, which creates the
// topic once; a failure (Kafka down) lets the next caller try again. A refusal (the engine may not create topics)
// is not retried: the process stops, naming the command that creates it.

import { Inject, Injectable, Logger } from '@nestjs/common';
import { createKafka, ensureLifecycleTopic, TopicProvisioningError } from '@engine/kafka';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';

@Injectable()
export class LifecycleTopicService {
  private readonly logger = new Logger(LifecycleTopicService.name);
  private done?: Promise<void>;
  private refused = false;

  constructor(@Inject(WORKER_CONFIG) private readonly config: WorkerConfig) {}

  ensured(): Promise<void> {
    this.done ??= ensureLifecycleTopic(createKafka({ ...this.config.kafka, clientId: 'topic-setup' }), {
      partitions: this.config.topicPartitions,
    }).catch((error) => {
      this.done = undefined;
      if (error instanceof TopicProvisioningError && !this.refused) {
        this.refused = true;
        // As when the Temporal worker fails: say why and stop with a non-zero exit, for an operator to act.
        this.logger.error(error.message);
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
      throw error;
    });
    return this.done;
  }
}
