// The product's Temporal connections over TLS, mutual TLS and with an API key, set up through the environment
// variables an operator sets (readTemporalConnectionOptions). The dev server (or, in `npm test`, the embedded
// server) serves plaintext only, so a TLS-terminating proxy of the test's own stands in front of it, with a
// certificate of a test CA that names only `temporal.test`: reaching it at 127.0.0.1 needs the override.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { connectClient, connectWorker, readTemporalConnectionOptions } from '@engine/temporal';
import { createTestCertificates, TestCertificates } from '../../libs/config/testing/test-certificates';
import { describeRealEnginesOnly, onRealEngines, realEngines } from '../support/engines';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { repositoryRoot } from '../support/repository-root';
import { ReadyChild, spawnUntilReady } from '../support/ready-child';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTlsProxy, TlsProxy } from './support/tls-proxy';

jest.setTimeout(60_000);

const SERVER_NAME = 'temporal.test';

describe('Temporal over TLS (the dev server behind a TLS-terminating proxy)', () => {
  let dir: string;
  let certs: TestCertificates;
  let stranger: TestCertificates;
  let embedded: EmbeddedTemporalServer | undefined;
  /** The plaintext frontend behind the proxies. */
  let target: string;
  const proxies: TlsProxy[] = [];

  const proxy = async (options: { clientCa?: Buffer; apiKey?: string } = {}) => {
    const started = await startTlsProxy({ target, cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey), ...options });
    proxies.push(started);
    return started;
  };

  /** The API's client Connection and the worker's NativeConnection, both from `env`, each making a call. */
  async function connectBoth(env: NodeJS.ProcessEnv): Promise<void> {
    const options = { ...readTemporalConnectionOptions(env), taskQueue: 'connections' };
    const client = await connectClient(options);
    try {
      expect((await client.workflowService.getSystemInfo({})).serverVersion).toMatch(/^\d+\.\d+/);
      await client.workflowService.describeNamespace({ namespace: options.namespace });
    } finally {
      await client.connection.close();
    }
    const native = await connectWorker(options);
    try {
      expect((await native.workflowService.getSystemInfo({})).serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      await native.close();
    }
  }

  beforeAll(async () => {
    embedded = onRealEngines ? undefined : await EmbeddedTemporalServer.start({ port: 0 });
    target = embedded?.address ?? realEngines().temporalAddress;
    dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
    certs = createTestCertificates(dir, { name: 'temporal-ca', serverNames: [SERVER_NAME] });
    stranger = createTestCertificates(dir, { name: 'stranger-ca', serverNames: [SERVER_NAME] });
  });

  afterAll(async () => {
    for (const started of proxies) await started.close();
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Both connections fail; resolves with their messages. */
  async function bothFail(env: NodeJS.ProcessEnv): Promise<{ client: string; worker: string }> {
    const options = { ...readTemporalConnectionOptions(env), taskQueue: 'connections', connectTimeoutMs: 3_000 };
    const client = await connectClient(options).then(
      async (connected) => (await connected.connection.close(), 'connected'),
      (error: Error) => error.message,
    );
    const worker = await connectWorker(options).then(
      async (connected) => (await connected.close(), 'connected'),
      (error: Error) => error.message,
    );
    return { client, worker };
  }

  describe('TLS', () => {
    let tls: TlsProxy;
    beforeAll(async () => (tls = await proxy()));

    it('both connections reach the server with the given CA and the server name override', async () => {
      await connectBoth({ TEMPORAL_ADDRESS: tls.address, TEMPORAL_TLS_CA_FILE: certs.caCert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
    });

    it('without the override the certificate does not name the address: both fail, saying so', async () => {
      const { client, worker } = await bothFail({ TEMPORAL_ADDRESS: tls.address, TEMPORAL_TLS_CA_FILE: certs.caCert });
      expect(client).toContain(`cannot connect to Temporal at ${tls.address}, namespace default (TLS): Failed to connect before the deadline; TLS handshake: Hostname/IP does not match certificate's altnames`);
      expect(client).toContain('(set TEMPORAL_TLS_SERVER_NAME to a name the server certificate holds)');
      expect(worker).toMatch(/NotValidForName.*temporal\.test/);
      expect(worker).toContain('(set TEMPORAL_TLS_SERVER_NAME to a name the server certificate holds)');
    });

    it('a server certificate from another CA: both fail, pointing at the CA setting', async () => {
      const { client, worker } = await bothFail({ TEMPORAL_ADDRESS: tls.address, TEMPORAL_TLS_CA_FILE: stranger.caCert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
      expect(client).toContain('TLS handshake: unable to verify the first certificate (is TEMPORAL_TLS_CA_FILE the CA that signed the server certificate?');
      expect(worker).toContain('UnknownIssuer');
      expect(worker).toContain('(is TEMPORAL_TLS_CA_FILE the CA that signed the server certificate?');
    });

    it('TLS towards a plaintext server fails, asking whether it speaks TLS', async () => {
      const { client, worker } = await bothFail({ TEMPORAL_ADDRESS: target, TEMPORAL_TLS: 'true' });
      for (const message of [client, worker]) expect(message).toMatch(/TLS handshake: .*\(does the server at TEMPORAL_ADDRESS speak TLS \(TEMPORAL_TLS\)\?\)/);
    });
  });

  describe('mutual TLS', () => {
    let mtls: TlsProxy;
    const withClientCertificate = () => ({
      TEMPORAL_ADDRESS: mtls.address,
      TEMPORAL_TLS_CA_FILE: certs.caCert,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      TEMPORAL_TLS_CERT_FILE: certs.clientCert,
      TEMPORAL_TLS_KEY_FILE: certs.clientKey,
    });
    beforeAll(async () => (mtls = await proxy({ clientCa: readFileSync(certs.caCert) })));

    it('both connections reach the server with the client certificate and key', async () => {
      await connectBoth(withClientCertificate());
    });

    it('without a client certificate the handshake is refused: both fail, naming the certificate settings', async () => {
      const { client, worker } = await bothFail({ TEMPORAL_ADDRESS: mtls.address, TEMPORAL_TLS_CA_FILE: certs.caCert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
      // The core's own error varies with timing ("CertificateRequired", or only "connection closed"); the handshake says it.
      for (const message of [client, worker]) expect(message).toContain('(the server requires a client certificate: set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE)');
    });

    it('a client certificate of another CA is refused', async () => {
      const { client, worker } = await bothFail({ ...withClientCertificate(), TEMPORAL_TLS_CERT_FILE: stranger.clientCert, TEMPORAL_TLS_KEY_FILE: stranger.clientKey });
      for (const message of [client, worker]) expect(message).toMatch(/cannot connect to Temporal at .*\(mTLS\)/);
      expect(client).toContain('TLS handshake: the server closed the connection after the handshake (did it refuse the client certificate of TEMPORAL_TLS_CERT_FILE?)');
    });
  });

  describe('API key', () => {
    // The proxy reads each call's metadata and forwards only those with this key: the dev server itself
    // ignores API keys, so what is verified here is that the SDK connections send it, not how Temporal Cloud
    // judges it.
    let keyed: TlsProxy;
    beforeAll(async () => (keyed = await proxy({ apiKey: 'test-api-key' })));

    it('both connections send it as a bearer token with every call, over TLS', async () => {
      const before = keyed.calls.length;
      await connectBoth({ TEMPORAL_ADDRESS: keyed.address, TEMPORAL_TLS_CA_FILE: certs.caCert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME, TEMPORAL_API_KEY: 'test-api-key' });
      const calls = keyed.calls.slice(before);
      expect(calls.every((call) => call.authorization === 'Bearer test-api-key')).toBe(true);
      expect(new Set(calls.map((call) => call.userAgent?.split('/')[0]))).toEqual(new Set(['grpc-node-js', 'tonic']));
    });

    it('a wrong key is refused by the proxy, and both connections report it', async () => {
      const keyFile = join(dir, 'wrong-api-key');
      writeFileSync(keyFile, 'not-the-key\n');
      const { client, worker } = await bothFail({ TEMPORAL_ADDRESS: keyed.address, TEMPORAL_TLS_CA_FILE: certs.caCert, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME, TEMPORAL_API_KEY_FILE: keyFile });
      expect(client).toContain(`cannot connect to Temporal at ${keyed.address}, namespace default (TLS + API key)`);
      expect(worker).toContain('API key missing or wrong');
      expect(keyed.calls.at(-1)?.authorization).toBe('Bearer not-the-key');
    });
  });

  // On the real dev server only: the worker bundles the workflows, which `npm test` does often enough elsewhere.
  describeRealEnginesOnly('the production processes', () => {
    const children: ReadyChild[] = [];
    let dataDir: string;
    let database: TestDatabase | undefined;

    afterAll(async () => {
      for (const { child, exited } of children) {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    });

    it('the API connects through mTLS with the server name override and an API key, from environment variables alone', async () => {
      const gate = await proxy({ clientCa: readFileSync(certs.caCert), apiKey: 'api-api-key' });
      database = await createTestDatabase('connections_api');
      const api = await spawnUntilReady(join(repositoryRoot(), 'dist/apps/api/src/main.js'), [], /listening on/, {
        env: {
          TEMPORAL_ADDRESS: gate.address,
          TEMPORAL_TLS_CA_FILE: certs.caCert,
          TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
          TEMPORAL_TLS_CERT_FILE: certs.clientCert,
          TEMPORAL_TLS_KEY_FILE: certs.clientKey,
          TEMPORAL_API_KEY: 'api-api-key',
          DATABASE_URL: database.url,
          AUTH_TOKENS: 'connections-admin-token-0123=admin:admin',
          PORT: String(await freePort()),
        },
        timeoutMs: 60_000,
      });
      children.push(api);
      // At start the API checks its namespace and search attributes: through the proxy, with the key.
      expect(gate.calls.map((call) => call.path.split('/').pop())).toContain('DescribeNamespace');
      expect(gate.calls.every((call) => call.authorization === 'Bearer api-api-key' && call.userAgent?.startsWith('grpc-node-js'))).toBe(true);
    });

    it('polls through mTLS with the server name override and an API key, on both of its connections, from environment variables alone', async () => {
      const gate = await proxy({ clientCa: readFileSync(certs.caCert), apiKey: 'worker-api-key' });
      const keyFile = join(dir, 'worker-api-key');
      writeFileSync(keyFile, 'worker-api-key');
      dataDir = mkdtempSync(join(tmpdir(), 'temporal-tls-worker-'));
      const worker = await spawnUntilReady(join(repositoryRoot(), 'dist/apps/worker/src/main.js'), [], /Temporal worker polling task queue \\?"[^"\\]+\\?" at (\S+, namespace \S+ \([^)]*\))/, {
        env: {
          TEMPORAL_ADDRESS: gate.address,
          TEMPORAL_TLS_CA_FILE: certs.caCert,
          TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
          TEMPORAL_TLS_CERT_FILE: certs.clientCert,
          TEMPORAL_TLS_KEY_FILE: certs.clientKey,
          TEMPORAL_API_KEY_FILE: keyFile,
          TEMPORAL_TASK_QUEUE: `connections-${Date.now()}`,
          DATA_DIR: dataDir,
          RUN_RELAY: 'false',
          RUN_PROJECTOR: 'false',
        },
        timeoutMs: 90_000,
      });
      children.push(worker);
      expect(worker.ready[1]).toBe(`${gate.address}, namespace default (mTLS + API key)`);
      // The worker's NativeConnection long-polls the task queue; its client Connection provisioned the namespace.
      await eventually(async () => (gate.calls.some((call) => call.path.endsWith('/PollWorkflowTaskQueue')) ? true : undefined), 30_000, 'a poll through the proxy');
      expect(gate.calls.every((call) => call.authorization === 'Bearer worker-api-key')).toBe(true);
      expect(new Set(gate.calls.map((call) => call.userAgent?.split('/')[0]))).toEqual(new Set(['grpc-node-js', 'tonic']));
    }, 120_000);
  });
});
