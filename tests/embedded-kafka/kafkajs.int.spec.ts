// The broker driven by the real, unmodified kafkajs 2.2.4: admin, producing (keys, headers, acks,
// idempotence), consuming, ListOffsets, and consumer groups with rebalancing and committed offsets.
// On ENGINES=real the same specs run against the shared Apache Kafka broker (unique topic and group names).
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { CompressionTypes, Kafka } from 'kafkajs';
import { describeStandInOnly } from '../support/engines';
import { collectMessages, kafkaFor, waitFor } from './support/kafkajs';
import { BrokerUnderTest, sharedBroker, uniqueName } from './support/target';

jest.setTimeout(60000);

describe('Kafka broker with kafkajs', () => {
  let broker: BrokerUnderTest;
  let kafka: Kafka;
  const admin = () => kafka.admin();
  const names = {
    keyed: uniqueName('keyed'),
    keyedReaders: uniqueName('keyed-readers'),
    idempotent: uniqueName('idempotent'),
    timed: uniqueName('timed'),
    grouped: uniqueName('grouped'),
    projectors: uniqueName('projectors'),
    noSuchGroup: uniqueName('no-such-group'),
  };

  beforeAll(async () => {
    broker = await sharedBroker({ initialRebalanceDelayMs: 200 });
    kafka = kafkaFor(broker.bootstrapServer);
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('administers topics: create with configs, refuse duplicates and bad settings, grow, describe, delete', async () => {
    const [topic, bad, badConfig] = [uniqueName('admin.t'), uniqueName('admin.bad'), uniqueName('admin.cfg')];
    const client = admin();
    await client.connect();
    try {
      expect(await client.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] }] })).toBe(true);
      await expect(client.createTopics({ topics: [{ topic, numPartitions: 2 }] })).resolves.toBe(false);
      await expect(client.createTopics({ topics: [{ topic: bad, numPartitions: 1, replicationFactor: 3 }] })).rejects.toThrow();
      await expect(client.createTopics({ topics: [{ topic: badConfig, configEntries: [{ name: 'no.such.config', value: '1' }] }] })).rejects.toThrow();
      const listed = await client.listTopics();
      expect(listed).toContain(topic);
      expect(listed).not.toContain(bad);
      expect(listed).not.toContain(badConfig);

      await client.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
      // Kafka adds partitions asynchronously (and may answer "does not host this topic-partition" meanwhile).
      const partitionIds = () =>
        client.fetchTopicMetadata({ topics: [topic] }).then((m) => m.topics[0].partitions.map((p) => p.partitionId).sort(), () => []);
      await waitFor(async () => (await partitionIds()).length === 5, 10000, 'the new partitions');
      expect(await partitionIds()).toEqual([0, 1, 2, 3, 4]);
      await expect(client.createPartitions({ topicPartitions: [{ topic, count: 3 }] })).rejects.toThrow();

      const configs = await client.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
      const entries = configs.resources[0].configEntries;
      expect(entries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('60000');
      expect(entries.find((e) => e.configName === 'cleanup.policy')?.configValue).toBe('delete');

      await client.deleteTopics({ topics: [topic] });
      expect(await client.listTopics()).not.toContain(topic);
    } finally {
      await client.disconnect();
    }
  });

  it('creates a topic on first use only when the client asks for it and the broker allows it', async () => {
    // kafkajs' admin asks for metadata without auto-creation: an unknown topic stays unknown.
    const never = uniqueName('never.created');
    const client = admin();
    await client.connect();
    await expect(client.fetchTopicMetadata({ topics: [never] })).rejects.toThrow();
    expect(await client.listTopics()).not.toContain(never);
    await client.disconnect();

    // Kafka's auto.create.topics.enable defaults to true (the shared real broker keeps it); the stand-in's
    // defaults to false (see the README's differences) and is started with it on here.
    const autoBroker = broker.standIn ? await EmbeddedKafka.start({ autoCreateTopics: true, defaultPartitions: 2 }) : null;
    const autoKafka = autoBroker ? kafkaFor(autoBroker.bootstrapServer) : kafka;
    const created = uniqueName('auto.created');
    try {
      const producer = autoKafka.producer({ allowAutoTopicCreation: true });
      await producer.connect();
      await producer.send({ topic: created, messages: [{ value: 'x' }] });
      await producer.disconnect();
      const autoAdmin = autoKafka.admin();
      await autoAdmin.connect();
      const metadata = await autoAdmin.fetchTopicMetadata({ topics: [created] });
      await autoAdmin.disconnect();
      // num.partitions: Kafka's default is 1; the stand-in was given 2.
      expect(metadata.topics[0].partitions).toHaveLength(autoBroker ? 2 : 1);
    } finally {
      await autoBroker?.stop();
    }
  });

  describeStandInOnly('auto-creation off, the stand-in default (Kafka defaults to on)', () => {
    it('refuses to create a topic on first use', async () => {
      const standIn = broker.standIn as EmbeddedKafka;
      const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1, initialRetryTime: 50 } });
      await producer.connect();
      const topic = uniqueName('not.auto');
      await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow();
      await producer.disconnect();
      expect(standIn.topics.get(topic)).toBeUndefined();
    });
  });

  it('delivers keyed messages with headers in order per partition, for acks 0, 1 and -1', async () => {
    const client = admin();
    await client.connect();
    await client.createTopics({ topics: [{ topic: names.keyed, numPartitions: 3 }] });
    await client.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const sent: { key: string; value: string }[] = [];
    for (const acks of [-1, 1, 0]) {
      const messages = Array.from({ length: 30 }, (_, i) => ({ key: `report-${i % 5}`, value: `acks${acks}-${i}`, headers: { ce_type: 'ReportFiled', ce_id: `id-${acks}-${i}` } }));
      await producer.send({ topic: names.keyed, acks, messages });
      sent.push(...messages);
    }
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: names.keyedReaders, heartbeatInterval: 500, maxWaitTimeInMs: 300 });
    await consumer.connect();
    await consumer.subscribe({ topic: names.keyed, fromBeginning: true });
    const received = await collectMessages(consumer, sent.length);
    await consumer.disconnect();

    const byKey = new Map<string, string[]>();
    const partitionOfKey = new Map<string, number>();
    for (const { message, partition } of received) {
      const key = String(message.key);
      byKey.set(key, [...(byKey.get(key) ?? []), String(message.value)]);
      expect(partitionOfKey.get(key) ?? partition).toBe(partition);
      partitionOfKey.set(key, partition);
      expect(String(message.headers?.ce_id)).toMatch(/^id-/);
      expect(String(message.headers?.ce_type)).toBe('ReportFiled');
    }
    for (const [key, values] of byKey) {
      expect(values).toEqual(sent.filter((m) => m.key === key).map((m) => m.value));
    }
  });

  it('accepts an idempotent producer and stores each message exactly once', async () => {
    const client = admin();
    await client.connect();
    await client.createTopics({ topics: [{ topic: names.idempotent, numPartitions: 2 }] });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let round = 0; round < 10; round++) {
      await producer.send({ topic: names.idempotent, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `${round}-${i}` })) });
    }
    await producer.disconnect();
    const offsets = await client.fetchTopicOffsets(names.idempotent);
    await client.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(100);
  });

  it('lists offsets: earliest, latest and by timestamp', async () => {
    const client = admin();
    await client.connect();
    await client.createTopics({ topics: [{ topic: names.timed, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const base = Date.now() - 100_000;
    await producer.send({ topic: names.timed, messages: [0, 1, 2, 3].map((i) => ({ value: `m${i}`, timestamp: String(base + i * 10_000) })) });
    await producer.send({ topic: names.timed, messages: [{ value: 'm4', timestamp: String(base + 40_000) }] });
    await producer.disconnect();
    const [earliestLatest] = await client.fetchTopicOffsets(names.timed);
    expect(earliestLatest).toMatchObject({ low: '0', high: '5' });
    expect(await client.fetchTopicOffsetsByTimestamp(names.timed, base + 15_000)).toEqual([{ partition: 0, offset: '2' }]);
    expect(await client.fetchTopicOffsetsByTimestamp(names.timed, base + 40_000)).toEqual([{ partition: 0, offset: '4' }]);
    // No record at or after the timestamp: the answer is the log end offset.
    expect(await client.fetchTopicOffsetsByTimestamp(names.timed, base + 90_000)).toEqual([{ partition: 0, offset: '5' }]);

    // Inside a compressed batch the answer is still the first record at or after the timestamp.
    const gzipProducer = kafka.producer();
    await gzipProducer.connect();
    await gzipProducer.send({
      topic: names.timed,
      compression: CompressionTypes.GZIP,
      messages: [5, 6, 7, 8].map((i) => ({ value: `m${i}`, timestamp: String(base + i * 10_000) })),
    });
    await gzipProducer.disconnect();
    expect(await client.fetchTopicOffsetsByTimestamp(names.timed, base + 65_000)).toEqual([{ partition: 0, offset: '7' }]);
    await client.disconnect();
  });

  it('balances partitions across a group, rebalances when a member leaves, and resumes from committed offsets', async () => {
    const client = admin();
    await client.connect();
    await client.createTopics({ topics: [{ topic: names.grouped, numPartitions: 4 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: names.grouped, messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `first-${i}` })) });

    const assignments = new Map<string, number[]>();
    const makeConsumer = (name: string) => {
      const consumer = kafka.consumer({ groupId: names.projectors, heartbeatInterval: 300, sessionTimeout: 10000, maxWaitTimeInMs: 300 });
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        assignments.set(name, event.payload.memberAssignment[names.grouped] ?? []);
      });
      return consumer;
    };
    const first = makeConsumer('first');
    const second = makeConsumer('second');
    const seen: string[] = [];
    for (const consumer of [first, second]) {
      await consumer.connect();
      await consumer.subscribe({ topic: names.grouped, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    }
    await waitFor(
      () => (assignments.get('first')?.length ?? 0) > 0 && (assignments.get('second')?.length ?? 0) > 0 &&
        (assignments.get('first')?.length ?? 0) + (assignments.get('second')?.length ?? 0) === 4,
      20000,
      'both members to own partitions',
    );
    expect([...(assignments.get('first') ?? []), ...(assignments.get('second') ?? [])].sort()).toEqual([0, 1, 2, 3]);
    await waitFor(() => seen.length >= 40, 20000, 'first 40 messages');

    await second.disconnect();
    await waitFor(() => assignments.get('first')?.length === 4, 20000, 'the remaining member to own all partitions');
    await producer.send({ topic: names.grouped, messages: Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, value: `second-${i}` })) });
    await waitFor(() => seen.length >= 48, 20000, 'messages after the rebalance');
    await first.disconnect();

    const committed = await client.fetchOffsets({ groupId: names.projectors, topics: [names.grouped] });
    expect(committed[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(48);

    // A new member of the same group starts after the committed offsets: it sees only new messages.
    await producer.send({ topic: names.grouped, messages: [{ key: 'late', value: 'third' }] });
    const third = kafka.consumer({ groupId: names.projectors, heartbeatInterval: 300, maxWaitTimeInMs: 300 });
    await third.connect();
    await third.subscribe({ topic: names.grouped, fromBeginning: true });
    const resumed = await collectMessages(third, 1);
    expect(String(resumed[0].message.value)).toBe('third');
    await third.disconnect();

    const described = await client.describeGroups([names.projectors]);
    expect(described.groups[0].state).toBe('Empty');
    expect((await client.listGroups()).groups.map((g) => g.groupId)).toContain(names.projectors);

    await client.deleteGroups([names.projectors]);
    expect((await client.listGroups()).groups.map((g) => g.groupId)).not.toContain(names.projectors);
    const afterDelete = await client.fetchOffsets({ groupId: names.projectors, topics: [names.grouped] });
    expect(afterDelete[0].partitions.every((p) => p.offset === '-1')).toBe(true);
    await expect(client.deleteGroups([names.noSuchGroup])).rejects.toThrow();
    await producer.disconnect();
    await client.disconnect();
  });
});
