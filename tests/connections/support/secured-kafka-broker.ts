// A real Kafka node for the connection tests, with the listeners production clusters have: SASL_SSL (PLAIN,
// SCRAM-SHA-256, SCRAM-SHA-512) and SSL that requires a client certificate, on certificates of a test CA. The
// SCRAM users are created when the storage is formatted (`--add-scram`), the PLAIN user in the listener's JAAS
// configuration; the plaintext listener stays for the broker's own traffic.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCertificates, TestCertificates } from '../../../libs/config/testing/test-certificates';
import { realEngines } from '../../support/engines';
import { freePort } from '../../support/free-port';
import { RealKafkaBroker, startRealKafkaBroker } from '../../support/real-kafka-broker';

export const KAFKA_USERS = {
  plain: { username: 'plain-user', password: 'plain-password' },
  'scram-sha-256': { username: 'scram256-user', password: 'scram256-password' },
  'scram-sha-512': { username: 'scram512-user', password: 'scram512-password' },
} as const;

export interface SecuredKafkaBroker {
  broker: RealKafkaBroker;
  certificates: TestCertificates;
  /** host:port of the SASL_SSL listener (server authentication only). */
  saslSsl: string;
  /** host:port of the SSL listener, which requires a client certificate of the test CA. */
  mutualTls: string;
}

/** A Java properties value: PEM text on one line, its line breaks escaped. */
const inline = (file: string) => readFileSync(file, 'utf8').trim().replaceAll('\n', '\\n');

export async function startSecuredKafkaBroker(dir: string): Promise<SecuredKafkaBroker> {
  const certificates = createTestCertificates(dir, { name: 'kafka-ca', serverNames: ['localhost', '127.0.0.1'] });
  const [saslPort, sslPort] = [await freePort(), await freePort()];
  const { plain, 'scram-sha-256': scram256, 'scram-sha-512': scram512 } = KAFKA_USERS;
  const broker = await startRealKafkaBroker({
    kafkaHome: realEngines().kafkaHome,
    dataDir: join(dir, 'kafka'),
    formatArguments: [
      '--add-scram', `SCRAM-SHA-256=[name=${scram256.username},password=${scram256.password}]`,
      '--add-scram', `SCRAM-SHA-512=[name=${scram512.username},password=${scram512.password}]`,
    ],
    properties: {
      listeners: `PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controllerPort},SASL_SSL://127.0.0.1:${saslPort},SSL://127.0.0.1:${sslPort}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:${saslPort},SSL://127.0.0.1:${sslPort}`,
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
      // PEM key and trust stores (KIP-651), given inline.
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': inline(certificates.serverCert),
      'ssl.keystore.key': inline(certificates.serverKey),
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.certificates': inline(certificates.caCert),
      'listener.name.ssl.ssl.client.auth': 'required',
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${plain.username}="${plain.password}";`,
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'auto.create.topics.enable': 'false',
    },
  });
  return { broker, certificates, saslSsl: `127.0.0.1:${saslPort}`, mutualTls: `127.0.0.1:${sslPort}` };
}
