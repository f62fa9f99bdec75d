import { Kafka, KafkaJSAggregateError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { ensureLifecycleTopic, TopicProvisioningError } from './lifecycle-topic';

/** A refusal as kafkajs reports it from CreateTopics: the broker's error per topic, aggregated, then bailed out
 * of its retrier (`new KafkaJSNonRetriableError(e, { cause: e })`). */
function refusal(type: string, code: number): Error {
  const perTopic = new KafkaJSProtocolError({ type, code, retriable: false, message: `refused: ${type}` } as unknown as Error);
  const aggregate = new KafkaJSAggregateError('Topic creation errors', [perTopic]);
  return Object.assign(new KafkaJSNonRetriableError(aggregate), { cause: aggregate });
}

function fakeKafka(createTopics: () => Promise<boolean>, topics: string[] = []) {
  const calls: unknown[] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => topics,
    createTopics: async (request: unknown) => (calls.push(request), createTopics()),
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls };
}

describe('the lifecycle topic at start', () => {
  it('creates it with its partitions and a retention that keeps every event', async () => {
    const { kafka, calls } = fakeKafka(async () => true);
    await ensureLifecycleTopic(kafka, { partitions: 6 });
    expect(calls).toEqual([
      { topics: [{ topic: 'reports.lifecycle.v1', numPartitions: 6, replicationFactor: -1, configEntries: [{ name: 'retention.ms', value: '-1' }] }], waitForLeaders: true },
    ]);
  });

  it('leaves an existing topic as it is', async () => {
    const { kafka, calls } = fakeKafka(async () => true, ['reports.lifecycle.v1']);
    await ensureLifecycleTopic(kafka);
    expect(calls).toEqual([]);
  });

  it.each([
    ['TOPIC_AUTHORIZATION_FAILED', 29],
    ['CLUSTER_AUTHORIZATION_FAILED', 31],
    ['POLICY_VIOLATION', 44],
  ])('fails on %s, naming the command that creates the topic', async (type, code) => {
    const { kafka } = fakeKafka(async () => Promise.reject(refusal(type, code)));
    const start = ensureLifecycleTopic(kafka, { partitions: 12 });
    await expect(start).rejects.toThrow(TopicProvisioningError);
    await expect(start).rejects.toThrow(`Kafka refused to create the topic reports.lifecycle.v1 (${type})`);
    await expect(start).rejects.toThrow('kafka-topics.sh --bootstrap-server <broker> --create --topic reports.lifecycle.v1 --partitions 12 --config retention.ms=-1');
  });

  it('passes other failures through (Kafka down: the worker retries those)', async () => {
    const down = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const { kafka } = fakeKafka(async () => Promise.reject(down));
    await expect(ensureLifecycleTopic(kafka)).rejects.toBe(down);
  });
});
