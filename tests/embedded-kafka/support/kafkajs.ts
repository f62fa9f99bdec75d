// kafkajs helpers for the embedded-broker tests.
import { Consumer, EachMessagePayload, Kafka, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export function kafkaFor(bootstrapServer: string, clientId = 'embedded-kafka-test'): Kafka {
  return new Kafka({ brokers: [bootstrapServer], clientId, logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 100 } });
}

/** Runs `consumer` until `count` messages arrived (or rejects after `timeoutMs`). */
export function collectMessages(consumer: Consumer, count: number, timeoutMs = 20000): Promise<EachMessagePayload[]> {
  const received: EachMessagePayload[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} messages arrived`)), timeoutMs);
    consumer
      .run({
        eachMessage: async (payload) => {
          received.push(payload);
          if (received.length === count) {
            clearTimeout(timer);
            resolve(received);
          }
        },
      })
      .catch(reject);
  });
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
