import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigurationError } from '@engine/config';
import { createTestCertificates, TestCertificates } from '../../config/testing/test-certificates';
import { describeTemporalConnection, readTemporalConnectionOptions } from './temporal-connection-options';

describe('Temporal connection settings', () => {
  let dir: string;
  let certs: TestCertificates;
  let otherCerts: TestCertificates;
  const base = { TEMPORAL_ADDRESS: 'temporal.example.org:7233' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'temporal-options-'));
    certs = createTestCertificates(dir);
    otherCerts = createTestCertificates(dir, { name: 'other-ca' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      readTemporalConnectionOptions(env);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      return (error as InvalidConfigurationError).problems;
    }
    throw new Error('expected the settings to be refused');
  }

  it('is plaintext on the default namespace with an address alone', () => {
    expect(readTemporalConnectionOptions(base)).toEqual({ address: 'temporal.example.org:7233', namespace: 'default' });
  });

  it('needs an address', () => {
    expect(problemsOf({})).toEqual(['TEMPORAL_ADDRESS must be set (host:port of the Temporal frontend)']);
  });

  it('reads the namespace, and refuses an empty one', () => {
    expect(readTemporalConnectionOptions({ ...base, TEMPORAL_NAMESPACE: 'escalations' }).namespace).toBe('escalations');
    expect(problemsOf({ ...base, TEMPORAL_NAMESPACE: '' })).toEqual(['TEMPORAL_NAMESPACE is empty (leave it unset for "default")']);
  });

  it('TEMPORAL_TLS=true alone: TLS with the system CAs', () => {
    expect(readTemporalConnectionOptions({ ...base, TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(problemsOf({ ...base, TEMPORAL_TLS: 'yes' })).toEqual(['TEMPORAL_TLS must be true or false']);
  });

  it('a CA file and a server name override turn TLS on', () => {
    const options = readTemporalConnectionOptions({ ...base, TEMPORAL_TLS_CA_FILE: certs.caCert, TEMPORAL_TLS_SERVER_NAME: 'frontend.internal' });
    expect(options.tls).toEqual({ serverRootCACertificate: readFileSync(certs.caCert), serverNameOverride: 'frontend.internal' });
    expect(describeTemporalConnection(options)).toBe('temporal.example.org:7233, namespace default (TLS)');
  });

  it('mTLS: the client certificate and its key', () => {
    const options = readTemporalConnectionOptions({ ...base, TEMPORAL_TLS_CERT_FILE: certs.clientCert, TEMPORAL_TLS_KEY_FILE: certs.clientKey });
    expect(options.tls).toEqual({ clientCertPair: { crt: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } });
    expect(describeTemporalConnection(options)).toContain('(mTLS)');
  });

  it('refuses a certificate without its key, and a key without its certificate', () => {
    expect(problemsOf({ ...base, TEMPORAL_TLS_CERT_FILE: certs.clientCert })).toEqual([
      'TEMPORAL_TLS_CERT_FILE is set without TEMPORAL_TLS_KEY_FILE: a client certificate and its key go together',
    ]);
    expect(problemsOf({ ...base, TEMPORAL_TLS_KEY_FILE: certs.clientKey })).toEqual([
      'TEMPORAL_TLS_KEY_FILE is set without TEMPORAL_TLS_CERT_FILE: a client certificate and its key go together',
    ]);
  });

  it('refuses a key that belongs to another certificate', () => {
    expect(problemsOf({ ...base, TEMPORAL_TLS_CERT_FILE: certs.clientCert, TEMPORAL_TLS_KEY_FILE: otherCerts.clientKey })).toEqual([
      'TEMPORAL_TLS_KEY_FILE is not the private key of the certificate in TEMPORAL_TLS_CERT_FILE',
    ]);
  });

  it('names the variable of a missing file or of a file that is not PEM', () => {
    const notPem = join(dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    const problems = problemsOf({ ...base, TEMPORAL_TLS_CA_FILE: join(dir, 'missing.crt'), TEMPORAL_TLS_CERT_FILE: notPem, TEMPORAL_TLS_KEY_FILE: certs.clientCert });
    expect(problems).toEqual([
      `TEMPORAL_TLS_CA_FILE: cannot read "${join(dir, 'missing.crt')}" (ENOENT)`,
      `TEMPORAL_TLS_CERT_FILE: "${notPem}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      `TEMPORAL_TLS_KEY_FILE: "${certs.clientCert}" holds no PEM private key (-----BEGIN PRIVATE KEY-----)`,
    ]);
  });

  it('names a certificate that is PEM on the outside but does not parse', () => {
    const broken = join(dir, 'broken.crt');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(problemsOf({ ...base, TEMPORAL_TLS_CA_FILE: broken })[0]).toMatch(/^TEMPORAL_TLS_CA_FILE: ".*broken.crt" holds a certificate that does not parse/);
  });

  it('refuses TEMPORAL_TLS=false together with TLS files', () => {
    expect(problemsOf({ ...base, TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_FILE: certs.caCert })).toEqual(['TEMPORAL_TLS is false but TEMPORAL_TLS_CA_FILE is set']);
  });

  it('an API key implies TLS (Temporal Cloud), unless TEMPORAL_TLS=false says otherwise', () => {
    const cloud = readTemporalConnectionOptions({ TEMPORAL_ADDRESS: 'reports.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'reports.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
    expect(cloud).toEqual({ address: 'reports.a1b2c.tmprl.cloud:7233', namespace: 'reports.a1b2c', tls: {}, apiKey: 'secret-key' });
    expect(describeTemporalConnection(cloud)).toBe('reports.a1b2c.tmprl.cloud:7233, namespace reports.a1b2c (TLS + API key)');
    expect(readTemporalConnectionOptions({ ...base, TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toEqual({ address: 'temporal.example.org:7233', namespace: 'default', apiKey: 'k' });
  });

  it('reads the API key from a file, and refuses both forms or an empty key', () => {
    const keyFile = join(dir, 'api-key');
    writeFileSync(keyFile, 'key-from-file\n');
    expect(readTemporalConnectionOptions({ ...base, TEMPORAL_API_KEY_FILE: keyFile }).apiKey).toBe('key-from-file');
    expect(problemsOf({ ...base, TEMPORAL_API_KEY: 'k', TEMPORAL_API_KEY_FILE: keyFile })).toEqual(['set TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, not both']);
    expect(problemsOf({ ...base, TEMPORAL_API_KEY: '' })).toEqual(['TEMPORAL_API_KEY is empty (leave it unset instead)']);
    expect(problemsOf({ ...base, TEMPORAL_API_KEY_FILE: join(dir, 'nope') })).toEqual([`TEMPORAL_API_KEY_FILE: cannot read "${join(dir, 'nope')}" (ENOENT)`]);
  });

  it('lists every problem of one start at once', () => {
    expect(problemsOf({ TEMPORAL_TLS: 'on', TEMPORAL_TLS_KEY_FILE: certs.clientKey })).toHaveLength(3);
  });
});
