// `npm start`'s stand-ins require credentials (#10 §3, defects 2 and 3): another user of the machine, who can
// reach 127.0.0.1 but cannot read the data directory, can neither delete the topic nor forge events through
// the embedded broker, nor read, act on or terminate cases through the embedded Temporal frontend. Outside
// consumers read the events with the read-only credentials printed at the first start, and the product itself
// works as before. Then the same program pointed at other engines through the environment (KAFKA_BROKERS with
// KAFKA_SASL_*, TEMPORAL_ADDRESS with TEMPORAL_API_KEY), as against a real cluster.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { reportWorkflowId } from '@engine/contracts';
import { describeStandInOnly } from '../support/engines';
import { eventually } from '../support/eventually';
import { embeddedKafkaSasl, embeddedTemporalConnection, EngineProcess, freeEnginePorts, httpClient, standInCredentials, startEngine } from './engine-process';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const TOPIC = 'reports.lifecycle.v1';
const report = (reporterReference: string) => ({
  platform: 'telegram',
  channel: 'state-police',
  contentLocations: [{ url: 'https://t.me/examplechannel/4711', channel: 'examplechannel', messageIds: ['4711'] }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference,
});
/** The embedded stand-ins, whatever the test's environment says (a real-engine run exports their addresses). */
const EMBEDDED = { TEMPORAL_ADDRESS: '', KAFKA_BROKERS: '', DATABASE_URL: '' };

function kafka(brokers: string, sasl?: SASLOptions): Kafka {
  return new Kafka({ brokers: [brokers], clientId: 'outsider', logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 100 }, connectionTimeout: 2000, ...(sasl && { sasl }) });
}

/** The event keys on the topic, read by a consumer group of `sasl`'s user until `until` holds. */
async function readKeys(brokers: string, sasl: SASLOptions, until: (keys: string[]) => boolean): Promise<string[]> {
  const consumer = kafka(brokers, sasl).consumer({ groupId: `outside-${Date.now()}`, maxWaitTimeInMs: 200 });
  const keys: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void keys.push(String(message.key)) });
    await eventually(async () => (until(keys) ? true : undefined), 20_000, `events on ${TOPIC}`);
    return keys;
  } finally {
    await consumer.disconnect();
  }
}

function grpcCode(error: unknown): number | undefined {
  return (((error as { cause?: unknown }).cause ?? error) as { code?: number }).code;
}

