// SASL authentication and read-only access on the stand-in, as `npm start` runs it: a user with full access (the
// product) and a read-only user (outside consumers) whose groups exclude the product's own. Checked with the
// real clients (kafkajs, and librdkafka through kcat) and at the wire for what the clients hide.
// Stand-in only: the conformance runs on the real broker use its plaintext listener; a SASL listener with an
// authorizer there needs JAAS and SCRAM credentials set up at format time (see the README's difference list).
import { spawn, spawnSync } from 'node:child_process';
import { Kafka, KafkaJSProtocolError, logLevel, SASLOptions } from 'kafkajs';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { describeStandInOnly } from '../support/engines';
import { collectMessages } from './support/kafkajs';
import { Body, RawClient } from './support/raw-client';

jest.setTimeout(60000);

const OWNER = { username: 'engine', password: 'owner-secret' };
const READER = { username: 'reader', password: 'reader-secret' };
const PROTECTED_GROUP = 'read-model-projector';
const TOPIC = 'reports.lifecycle.v1';

const METADATA = 3;
const SASL_HANDSHAKE = 17;
const API_VERSIONS = 18;
const SASL_AUTHENTICATE = 36;
const FIND_COORDINATOR = 10;
const JOIN_GROUP = 11;
const HEARTBEAT = 12;
const OFFSET_FETCH = 9;
const GROUP_AUTHORIZATION_FAILED = 30;

function kafka(bootstrap: string, sasl?: SASLOptions): Kafka {
  return new Kafka({ brokers: [bootstrap], clientId: 'sasl-test', logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 }, connectionTimeout: 2000, ...(sasl && { sasl }) });
}

function handshakeBody(mechanism: string): Buffer {
  return new Body().string(mechanism).build();
}

/** SaslAuthenticate v1 answer: error code, message, challenge. */
function parseAuthenticate(body: Buffer): { errorCode: number; message: string | null; challenge: Buffer } {
  const errorCode = body.readInt16BE(0);
  const length = body.readInt16BE(2);
  const message = length < 0 ? null : body.toString('utf8', 4, 4 + length);
  const at = 4 + Math.max(0, length);
  const size = body.readInt32BE(at);
  return { errorCode, message, challenge: body.subarray(at + 4, at + 4 + Math.max(0, size)) };
}

/** SaslHandshake answer: error code and enabled mechanisms. */
function parseHandshake(body: Buffer): { errorCode: number; mechanisms: string[] } {
  const errorCode = body.readInt16BE(0);
  const count = body.readInt32BE(2);
  const mechanisms: string[] = [];
  let at = 6;
  for (let i = 0; i < count; i++) {
    const length = body.readInt16BE(at);
    mechanisms.push(body.toString('utf8', at + 2, at + 2 + length));
    at += 2 + length;
  }
  return { errorCode, mechanisms };
}

/** A raw connection authenticated with SASL/PLAIN through SaslHandshake v1 and SaslAuthenticate v1. */
async function authenticatedRawClient(port: number, user: { username: string; password: string }): Promise<RawClient> {
  const raw = await RawClient.connect(port);
  expect(parseHandshake(await raw.request(SASL_HANDSHAKE, 1, handshakeBody('PLAIN'))).errorCode).toBe(0);
  const answer = parseAuthenticate(await raw.request(SASL_AUTHENTICATE, 1, new Body().bytes(Buffer.from(`\0${user.username}\0${user.password}`)).build()));
  expect(answer.errorCode).toBe(0);
  return raw;
}

/** The error codes of a failed kafkajs admin call, whether it threw one protocol error or an aggregate of them. */
function errorTypes(error: unknown): string[] {
  const { type, errors, groups } = error as { type?: string; errors?: { type?: string }[]; groups?: { error?: { type?: string } }[] };
  if (groups) return groups.map((g) => String(g.error?.type)); // DeleteGroups
  return errors ? errors.map((e) => String(e.type)) : [String(type)];
}

const kcatInstalled = spawnSync('kcat', ['-V']).status === 0;

