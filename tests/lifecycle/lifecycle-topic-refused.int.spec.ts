// A real refusal: an Apache Kafka node with ACLs (StandardAuthorizer) where the engine's user may not create
// topics. Creating the lifecycle topic fails with the command an operator runs, not with kafkajs' bare error and
// not in an endless retry. Real engines only; the unit spec beside ensureLifecycleTopic covers the message on
// every run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureLifecycleTopic, TopicProvisioningError } from '@engine/kafka';
import { describeRealEnginesOnly, realEngines } from '../support/engines';
import { freePort } from '../support/free-port';
import { RealKafkaBroker, startRealKafkaBroker } from '../support/real-kafka-broker';

describeRealEnginesOnly('the lifecycle topic on a cluster that refuses to create it (Apache Kafka with ACLs)', () => {
  let broker: RealKafkaBroker;
  let dataDir: string;
  let saslPort: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kafka-acl-'));
    saslPort = await freePort();
    broker = await startRealKafkaBroker({
      kafkaHome: realEngines().kafkaHome,
      dataDir,
      properties: {
        // The node talks to itself as ANONYMOUS over PLAINTEXT (a super user); clients log in over SASL.
        listeners: `PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:{port},SASL_PLAINTEXT://127.0.0.1:${saslPort}`,
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
        'sasl.enabled.mechanisms': 'PLAIN',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_engine="engine-secret";',
        'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'super.users': 'User:ANONYMOUS',
        'allow.everyone.if.no.acl.found': 'false',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await broker?.stop('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('fails at once, naming the kafka-topics.sh command that creates the topic', async () => {
    const kafka = new Kafka({
      brokers: [`127.0.0.1:${saslPort}`],
      clientId: 'engine-without-rights',
      sasl: { mechanism: 'plain', username: 'engine', password: 'engine-secret' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
    });
    const started = Date.now();
    const attempt = ensureLifecycleTopic(kafka, { partitions: 6 });
    await expect(attempt).rejects.toThrow(TopicProvisioningError);
    await expect(attempt).rejects.toThrow(/Kafka refused to create the topic reports\.lifecycle\.v1 \((TOPIC|CLUSTER)_AUTHORIZATION_FAILED\)/);
    await expect(attempt).rejects.toThrow('kafka-topics.sh --bootstrap-server <broker> --create --topic reports.lifecycle.v1 --partitions 6 --config retention.ms=-1');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
