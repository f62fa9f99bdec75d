// The product's Kafka client on a real broker with the listeners production clusters have: SASL_SSL with each
// SASL mechanism, SSL with a client certificate, and the relay of the worker process over SASL/SCRAM, all set
// up through the same environment variables an operator sets (readKafkaConnectionOptions).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import { openDatabase, SqlDatabase } from '@engine/database';
import { openEventStore } from '@engine/event-store';
import { createKafka, LifecycleConsumer, readKafkaConnectionOptions } from '@engine/kafka';
import { createTestCertificates } from '../../libs/config/testing/test-certificates';
import { eventually } from '../support/eventually';
import { describeRealEnginesOnly, realEngines } from '../support/engines';
import { repositoryRoot } from '../support/repository-root';
import { ReadyChild, spawnUntilReady } from '../support/ready-child';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { KAFKA_USERS, SecuredKafkaBroker, startSecuredKafkaBroker } from './support/secured-kafka-broker';

jest.setTimeout(120_000);

// A node of its own from the real engines' Kafka installation: the embedded broker speaks plaintext only.
describeRealEnginesOnly('Kafka over TLS and SASL (real broker)', () => {
  let dir: string;
  let secured: SecuredKafkaBroker;
  const warnings: string[] = [];
  let topicCount = 0;

  const kafkaFrom = (env: NodeJS.ProcessEnv): Kafka =>
    createKafka({ ...readKafkaConnectionOptions(env), clientId: 'connections-test', log: (_level, message) => warnings.push(message) });

  /** Creates a topic, produces one record and reads it back in a consumer group, all through `kafka`. */
  async function roundTrip(kafka: Kafka): Promise<string> {
    const topic = `connections-${++topicCount}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: `hello over ${topic}` }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      return await new Promise<string>((resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }));
    } finally {
      await consumer.disconnect();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
    secured = await startSecuredKafkaBroker(dir);
  }, 120_000);

  afterAll(async () => {
    await secured?.broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(Object.entries(KAFKA_USERS))('SASL_SSL with %s', (mechanism, user) => {
    it('produces and consumes with the CA and the credentials from the environment', async () => {
      const kafka = kafkaFrom({
        KAFKA_BROKERS: secured.saslSsl,
        KAFKA_SSL_CA_FILE: secured.certificates.caCert,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: user.username,
        KAFKA_SASL_PASSWORD: user.password,
      });
      expect(await roundTrip(kafka)).toMatch(/^hello over connections-\d+$/);
    });
  });

  it('reads the SASL password from a file (a mounted secret)', async () => {
    const passwordFile = join(dir, 'kafka-password');
    writeFileSync(passwordFile, `${KAFKA_USERS['scram-sha-512'].password}\n`);
    const kafka = kafkaFrom({
      KAFKA_BROKERS: secured.saslSsl,
      KAFKA_SSL_CA_FILE: secured.certificates.caCert,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: KAFKA_USERS['scram-sha-512'].username,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    expect(await roundTrip(kafka)).toMatch(/^hello over/);
  });

  it('a wrong password fails with the broker saying the credentials are invalid', async () => {
    const kafka = kafkaFrom({
      KAFKA_BROKERS: secured.saslSsl,
      KAFKA_SSL_CA_FILE: secured.certificates.caCert,
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: KAFKA_USERS['scram-sha-256'].username,
      KAFKA_SASL_PASSWORD: 'not-the-password',
    });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed: .*invalid credentials/i);
  });

  it('SSL with a client certificate (mTLS) produces and consumes; the listener refuses a client without one', async () => {
    const { caCert, clientCert, clientKey } = secured.certificates;
    const kafka = kafkaFrom({ KAFKA_BROKERS: secured.mutualTls, KAFKA_SSL_CA_FILE: caCert, KAFKA_SSL_CERT_FILE: clientCert, KAFKA_SSL_KEY_FILE: clientKey });
    expect(await roundTrip(kafka)).toMatch(/^hello over/);

    const anonymous = createKafka({ ...readKafkaConnectionOptions({ KAFKA_BROKERS: secured.mutualTls, KAFKA_SSL_CA_FILE: caCert }), clientId: 'no-cert', log: () => {} });
    const admin = anonymous.admin();
    // The broker's TLS alert 42 (bad_certificate): it asked for a certificate and got none.
    await expect(admin.connect()).rejects.toThrow(/alert bad certificate/);
  });

  it('a broker certificate from another CA fails the TLS handshake, naming the reason', async () => {
    const stranger = createTestCertificates(dir, { name: 'stranger-ca' });
    const kafka = createKafka({
      ...readKafkaConnectionOptions({
        KAFKA_BROKERS: secured.saslSsl,
        KAFKA_SSL_CA_FILE: stranger.caCert,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: KAFKA_USERS.plain.username,
        KAFKA_SASL_PASSWORD: KAFKA_USERS.plain.password,
      }),
      clientId: 'stranger',
      log: () => {},
    });
    await expect(kafka.admin().connect()).rejects.toThrow('Connection error: unable to verify the first certificate');
  });

  describe('the worker process', () => {
    let database: TestDatabase;
    let sql: SqlDatabase;
    let worker: ReadyChild | undefined;

    beforeAll(async () => {
      database = await createTestDatabase('connections_kafka');
      sql = await openDatabase({ databaseUrl: database.url });
    });

    afterAll(async () => {
      if (worker && worker.child.exitCode === null) {
        worker.child.kill('SIGTERM');
        const stopped = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
        if (!stopped) {
          worker.child.kill('SIGKILL');
          throw new Error(`the worker did not stop within 30 s of SIGTERM:\n${worker.output().slice(-3000)}`);
        }
      }
      await sql?.close();
      await database?.drop();
    });

    // Both the relay and the Temporal worker started: a SIGTERM while the worker is still starting is not
    // handled yet (the Temporal SDK's runtime takes the signal, and the process goes on running).
    const READY = /(?=[\s\S]*Temporal worker polling)[\s\S]*Outbox relay publishing to \S+ at (\S+ \([^)]*\))/;

    it('relays stored events to Kafka over SASL_SSL with SCRAM-SHA-512, configured by environment variables alone', async () => {
      const store = await openEventStore(sql);
      for (const reportId of ['tls-1', 'tls-2']) {
        await store.append(`report-${reportId}`, 0, [
          { eventId: `${reportId}:1`, type: 'ReportFiled', schemaVersion: 1, data: { reportId }, metadata: { actor: 'test', now: new Date().toISOString() } },
        ]);
      }
      const passwordFile = join(dir, 'relay-password');
      writeFileSync(passwordFile, KAFKA_USERS['scram-sha-512'].password);
      worker = await spawnUntilReady(join(repositoryRoot(), 'dist/apps/worker/src/main.js'), [], READY, {
        env: {
          TEMPORAL_ADDRESS: realEngines().temporalAddress,
          TEMPORAL_TASK_QUEUE: `connections-${Date.now()}`,
          DATABASE_URL: database.url,
          KAFKA_BROKERS: secured.saslSsl,
          KAFKA_SSL_CA_FILE: secured.certificates.caCert,
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: KAFKA_USERS['scram-sha-512'].username,
          KAFKA_SASL_PASSWORD_FILE: passwordFile,
          RUN_RELAY: 'true',
          RUN_PROJECTOR: 'false',
        },
        timeoutMs: 90_000,
      });
      expect(worker.ready[1]).toBe(`${secured.saslSsl} (TLS + SASL SCRAM-SHA-512 as ${KAFKA_USERS['scram-sha-512'].username})`);

      // Read back as an integrating system would, with another mechanism of the same listener.
      const received: string[] = [];
      const consumer = new LifecycleConsumer(
        kafkaFrom({
          KAFKA_BROKERS: secured.saslSsl,
          KAFKA_SSL_CA_FILE: secured.certificates.caCert,
          KAFKA_SASL_MECHANISM: 'scram-sha-256',
          KAFKA_SASL_USERNAME: KAFKA_USERS['scram-sha-256'].username,
          KAFKA_SASL_PASSWORD: KAFKA_USERS['scram-sha-256'].password,
        }),
        { groupId: 'connections-reader', topic: REPORTS_TOPIC },
      );
      await consumer.start(async (message) => void received.push(message.eventId));
      try {
        await eventually(async () => (received.length >= 2 ? received : undefined), 60_000, 'the relayed events');
      } finally {
        await consumer.stop();
      }
      expect(received.sort()).toEqual(['tls-1:1', 'tls-2:1']);
    });
  });
});
