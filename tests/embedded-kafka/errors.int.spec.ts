// What the broker answers to requests it refuses, at the wire: the error code of each, as Apache Kafka 3.9
// answers it (the specification: on ENGINES=real these run against the shared real broker, unique names).
// What the stand-in refuses on purpose, where Kafka would serve it, is pinned at the end (stand-in only).
import { Body, RawClient, encodeRecordBatch, initProducerId, fetchRequest, listOffsetsRequest, parseFetchResponse, parseListOffsetsResponse, parseProduceResponse, produceRequest } from './support/raw-client';
import { crc32c } from '@engine/embedded-kafka';
import { Kafka, logLevel } from 'kafkajs';
import { describeStandInOnly } from '../support/engines';
import { waitFor } from './support/kafkajs';
import { BrokerUnderTest, sharedBroker, uniqueName } from './support/target';

const PRODUCE = 0;
const FETCH = 1;
const LIST_OFFSETS = 2;
const METADATA = 3;
const OFFSET_COMMIT = 8;
const OFFSET_FETCH = 9;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const LEAVE_GROUP = 13;
const SYNC_GROUP = 14;
const DESCRIBE_GROUPS = 15;
const CREATE_TOPICS = 19;
const DELETE_TOPICS = 20;
const INIT_PRODUCER_ID = 22;
const CREATE_PARTITIONS = 37;
const DELETE_GROUPS = 42;

const E = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  GROUP_ID_NOT_FOUND: 69,
  MEMBER_ID_REQUIRED: 79,
  INVALID_RECORD: 87,
};

/** Reads a Kafka string at `at`; returns it and the position after it. */
function readString(body: Buffer, at: number): [string | null, number] {
  const length = body.readInt16BE(at);
  if (length < 0) return [null, at + 2];
  return [body.toString('utf8', at + 2, at + 2 + length), at + 2 + length];
}

/** CreateTopics v1 for one topic; returns its error code. */
async function createTopic(
  client: RawClient,
  name: string,
  options: { partitions?: number; replication?: number; configs?: Record<string, string> } = {},
): Promise<number> {
  return (await createTopicAnswer(client, name, options)).errorCode;
}

/** CreateTopics v1 for one topic; returns its error code and message. */
async function createTopicAnswer(
  client: RawClient,
  name: string,
  options: { partitions?: number; replication?: number; configs?: Record<string, string> } = {},
): Promise<{ errorCode: number; message: string | null }> {
  const body = new Body().int32(1).string(name).int32(options.partitions ?? 1).int16(options.replication ?? 1).int32(0);
  const configs = Object.entries(options.configs ?? {});
  body.int32(configs.length);
  for (const [key, value] of configs) body.string(key).string(value);
  const answer = await client.request(CREATE_TOPICS, 1, body.int32(10000).int8(0).build());
  const [, at] = readString(answer, 4);
  return { errorCode: answer.readInt16BE(at), message: readString(answer, at + 2)[0] };
}

/**
 * Metadata v4 for the named topics, without auto-creation (v0-v3 let a broker with auto.create.topics.enable,
 * Kafka's default, create them); returns each topic's error code.
 */
async function topicErrors(client: RawClient, names: string[]): Promise<Map<string, number>> {
  const body = new Body().int32(names.length);
  for (const name of names) body.string(name);
  const answer = await client.request(METADATA, 4, body.int8(0).build());
  let at = 4; // throttle time
  const brokers = answer.readInt32BE(at);
  at += 4;
  for (let i = 0; i < brokers; i++) {
    at += 4;
    [, at] = readString(answer, at);
    at += 4;
    [, at] = readString(answer, at);
  }
  [, at] = readString(answer, at); // cluster id
  at += 4; // controller id
  const topics = answer.readInt32BE(at);
  at += 4;
  const errors = new Map<string, number>();
  for (let i = 0; i < topics; i++) {
    const errorCode = answer.readInt16BE(at);
    let name: string | null;
    [name, at] = readString(answer, at + 2);
    at += 1; // is internal
    const partitions = answer.readInt32BE(at);
    at += 4;
    for (let p = 0; p < partitions; p++) {
      at += 2 + 4 + 4;
      at += 4 + answer.readInt32BE(at) * 4; // replicas
      at += 4 + answer.readInt32BE(at) * 4; // in-sync replicas
    }
    errors.set(name ?? '', errorCode);
  }
  return errors;
}

