import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKafkaConnectionOptions } from '@engine/kafka';
import { readTemporalConnectionOptions } from '@engine/temporal';
import { brokerUsers, CREDENTIALS_FILE, credentialLines, standInConnectionSettings, standInCredentials, writeKcatProperties } from './stand-in-credentials';

describe("the stand-ins' credentials", () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'stand-in-credentials-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are generated once, strong and distinct, kept for the owner only, and read back on later starts', () => {
    const first = standInCredentials(dataDir);
    expect(first.generatedNow).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const { kafka, temporalApiKey } = first.credentials;
    const secrets = [kafka.product.password, kafka.reader.password, temporalApiKey];
    expect(new Set(secrets).size).toBe(3);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    const again = standInCredentials(dataDir);
    expect(again).toEqual({ ...first, generatedNow: false });
  });

  it('refuse a damaged file, naming it and the way out', () => {
    writeFileSync(join(dataDir, CREDENTIALS_FILE), '{"kafka":{}}');
    expect(() => standInCredentials(dataDir)).toThrow(/lacks kafka.product, kafka.reader or temporalApiKey: remove it/);
  });

  it("reach the product's clients through the settings they read against a real cluster", () => {
    const { credentials } = standInCredentials(dataDir);
    const settings = standInConnectionSettings(credentials, { kafka: true, temporal: true });
    expect(readKafkaConnectionOptions({ KAFKA_BROKERS: '127.0.0.1:9092', ...settings }).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: credentials.kafka.product.username,
      password: credentials.kafka.product.password,
    });
    const temporal = readTemporalConnectionOptions({ TEMPORAL_ADDRESS: '127.0.0.1:7233', ...settings });
    expect(temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', apiKey: credentials.temporalApiKey });
    expect(standInConnectionSettings(credentials, { kafka: false, temporal: false })).toEqual({});
  });

  it("give the reader read-only access that excludes the product's groups", () => {
    const { credentials } = standInCredentials(dataDir);
    expect(brokerUsers(credentials, ['report-read-model'])).toEqual([
      { ...credentials.kafka.product, access: 'all' },
      { ...credentials.kafka.reader, access: 'read-only', deniedGroups: ['report-read-model'] },
    ]);
  });

  it('show the secrets once; later only where they are, with a kcat line that holds no secret', () => {
    const generated = standInCredentials(dataDir);
    const kcat = writeKcatProperties(dataDir, generated.credentials.kafka.reader, '127.0.0.1:9092');
    expect(statSync(kcat).mode & 0o777).toBe(0o600);
    expect(readFileSync(kcat, 'utf8')).toContain(`sasl.password=${generated.credentials.kafka.reader.password}`);
    const running = { kafkaBootstrap: '127.0.0.1:9092', kcatProperties: kcat, temporalAddress: '127.0.0.1:7233' };
    const first = credentialLines(generated, running, 'reports.lifecycle.v1').join('\n');
    for (const secret of [generated.credentials.kafka.reader.password, generated.credentials.kafka.product.password, generated.credentials.temporalApiKey]) {
      expect(first).toContain(secret);
    }
    const later = credentialLines(standInCredentials(dataDir), running, 'reports.lifecycle.v1').join('\n');
    expect(later).toContain(`kcat -F ${kcat} -C -t reports.lifecycle.v1`);
    expect(later).toContain(`credentials    in ${generated.file}`);
    for (const secret of [generated.credentials.kafka.reader.password, generated.credentials.kafka.product.password, generated.credentials.temporalApiKey]) {
      expect(later).not.toContain(secret);
    }
  });
});