function kcat(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} timed out:\n${stderr}`));
    }, 20000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describeStandInOnly('Kafka broker with SASL users', () => {
  let broker: EmbeddedKafka;
  let bootstrap: string;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({
      initialRebalanceDelayMs: 100,
      users: [
        { ...OWNER, access: 'all' },
        { ...READER, access: 'read-only', deniedGroups: [PROTECTED_GROUP] },
      ],
    });
    bootstrap = broker.bootstrapServer;
    const admin = kafka(bootstrap, { mechanism: 'plain', ...OWNER }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka(bootstrap, { mechanism: 'plain', ...OWNER }).producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'r1', value: 'ReportFiled' }, { key: 'r2', value: 'ReportFiled' }] });
    await producer.disconnect();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('serves a kafkajs client that authenticates with %s', async (mechanism) => {
    const client = kafka(bootstrap, { mechanism, ...OWNER } as SASLOptions);
    const producer = client.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: `via-${mechanism}`, value: 'hello' }] });
    await producer.disconnect();
    const admin = client.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain(TOPIC);
    await admin.disconnect();
  });

  it('refuses a client without credentials: the connection ends at its first request after ApiVersions', async () => {
    const admin = kafka(bootstrap).admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();

    const raw = await RawClient.connect(broker.port);
    const versions = await raw.request(API_VERSIONS, 0, Buffer.alloc(0));
    expect(versions.readInt16BE(0)).toBe(0);
    await expect(raw.request(METADATA, 1, new Body().int32(-1).build())).rejects.toThrow('connection closed');
    expect(raw.closed).toBe(true);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('refuses a wrong password (%s) with a clear error', async (mechanism) => {
    const admin = kafka(bootstrap, { mechanism, username: OWNER.username, password: 'wrong' } as SASLOptions).admin();
    const failure = await admin.connect().then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.name).toBe('KafkaJSSASLAuthenticationError');
    expect(failure?.message).toMatch(mechanism === 'plain' ? /Invalid username or password/ : /invalid credentials with SASL mechanism SCRAM/);
    await admin.disconnect();
  });

  it('answers a wrong password with SASL_AUTHENTICATION_FAILED and ends the connection', async () => {
    const raw = await RawClient.connect(broker.port);
    expect(parseHandshake(await raw.request(SASL_HANDSHAKE, 1, handshakeBody('PLAIN')))).toEqual({ errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    const answer = parseAuthenticate(await raw.request(SASL_AUTHENTICATE, 1, new Body().bytes(Buffer.from('\0engine\0nope')).build()));
    expect(answer).toMatchObject({ errorCode: 58, message: 'Authentication failed: Invalid username or password' });
    expect(await raw.waitForClose()).toBe(true);
  });

  it('answers an unknown mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled ones', async () => {
    const raw = await RawClient.connect(broker.port);
    expect(parseHandshake(await raw.request(SASL_HANDSHAKE, 1, handshakeBody('GSSAPI')))).toEqual({ errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    expect(await raw.waitForClose()).toBe(true);
  });

  it('takes a raw PLAIN token after SaslHandshake v0, and then serves requests', async () => {
    const raw = await RawClient.connect(broker.port);
    expect(parseHandshake(await raw.request(SASL_HANDSHAKE, 0, handshakeBody('PLAIN'))).errorCode).toBe(0);
    const token = Buffer.from(`\0${READER.username}\0${READER.password}`);
    const size = Buffer.alloc(4);
    size.writeInt32BE(token.length);
    raw.writeRaw(Buffer.concat([size, token]));
    expect((await raw.nextFrame()).length).toBe(0);
    const metadata = await raw.request(METADATA, 1, new Body().int32(-1).build());
    expect(metadata.toString('latin1')).toContain(TOPIC);
  });

  it('lets the read-only user consume in a consumer group', async () => {
    const consumer = kafka(bootstrap, { mechanism: 'scram-sha-256', ...READER }).consumer({ groupId: 'outside-reader', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    // Everything on the topic so far: the two reports and one message per mechanism above, in either partition order.
    const received = await collectMessages(consumer, 5);
    await consumer.disconnect();
    expect(received.map((m) => String(m.message.key))).toEqual(expect.arrayContaining(['r1', 'r2', 'via-plain']));
  });

  it('refuses the read-only user every write: produce, create, delete, add partitions, configs, delete groups', async () => {
    const client = kafka(bootstrap, { mechanism: 'plain', ...READER });
    const producer = client.producer();
    await producer.connect();
    const produced = await producer.send({ topic: TOPIC, messages: [{ key: 'r1', value: 'ReportClosed (forged)' }] }).catch((error: unknown) => error);
    await producer.disconnect();
    expect(produced).toBeInstanceOf(KafkaJSProtocolError);
    expect((produced as KafkaJSProtocolError).type).toBe('TOPIC_AUTHORIZATION_FAILED');

    const idempotent = client.producer({ idempotent: true });
    await expect(idempotent.connect().then(() => idempotent.send({ topic: TOPIC, messages: [{ value: 'x' }] }))).rejects.toMatchObject({ type: 'CLUSTER_AUTHORIZATION_FAILED' });
    await idempotent.disconnect();

    const admin = client.admin();
    await admin.connect();
    const refusals = await Promise.all([
      admin.deleteTopics({ topics: [TOPIC], timeout: 1000 }).then(() => 'deleted', errorTypes),
      admin.createTopics({ topics: [{ topic: 'reader-made' }] }).then(() => 'created', errorTypes),
      admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: 4 }] }).then(() => 'added partitions', errorTypes),
      admin.describeConfigs({ resources: [{ type: 2, name: TOPIC }], includeSynonyms: false }).then(() => 'described', errorTypes),
      admin.deleteGroups(['outside-reader']).then(() => 'deleted group', errorTypes),
    ]);
    expect(refusals).toEqual([
      ['TOPIC_AUTHORIZATION_FAILED'],
      ['TOPIC_AUTHORIZATION_FAILED'],
      ['TOPIC_AUTHORIZATION_FAILED'],
      ['TOPIC_AUTHORIZATION_FAILED'],
      ['GROUP_AUTHORIZATION_FAILED'],
    ]);
    await admin.disconnect();

    // Nothing changed: the topic, its partitions and its data are still there.
    const ownerAdmin = kafka(bootstrap, { mechanism: 'plain', ...OWNER }).admin();
    await ownerAdmin.connect();
    const [metadata] = (await ownerAdmin.fetchTopicMetadata({ topics: [TOPIC] })).topics;
    expect(metadata.partitions).toHaveLength(2);
    expect(await ownerAdmin.listTopics()).not.toContain('reader-made');
    const offsets = await ownerAdmin.fetchTopicOffsets(TOPIC);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBeGreaterThanOrEqual(2);
    expect((await ownerAdmin.listGroups()).groups.map((g) => g.groupId)).toContain('outside-reader');
    await ownerAdmin.disconnect();
  });

  it("keeps the read-only user out of the product's consumer group", async () => {
    const consumer = kafka(bootstrap, { mechanism: 'plain', ...READER }).consumer({ groupId: PROTECTED_GROUP });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const failure = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)));
    await consumer.run({ eachMessage: async () => undefined });
    // kafkajs reports FindCoordinator's GROUP_AUTHORIZATION_FAILED as a coordinator it cannot find (so with Kafka too).
    expect(await failure).toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
    await consumer.disconnect();

    // At the wire, every group API says why.
    const raw = await authenticatedRawClient(broker.port, READER);
    expect((await raw.request(FIND_COORDINATOR, 1, new Body().string(PROTECTED_GROUP).int8(0).build())).readInt16BE(4)).toBe(GROUP_AUTHORIZATION_FAILED);
    const protocols = new Body().int32(1).string('range').bytes(Buffer.alloc(0)).build();
    const join = new Body().string(PROTECTED_GROUP).int32(10000).int32(10000).string('').string('consumer').raw(protocols).build();
    expect((await raw.request(JOIN_GROUP, 2, join)).readInt16BE(4)).toBe(GROUP_AUTHORIZATION_FAILED);
    expect((await raw.request(HEARTBEAT, 1, new Body().string(PROTECTED_GROUP).int32(1).string('member').build())).readInt16BE(4)).toBe(GROUP_AUTHORIZATION_FAILED);
    const offsetFetch = await raw.request(OFFSET_FETCH, 3, new Body().string(PROTECTED_GROUP).int32(-1).build());
    expect(offsetFetch.readInt16BE(offsetFetch.length - 2)).toBe(GROUP_AUTHORIZATION_FAILED);
    raw.close();
  });

  (kcatInstalled ? describe : describe.skip)('kcat (librdkafka)', () => {
    const sasl = (mechanism: string, user: { username: string; password: string }) => [
      '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user.username}`, '-X', `sasl.password=${user.password}`,
    ];

    it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('consumes with the read-only user over %s', async (mechanism) => {
      const consumed = await kcat(['-b', bootstrap, ...sasl(mechanism, READER), '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%k\n']);
      expect(consumed.code).toBe(0);
      expect(consumed.stdout.split('\n')).toEqual(expect.arrayContaining(['r1', 'r2']));
    });

    it('cannot produce with the read-only user', async () => {
      const produced = await kcat(['-b', bootstrap, ...sasl('PLAIN', READER), '-P', '-t', TOPIC, '-K:'], 'r1:forged\n');
      expect(produced.code).not.toBe(0);
      expect(produced.stderr).toMatch(/authoriz/i);
    });

    it('fails with a wrong password, naming the reason', async () => {
      const listed = await kcat(['-b', bootstrap, ...sasl('SCRAM-SHA-512', { ...READER, password: 'wrong' }), '-L', '-m', '5']);
      expect(listed.code).not.toBe(0);
      expect(listed.stderr).toMatch(/Authentication failed/);
    });
  });
});