/**
 * Waits until a topic created a moment ago takes requests: Kafka creates topics asynchronously and answers
 * UNKNOWN_TOPIC_OR_PARTITION until its partitions are hosted (the stand-in creates them at once).
 */
async function untilHosted(client: RawClient, name: string, partitions = 1): Promise<void> {
  for (let partition = 0; partition < partitions; partition++) {
    await waitFor(
      async () => parseListOffsetsResponse(await client.request(LIST_OFFSETS, 1, listOffsetsRequest(name, partition, -1))).errorCode === E.NONE,
      10000,
      `${name} to be hosted`,
    );
  }
}

describe('Kafka broker error codes for refused requests', () => {
  let broker: BrokerUnderTest;
  const clients: RawClient[] = [];
  const topic = uniqueName('errors');
  const connect = async () => {
    const client = await RawClient.connect(broker.port);
    clients.push(client);
    return client;
  };
  /** A group request, retried while a (fresh) coordinator is not ready, as clients do. */
  const groupRequest = async (client: RawClient, groupId: string, apiKey: number, version: number, body: Buffer): Promise<Buffer> => {
    let answer: Buffer = Buffer.alloc(0);
    const errorAt = apiKey === JOIN_GROUP && version >= 2 ? 4 : 0;
    await waitFor(
      async () => {
        await client.request(FIND_COORDINATOR, 0, new Body().string(groupId).build());
        answer = await client.request(apiKey, version, body);
        return ![14, 15, 16].includes(answer.readInt16BE(errorAt));
      },
      20000,
      'the group coordinator',
    );
    return answer;
  };

  beforeAll(async () => {
    // Auto-creation on, as in Kafka's default (and the shared real broker): only what may create a topic does.
    broker = await sharedBroker({ autoCreateTopics: true });
    const client = await connect();
    expect(await createTopic(client, topic, { partitions: 2 })).toBe(E.NONE);
    await untilHosted(client, topic, 2);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await broker.stop();
  });

  it('topics: unknown ones, bad names, bad partition counts, replication factors and configs', async () => {
    const client = await connect();
    const unknown = uniqueName('no.such.topic.admin');
    // Unknown stays unknown, an illegal name is INVALID_TOPIC_EXCEPTION.
    const errors = await topicErrors(client, [topic, unknown, 'bad name!']);
    expect(Object.fromEntries(errors)).toEqual({ [topic]: E.NONE, [unknown]: E.UNKNOWN_TOPIC_OR_PARTITION, 'bad name!': E.INVALID_TOPIC_EXCEPTION });

    expect(await createTopic(client, topic)).toBe(36); // TOPIC_ALREADY_EXISTS
    expect(await createTopic(client, 'bad name!')).toBe(E.INVALID_TOPIC_EXCEPTION);
    expect(await createTopic(client, '..')).toBe(E.INVALID_TOPIC_EXCEPTION);
    expect(await createTopic(client, 'x'.repeat(250))).toBe(E.INVALID_TOPIC_EXCEPTION);
    expect(await createTopic(client, uniqueName('zero'), { partitions: 0 })).toBe(E.INVALID_PARTITIONS);
    expect(await createTopic(client, uniqueName('norepl'), { replication: 0 })).toBe(E.INVALID_REPLICATION_FACTOR);
    expect(await createTopic(client, uniqueName('badcfg'), { configs: { 'retention.ms': 'soon' } })).toBe(E.INVALID_CONFIG);
    expect(await createTopic(client, uniqueName('unknowncfg'), { configs: { 'no.such.config': '1' } })).toBe(E.INVALID_CONFIG);

    // A name that differs from an existing one only by '.' against '_' collides in Kafka's metrics names.
    const dotted = uniqueName('collide.x');
    expect(await createTopic(client, dotted)).toBe(E.NONE);
    expect(await createTopic(client, dotted.replaceAll('.', '_'))).toBe(E.INVALID_TOPIC_EXCEPTION);

    const deleted = await client.request(DELETE_TOPICS, 0, new Body().int32(1).string(unknown).int32(5000).build());
    expect(deleted.readInt16BE(4 + 2 + unknown.length)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);

    const grow = async (name: string, count: number) => {
      const answer = await client.request(CREATE_PARTITIONS, 0, new Body().int32(1).string(name).int32(count).int32(-1).int32(5000).int8(0).build());
      return answer.readInt16BE(4 + 4 + 2 + name.length);
    };
    expect(await grow(unknown, 3)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await grow(topic, 2)).toBe(E.INVALID_PARTITIONS);
    expect(await grow(topic, 1)).toBe(E.INVALID_PARTITIONS);
  });

  it('topic configs: values Kafka refuses, the batch size it enforces on Produce, min.insync.replicas on one node', async () => {
    const client = await connect();
    expect(await createTopic(client, uniqueName('policy'), { configs: { 'cleanup.policy': 'sometimes' } })).toBe(E.INVALID_CONFIG);
    expect(await createTopic(client, uniqueName('stamp'), { configs: { 'message.timestamp.type': 'Whenever' } })).toBe(E.INVALID_CONFIG);
    const batchOf = (bytes: number) => encodeRecordBatch({ records: [{ key: null, value: 'x'.repeat(bytes) }] });
    const produce = async (name: string, records: Buffer, acks = -1) =>
      parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(name, 0, records, acks))).errorCode;

    // max.message.bytes bounds one batch: 1048588 by default.
    expect(await produce(topic, batchOf(1048588))).toBe(10); // MESSAGE_TOO_LARGE
    const small = uniqueName('small');
    expect(await createTopic(client, small, { configs: { 'max.message.bytes': '200' } })).toBe(E.NONE);
    await untilHosted(client, small);
    expect(await produce(small, batchOf(100))).toBe(E.NONE);
    expect(await produce(small, batchOf(300))).toBe(10);

    // Kafka 3.9 caps min.insync.replicas at the replication factor: one replica satisfies acks=-1 here.
    const guarded = uniqueName('guarded');
    expect(await createTopic(client, guarded, { configs: { 'min.insync.replicas': '2' } })).toBe(E.NONE);
    await untilHosted(client, guarded);
    expect(await produce(guarded, batchOf(10))).toBe(E.NONE);
  });

  it('produce, fetch and list offsets: unknown topics and partitions, bad acks, old formats', async () => {
    const client = await connect();
    const unknown = uniqueName('no.such.topic.data');
    const batch = () => encodeRecordBatch({ records: [{ key: null, value: 'v' }] });
    const produce = async (name: string, partition: number, acks = -1, records = batch()) =>
      parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(name, partition, records, acks))).errorCode;
    // Produce never creates a topic (only Metadata may, when the broker allows it).
    expect(await produce(unknown, 0)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await produce(topic, 7)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await produce(topic, 0, 2)).toBe(E.INVALID_REQUIRED_ACKS);
    expect((await topicErrors(client, [unknown])).get(unknown)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    // Produce v3+ carries record batches (magic 2) only.
    const magic1 = batch();
    magic1.writeInt8(1, 16);
    expect(await produce(topic, 0, -1, magic1)).toBe(E.INVALID_RECORD);
    // ...and exactly one of them per partition, never none.
    expect(await produce(topic, 0, -1, Buffer.alloc(0))).toBe(E.INVALID_RECORD);
    expect(await produce(topic, 0, -1, Buffer.concat([batch(), batch()]))).toBe(E.INVALID_RECORD);
    // A batch cut short is no batch at all (a wrong CRC is CORRUPT_MESSAGE: see the protocol suite).
    expect(await produce(topic, 0, -1, batch().subarray(0, 40))).toBe(E.INVALID_RECORD);

    expect(parseFetchResponse(await client.request(FETCH, 4, fetchRequest(unknown, 0, 0))).errorCode).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    expect(parseFetchResponse(await client.request(FETCH, 4, fetchRequest(topic, 9, 0))).errorCode).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    expect(parseListOffsetsResponse(await client.request(LIST_OFFSETS, 1, listOffsetsRequest(unknown, 0, -1))).errorCode).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    // No record at or after a timestamp: offset -1 (kafkajs then takes the log end).
    expect(parseListOffsetsResponse(await client.request(LIST_OFFSETS, 1, listOffsetsRequest(topic, 1, Date.now() + 3600_000)))).toEqual({ errorCode: E.NONE, offset: -1 });
  });

  it('idempotence: a producer id the partition has no state for', async () => {
    const client = await connect();
    const { errorCode, producerId } = await initProducerId(client);
    expect(errorCode).toBe(E.NONE);
    const send = async (baseSequence: number) =>
      parseProduceResponse(
        await client.request(PRODUCE, 3, produceRequest(topic, 1, encodeRecordBatch({ records: [{ key: null, value: `s${baseSequence}` }], producerId, producerEpoch: 0, baseSequence }))),
      ).errorCode;
    // Kafka accepts the first batch of a producer it knows nothing about at any sequence (KIP-360).
    expect(await send(5)).toBe(E.NONE);
    expect(await send(6)).toBe(E.NONE);
    expect(await send(8)).toBe(E.OUT_OF_ORDER_SEQUENCE_NUMBER);
  });

  it('groups: empty and unknown group ids, unknown members, the member id required from JoinGroup v4, commits refused', async () => {
    const client = await connect();
    const group = uniqueName('errors-group');
    const metadata = new Body().int16(0).int32(1).string(topic).bytes(null).build();
    const joinBody = (groupId: string, memberId: string, sessionTimeout = 10000) =>
      new Body().string(groupId).int32(sessionTimeout).int32(10000).string(memberId).string('consumer').int32(1).string('range').bytes(metadata).build();

    expect((await client.request(JOIN_GROUP, 1, joinBody('', ''))).readInt16BE(0)).toBe(E.INVALID_GROUP_ID);
    expect((await groupRequest(client, group, JOIN_GROUP, 1, joinBody(group, 'nobody'))).readInt16BE(0)).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await groupRequest(client, group, JOIN_GROUP, 1, joinBody(group, '', 100))).readInt16BE(0)).toBe(E.INVALID_SESSION_TIMEOUT);
    expect((await groupRequest(client, group, HEARTBEAT, 0, new Body().string(group).int32(1).string('nobody').build())).readInt16BE(0)).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await groupRequest(client, group, SYNC_GROUP, 0, new Body().string(group).int32(1).string('nobody').int32(0).build())).readInt16BE(0)).toBe(E.UNKNOWN_MEMBER_ID);
    expect((await groupRequest(client, group, LEAVE_GROUP, 0, new Body().string(group).string('nobody').build())).readInt16BE(0)).toBe(E.UNKNOWN_MEMBER_ID);

    // KIP-394: from v4 on, a join without a member id is answered MEMBER_ID_REQUIRED with the id to join with.
    const first = await groupRequest(client, group, JOIN_GROUP, 4, joinBody(group, ''));
    expect(first.readInt16BE(4)).toBe(E.MEMBER_ID_REQUIRED);
    let at = 4 + 2 + 4;
    [, at] = readString(first, at); // protocol name
    [, at] = readString(first, at); // leader
    const [memberId] = readString(first, at);
    expect(memberId).toMatch(/.+/);
    const joined = await groupRequest(client, group, JOIN_GROUP, 4, joinBody(group, memberId as string));
    const codes: Record<string, number> = {};
    expect(joined.readInt16BE(4)).toBe(E.NONE);
    const generation = joined.readInt32BE(6);
    // While it has a member: deleting the group is NON_EMPTY_GROUP; a commit from another generation or with
    // oversized metadata is refused.
    const deleting = await groupRequest(client, group, DELETE_GROUPS, 0, new Body().int32(1).string(group).build());
    expect(deleting.readInt16BE(4 + 4 + 2 + group.length)).toBe(68);
    const commit = (generationId: number, metadataText: string) =>
      new Body().string(group).int32(generationId).string(memberId as string).int64(-1).int32(1).string(topic).int32(1).int32(0).int64(1).string(metadataText).build();
    const commitError = (answer: Buffer) => answer.readInt16BE(4 + 2 + topic.length + 4 + 4);
    codes.staleCommit = commitError(await groupRequest(client, group, OFFSET_COMMIT, 2, commit(generation + 1, '')));
    // Joined but not yet synced: the group is completing its rebalance.
    codes.beforeSync = commitError(await groupRequest(client, group, OFFSET_COMMIT, 2, commit(generation, '')));
    const synced = await groupRequest(client, group, SYNC_GROUP, 0, new Body().string(group).int32(generation).string(memberId as string).int32(1).string(memberId as string).bytes(Buffer.alloc(0)).build());
    codes.sync = synced.readInt16BE(0);
    codes.bigMetadata = commitError(await groupRequest(client, group, OFFSET_COMMIT, 2, commit(generation, 'm'.repeat(5000))));
    codes.commit = commitError(await groupRequest(client, group, OFFSET_COMMIT, 2, commit(generation, 'fine')));
    // ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS, OFFSET_METADATA_TOO_LARGE
    expect(codes).toEqual({ staleCommit: 22, beforeSync: 27, sync: E.NONE, bigMetadata: 12, commit: E.NONE });
    const left = await groupRequest(client, group, LEAVE_GROUP, 0, new Body().string(group).string(memberId as string).build());
    expect(left.readInt16BE(0)).toBe(E.NONE);

    // An unknown group is described as Dead, without an error; deleting it is GROUP_ID_NOT_FOUND.
    const unknownGroup = uniqueName('no-such-group');
    const described = await groupRequest(client, unknownGroup, DESCRIBE_GROUPS, 0, new Body().int32(1).string(unknownGroup).build());
    expect(described.readInt16BE(4)).toBe(E.NONE);
    const [, afterId] = readString(described, 6);
    expect(readString(described, afterId)[0]).toBe('Dead');
    const deletedGroup = await groupRequest(client, unknownGroup, DELETE_GROUPS, 0, new Body().int32(1).string(unknownGroup).build());
    expect(deletedGroup.readInt16BE(4 + 4 + 2 + unknownGroup.length)).toBe(E.GROUP_ID_NOT_FOUND);
  });

  it('offsets: commits for unknown topics, fetches of what was never committed', async () => {
    const client = await connect();
    const group = uniqueName('errors-offsets');
    const unknown = uniqueName('no.such.topic.offsets');
    // OffsetCommit v2 outside any generation (-1), as a consumer that assigns partitions itself commits.
    const commit = (name: string) =>
      new Body().string(group).int32(-1).string('').int64(-1).int32(1).string(name).int32(1).int32(0).int64(1).string(null).build();
    const committed = await groupRequest(client, group, OFFSET_COMMIT, 2, commit(unknown));
    expect(committed.readInt16BE(4 + 2 + unknown.length + 4 + 4)).toBe(E.UNKNOWN_TOPIC_OR_PARTITION);
    const ok = await groupRequest(client, group, OFFSET_COMMIT, 2, commit(topic));
    expect(ok.readInt16BE(4 + 2 + topic.length + 4 + 4)).toBe(E.NONE);
    // A group that only has committed offsets exists: Empty, without a protocol type.
    const described = await groupRequest(client, group, DESCRIBE_GROUPS, 0, new Body().int32(1).string(group).build());
    const [, afterId] = readString(described, 6);
    const [state, afterState] = readString(described, afterId);
    expect({ errorCode: described.readInt16BE(4), state, protocolType: readString(described, afterState)[0] }).toEqual({ errorCode: E.NONE, state: 'Empty', protocolType: '' });
    // OffsetFetch v2 with no topic list answers every committed offset of the group.
    const all = await groupRequest(client, group, OFFSET_FETCH, 2, new Body().string(group).int32(-1).build());
    expect(all.readInt32BE(0)).toBe(1);
    expect(readString(all, 4)[0]).toBe(topic);

    // OffsetFetch v1 of a partition without a commit: offset -1, empty metadata, no error.
    const fetched = await groupRequest(client, group, OFFSET_FETCH, 1, new Body().string(group).int32(1).string(topic).int32(2).int32(0).int32(1).build());
    let at = 4 + 2 + topic.length + 4;
    const partitions: { partition: number; offset: number; metadata: string | null; errorCode: number }[] = [];
    for (let i = 0; i < 2; i++) {
      const partition = fetched.readInt32BE(at);
      const offset = Number(fetched.readBigInt64BE(at + 4));
      const [metadata, next] = readString(fetched, at + 12);
      partitions.push({ partition, offset, metadata, errorCode: fetched.readInt16BE(next) });
      at = next + 2;
    }
    expect(partitions).toEqual([
      { partition: 0, offset: 1, metadata: '', errorCode: E.NONE }, // a null metadata comes back empty
      { partition: 1, offset: -1, metadata: '', errorCode: E.NONE },
    ]);
  });
  it('answers a SASL client on its plaintext listener with ILLEGAL_SASL_STATE', async () => {
    const admin = new Kafka({ brokers: [broker.bootstrapServer], logLevel: logLevel.NOTHING, sasl: { mechanism: 'plain', username: 'u', password: 'p' }, retry: { retries: 0 } }).admin();
    await expect(admin.connect()).rejects.toMatchObject({ type: 'ILLEGAL_SASL_STATE' });
    await admin.disconnect();
  });

  describeStandInOnly('refusals where Kafka would serve (see the README)', () => {
    it('refuses old message formats (magic 0/1) on Produce v0-v2 with UNSUPPORTED_FOR_MESSAGE_FORMAT', async () => {
      const client = await connect();
      const magic1 = encodeRecordBatch({ records: [{ key: null, value: 'v' }] });
      magic1.writeInt8(1, 16);
      // Produce v2 has no transactional id: acks, timeout, topics.
      const body = new Body().int16(-1).int32(5000).int32(1).string(topic).int32(1).int32(0).bytes(magic1).build();
      const answer = await client.request(PRODUCE, 2, body);
      expect(answer.readInt16BE(4 + 2 + topic.length + 4 + 4)).toBe(43);
    });

    it('refuses topic configs it does not imitate: compaction, broker-side compression, LogAppendTime', async () => {
      const client = await connect();
      for (const [key, value] of [['cleanup.policy', 'compact'], ['cleanup.policy', 'compact,delete'], ['compression.type', 'gzip'], ['message.timestamp.type', 'LogAppendTime']]) {
        const answer = await createTopicAnswer(client, uniqueName('refused'), { configs: { [key]: value } });
        expect(answer).toEqual({ errorCode: E.INVALID_CONFIG, message: expect.stringContaining(`the embedded broker does not support ${key}=${value}`) });
      }
    });

    it('refuses static group membership (a group instance id) with UNSUPPORTED_VERSION', async () => {
      const client = await connect();
      const metadata = new Body().int16(0).int32(1).string(topic).bytes(null).build();
      const join = new Body().string(uniqueName('static')).int32(10000).int32(10000).string('').string('instance-1').string('consumer').int32(1).string('range').bytes(metadata).build();
      expect((await client.request(JOIN_GROUP, 5, join)).readInt16BE(4)).toBe(35);
    });

    it('refuses transactions: InitProducerId with a transactional id, and transactional batches', async () => {
      const client = await connect();
      const init = await client.request(INIT_PRODUCER_ID, 0, new Body().string('tx-1').int32(60000).build());
      expect(init.readInt16BE(4)).toBe(E.INVALID_REQUEST);
      const transactional = encodeRecordBatch({ records: [{ key: null, value: 'v' }], producerId: 1, producerEpoch: 0, baseSequence: 0 });
      transactional.writeInt16BE(0x10, 21); // attributes: transactional
      transactional.writeUInt32BE(crc32c(transactional, 21), 17);
      expect(parseProduceResponse(await client.request(PRODUCE, 3, produceRequest(topic, 0, transactional))).errorCode).toBe(E.INVALID_REQUEST);
    });
  });
});
