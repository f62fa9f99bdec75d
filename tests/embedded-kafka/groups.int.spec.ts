// Consumer-group coordination details: the initial join delay gathers members starting together into one
// generation, and a member that dies without leaving is evicted after its session timeout. On ENGINES=real
// against a Kafka node of the suite's own, with the same group timing settings as the stand-in gets.
import { Consumer } from 'kafkajs';
import { kafkaFor, waitFor } from './support/kafkajs';
import { Body, RawClient } from './support/raw-client';
import { BrokerUnderTest, ownedBroker } from './support/target';

jest.setTimeout(60000);

const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const SYNC_GROUP = 14;

/** Kafka's group.min.session.timeout.ms defaults to 6000; lowered here so that an eviction takes 1.5 s. */
const GROUP_TIMING = { initialRebalanceDelayMs: 2500, minSessionTimeoutMs: 1000 };

describe('Kafka broker consumer groups', () => {
  let broker: BrokerUnderTest;
  const consumers: Consumer[] = [];
  const rawClients: RawClient[] = [];

  beforeAll(async () => {
    broker = await ownedBroker({
      standIn: GROUP_TIMING,
      realProperties: {
        'group.initial.rebalance.delay.ms': String(GROUP_TIMING.initialRebalanceDelayMs),
        'group.min.session.timeout.ms': String(GROUP_TIMING.minSessionTimeoutMs),
      },
    });
    const admin = kafkaFor(broker.bootstrapServer).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'work', numPartitions: 4 }, { topic: 'evict', numPartitions: 4 }] });
    await admin.disconnect();
  });
  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.disconnect();
    for (const client of rawClients.splice(0)) client.close();
  });
  afterAll(async () => {
    await broker.stop();
  });

  const consumerOf = (groupId: string, topic: string, onAssignment: (partitions: number[]) => void) => {
    const consumer = kafkaFor(broker.bootstrapServer).consumer({ groupId, heartbeatInterval: 200, maxWaitTimeInMs: 200, sessionTimeout: 10000 });
    consumer.on(consumer.events.GROUP_JOIN, (event) => onAssignment(event.payload.memberAssignment[topic] ?? []));
    consumers.push(consumer);
    return consumer;
  };

  it('refuses a session timeout below group.min.session.timeout.ms with INVALID_SESSION_TIMEOUT', async () => {
    const client = await RawClient.connect(broker.port);
    rawClients.push(client);
    // A fresh Kafka answers COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS until
    // its offsets topic is created and loaded; clients find the coordinator again and retry, as here.
    const metadata = new Body().int16(0).int32(1).string('work').bytes(null).build();
    const joinBody = new Body().string('too-short').int32(GROUP_TIMING.minSessionTimeoutMs - 1).int32(10000).string('').string('consumer').int32(1).string('RoundRobinAssigner').bytes(metadata).build();
    let join: Buffer = Buffer.alloc(2);
    await waitFor(
      async () => {
        await client.request(FIND_COORDINATOR, 0, new Body().string('too-short').build());
        join = await client.request(JOIN_GROUP, 1, joinBody);
        return ![14, 15, 16].includes(join.readInt16BE(0));
      },
      20000,
      'the group coordinator',
    );
    expect(join.readInt16BE(0)).toBe(26);
  });

  it('puts members that start together into the first generation (initial rebalance delay)', async () => {
    const firstAssignments: number[][] = [];
    const starts = ['a', 'b'].map(async () => {
      let first = true;
      const consumer = consumerOf('together', 'work', (partitions) => {
        if (first) firstAssignments.push(partitions);
        first = false;
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'work' });
      await consumer.run({ eachMessage: async () => undefined });
    });
    await Promise.all(starts);
    await waitFor(() => firstAssignments.length === 2, 20000, 'both members to join');
    // Without the delay the first member would get all four partitions and the second would force a rebalance.
    expect(firstAssignments.map((p) => p.length)).toEqual([2, 2]);
    expect(firstAssignments.flat().sort()).toEqual([0, 1, 2, 3]);
  });

  it('evicts a member that stops heartbeating after its session timeout and rebalances the rest', async () => {
    let latest: number[] = [];
    const survivor = consumerOf('evicting', 'evict', (partitions) => (latest = partitions));
    await survivor.connect();
    await survivor.subscribe({ topic: 'evict' });
    await survivor.run({ eachMessage: async () => undefined });
    await waitFor(() => latest.length === 4, 20000, 'the first member to own every partition');

    // A second member joins by hand (consumer protocol metadata subscribing to "evict") and then goes silent.
    const doomed = await RawClient.connect(broker.port);
    rawClients.push(doomed);
    const metadata = new Body().int16(0).int32(1).string('evict').bytes(null).build();
    const join = await doomed.request(
      JOIN_GROUP,
      1,
      new Body().string('evicting').int32(1500).int32(10000).string('').string('consumer').int32(1).string('RoundRobinAssigner').bytes(metadata).build(),
    );
    expect(join.readInt16BE(0)).toBe(0);
    const generation = join.readInt32BE(2);
    let at = 6;
    const protocolLength = join.readInt16BE(at);
    at += 2 + protocolLength;
    at += 2 + join.readInt16BE(at); // leader id
    const memberId = join.toString('utf8', at + 2, at + 2 + join.readInt16BE(at));
    const sync = await doomed.request(SYNC_GROUP, 0, new Body().string('evicting').int32(generation).string(memberId).int32(0).build());
    expect(sync.readInt16BE(0)).toBe(0);
    await waitFor(() => latest.length === 2, 20000, 'the partitions to be shared');
    const admin = kafkaFor(broker.bootstrapServer).admin();
    await admin.connect();
    const members = async () => (await admin.describeGroups(['evicting'])).groups[0].members.map((m) => m.memberId);
    expect(await members()).toHaveLength(2);
    expect(await members()).toContain(memberId);

    // No heartbeats from the second member: after 1.5 s it is out and the survivor owns everything again.
    await waitFor(() => latest.length === 4, 20000, 'the silent member to be evicted');
    expect(await members()).not.toContain(memberId);
    expect(await members()).toHaveLength(1);
    await admin.disconnect();
  });
});
