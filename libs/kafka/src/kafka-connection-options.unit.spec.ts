import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigurationError } from '@engine/config';
import { createTestCertificates, TestCertificates } from '../../config/testing/test-certificates';
import { describeKafkaConnection, readKafkaConnectionOptions } from './kafka-connection-options';

describe('Kafka connection settings', () => {
  let dir: string;
  let certs: TestCertificates;
  const base = { KAFKA_BROKERS: 'kafka-1.example.org:9093,kafka-2.example.org:9093' };
  const brokers = ['kafka-1.example.org:9093', 'kafka-2.example.org:9093'];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-options-'));
    certs = createTestCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      readKafkaConnectionOptions(env);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      return (error as InvalidConfigurationError).problems;
    }
    throw new Error('expected the settings to be refused');
  }

  it('is plaintext with brokers alone, and has no brokers when KAFKA_BROKERS is unset', () => {
    expect(readKafkaConnectionOptions(base)).toEqual({ brokers });
    expect(readKafkaConnectionOptions({})).toEqual({ brokers: [] });
    expect(problemsOf({ KAFKA_BROKERS: 'a:1, b:2' })).toEqual(['KAFKA_BROKERS must be a comma-separated list of host:port']);
  });

  it('KAFKA_SSL=true alone: TLS with the system CAs', () => {
    expect(readKafkaConnectionOptions({ ...base, KAFKA_SSL: 'true' })).toEqual({ brokers, ssl: true });
    expect(problemsOf({ ...base, KAFKA_SSL: '1' })).toEqual(['KAFKA_SSL must be true or false']);
  });

  it('a CA file turns TLS on with that CA; a client certificate and key make it mutual', () => {
    expect(readKafkaConnectionOptions({ ...base, KAFKA_SSL_CA_FILE: certs.caCert }).ssl).toEqual({ ca: readFileSync(certs.caCert) });
    const mtls = readKafkaConnectionOptions({ ...base, KAFKA_SSL_CA_FILE: certs.caCert, KAFKA_SSL_CERT_FILE: certs.clientCert, KAFKA_SSL_KEY_FILE: certs.clientKey });
    expect(mtls.ssl).toEqual({ ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) });
    expect(describeKafkaConnection(mtls)).toBe('kafka-1.example.org:9093,kafka-2.example.org:9093 (mTLS)');
  });

  it('refuses a certificate without its key, missing files and files that are not PEM, naming each variable', () => {
    expect(problemsOf({ ...base, KAFKA_SSL_CERT_FILE: certs.clientCert })).toEqual([
      'KAFKA_SSL_CERT_FILE is set without KAFKA_SSL_KEY_FILE: a client certificate and its key go together',
    ]);
    const notPem = join(dir, 'ca.der');
    writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01]));
    expect(problemsOf({ ...base, KAFKA_SSL_CA_FILE: notPem })).toEqual([`KAFKA_SSL_CA_FILE: "${notPem}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`]);
    expect(problemsOf({ ...base, KAFKA_SSL_CA_FILE: '' })).toEqual(['KAFKA_SSL_CA_FILE is empty (leave it unset instead)']);
    expect(problemsOf({ ...base, KAFKA_SSL_KEY_FILE: join(dir, 'gone.key'), KAFKA_SSL_CERT_FILE: certs.clientCert })).toEqual([
      `KAFKA_SSL_KEY_FILE: cannot read "${join(dir, 'gone.key')}" (ENOENT)`,
    ]);
    expect(problemsOf({ ...base, KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: certs.caCert })).toEqual(['KAFKA_SSL is false but KAFKA_SSL_CA_FILE is set']);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('SASL %s with a username and a password', (mechanism) => {
    const options = readKafkaConnectionOptions({ ...base, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'engine', KAFKA_SASL_PASSWORD: 'pw' });
    expect(options).toEqual({ brokers, ssl: true, sasl: { mechanism, username: 'engine', password: 'pw' } });
    expect(describeKafkaConnection(options)).toBe(`${brokers.join(',')} (TLS + SASL ${mechanism.toUpperCase()} as engine)`);
  });

  it('takes the mechanism in any case, and the password from a file', () => {
    const passwordFile = join(dir, 'kafka-password');
    writeFileSync(passwordFile, 's3cret\n');
    expect(readKafkaConnectionOptions({ ...base, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'engine', KAFKA_SASL_PASSWORD_FILE: passwordFile }).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'engine',
      password: 's3cret',
    });
  });

  it('refuses an unknown mechanism, a missing username or password, and credentials without a mechanism', () => {
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual([
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512',
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toEqual([
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=scram-sha-256',
      'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required with KAFKA_SASL_MECHANISM=scram-sha-256',
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual([
      'KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set without KAFKA_SASL_MECHANISM (plain, scram-sha-256, scram-sha-512)',
    ]);
    expect(problemsOf({ ...base, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: '/x' })).toEqual([
      'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both',
    ]);
  });
});