// About the stand-ins themselves, so not repeated on a real-engine run.
describeStandInOnly("npm start's stand-ins require credentials", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-stand-in-credentials-'));
  let engine: EngineProcess | undefined;
  let brokers: string;
  let temporalAddress: string;
  let reportId: string;

  beforeAll(async () => {
    const ports = await freeEnginePorts();
    engine = await startEngine(dataDir, ports, { env: EMBEDDED });
    brokers = `127.0.0.1:${ports.kafkaPort}`;
    temporalAddress = `127.0.0.1:${ports.temporalPort}`;
    const filed = await httpClient(engine.baseUrl).post('/api/reports', report('R-credentials-1'));
    expect(filed.status).toBe(201);
    reportId = filed.body.report.reportId;
  }, 90_000);
  afterAll(async () => {
    if (engine) expect(await engine.stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps the credentials for the owner only and prints the read-only ones for outside consumers', () => {
    const credentials = standInCredentials(dataDir);
    expect(statSync(join(dataDir, 'stand-in-credentials.json')).mode & 0o777).toBe(0o600);
    for (const own of ['postgres', 'kafka', 'temporal']) expect(statSync(join(dataDir, own)).mode & 0o777).toBe(0o700);
    const output = engine!.output();
    expect(output).toContain(`kcat -F ${join(dataDir, 'kafka-reader.properties')} -C -t ${TOPIC}`);
    expect(output).toContain(`sasl: { mechanism: 'scram-sha-512', username: '${credentials.kafka.reader.username}', password: '${credentials.kafka.reader.password}' }`);
  });

  it('lets nobody without credentials delete the topic or publish to it', async () => {
    const admin = kafka(brokers).admin();
    await expect(admin.connect().then(() => admin.deleteTopics({ topics: [TOPIC], timeout: 2000 }))).rejects.toThrow();
    await admin.disconnect();
    const producer = kafka(brokers).producer();
    await expect(producer.connect().then(() => producer.send({ topic: TOPIC, messages: [{ key: reportId, value: '{"type":"ReportClosed"}' }] }))).rejects.toThrow();
    await producer.disconnect();
    const wrong = kafka(brokers, { mechanism: 'scram-sha-512', username: 'engine', password: 'guessed' }).admin();
    await expect(wrong.connect()).rejects.toThrow(/invalid credentials/);
    await wrong.disconnect();
  });

  it('lets the read-only user consume the events (kafkajs and kcat), but not publish or delete the topic', async () => {
    const reader = embeddedKafkaSasl(dataDir, 'reader');
    expect(await readKeys(brokers, reader, (keys) => keys.includes(reportId))).toContain(reportId);

    const producer = kafka(brokers, reader).producer();
    await producer.connect();
    await expect(producer.send({ topic: TOPIC, messages: [{ key: reportId, value: '{"type":"ReportClosed"}' }] })).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    await producer.disconnect();
    const admin = kafka(brokers, reader).admin();
    await admin.connect();
    await expect(admin.deleteTopics({ topics: [TOPIC], timeout: 2000 })).rejects.toThrow();
    expect(await admin.listTopics()).toContain(TOPIC);
    await admin.disconnect();

    if (spawnSync('kcat', ['-V']).status === 0) {
      const kcat = spawn('kcat', ['-F', join(dataDir, 'kafka-reader.properties'), '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%k\n']);
      let stdout = '';
      kcat.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => kcat.on('close', resolve));
      expect(code).toBe(0);
      expect(stdout.split('\n')).toContain(reportId);
    }
  });

  it('answers a Temporal client without the API key UNAUTHENTICATED: it can neither list, query nor terminate a case', async () => {
    expect(grpcCode(await Connection.connect({ address: temporalAddress }).catch((error: unknown) => error))).toBe(status.UNAUTHENTICATED);
    const connection = Connection.lazy({ address: temporalAddress });
    try {
      const intruder = new Client({ connection });
      const handle = intruder.workflow.getHandle(reportWorkflowId(reportId));
      const attempts = [() => intruder.workflow.list()[Symbol.asyncIterator]().next(), () => handle.query('reportState'), () => handle.terminate('forged')];
      for (const attempt of attempts) expect(grpcCode(await attempt().catch((error: unknown) => error))).toBe(status.UNAUTHENTICATED);
    } finally {
      await connection.close();
    }
  });

  it('serves a Temporal client with the API key, and the case is untouched', async () => {
    const connection = await Connection.connect(embeddedTemporalConnection(dataDir, temporalAddress));
    try {
      const description = await new Client({ connection }).workflow.getHandle(reportWorkflowId(reportId)).describe();
      expect(description.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
    }
    const read = await httpClient(engine!.baseUrl).get(`/api/reports/${reportId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('in-triage');
  });
});

describeStandInOnly('npm start pointed at other engines through the environment', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-outside-engines-'));
  let broker: EmbeddedKafka;
  let temporal: EmbeddedTemporalServer;
  afterAll(async () => {
    await broker?.stop();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('connects with the SASL and API key settings it would use against a real cluster, and generates no stand-in credentials', async () => {
    const sasl = { username: 'operator', password: 'operator-chose-this' };
    broker = await EmbeddedKafka.start({ initialRebalanceDelayMs: 100, users: [{ ...sasl, access: 'all' }] });
    temporal = await EmbeddedTemporalServer.start({ apiKey: 'operator-api-key' });
    const engine = await startEngine(dataDir, await freeEnginePorts(), {
      env: {
        ...EMBEDDED,
        KAFKA_BROKERS: broker.bootstrapServer,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: sasl.username,
        KAFKA_SASL_PASSWORD: sasl.password,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_API_KEY: 'operator-api-key',
        TEMPORAL_TLS: 'false',
      },
    });
    try {
      expect(engine.output()).toContain(`${broker.bootstrapServer} (plaintext + SASL PLAIN as operator)`);
      expect(engine.output()).not.toContain('kcat -F');
      expect(existsSync(join(dataDir, 'stand-in-credentials.json'))).toBe(false);
      const filed = await httpClient(engine.baseUrl).post('/api/reports', report('R-outside-1'));
      expect(filed.status).toBe(201);
      expect(await readKeys(broker.bootstrapServer, { mechanism: 'plain', ...sasl }, (keys) => keys.includes(filed.body.report.reportId))).toContain(filed.body.report.reportId);
    } finally {
      expect(await engine.stop()).toBe(0);
    }
  }, 120_000);
});
