// A consumer group on the lifecycle topic, as any integrating system would run one: each message is parsed and
// handed over in order per report; its offset is committed only after the handler resolved.

import { Consumer, Kafka } from 'kafkajs';
import { REPORTS_TOPIC, ReportLifecycleMessage, TRACE_PARENT_HEADER } from '@engine/contracts';
import { parseLifecycleMessage } from './lifecycle-record';
import { inProcessSpan } from './lifecycle-tracing';

export interface LifecycleConsumerOptions {
  groupId: string;
  topic?: string;
  /**
   * Called with a message that cannot be parsed; the consumer skips it (it would block the partition forever)
   * once the returned promise resolves (a rejection retries the message, as a handler failure does).
   */
  onPoisonMessage?: (error: Error, where: { topic: string; partition: number; offset: string; key?: string }) => void | Promise<void>;
}

export class LifecycleConsumer {
  private readonly consumer: Consumer;
  private readonly topic: string;

  constructor(
    kafka: Kafka,
    private readonly options: LifecycleConsumerOptions,
  ) {
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.topic = options.topic ?? REPORTS_TOPIC;
  }

  async start(handle: (message: ReportLifecycleMessage) => Promise<unknown>): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachMessage: async ({ partition, message }) => {
        let parsed: ReportLifecycleMessage;
        try {
          parsed = parseLifecycleMessage(message.value);
        } catch (error) {
          await this.options.onPoisonMessage?.(error as Error, { topic: this.topic, partition, offset: message.offset, key: message.key?.toString() });
          return;
        }
        // A handler failure propagates: kafkajs retries the message and does not commit past it.
        const traceParent = message.headers?.[TRACE_PARENT_HEADER]?.toString();
        await inProcessSpan(this.topic, parsed, traceParent, () => handle(parsed));
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
