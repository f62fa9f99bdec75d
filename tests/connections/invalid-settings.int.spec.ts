// Every program that connects (the API, the worker, the read-model rebuild and `npm start`) refuses wrong
// connection settings at start: it exits non-zero with a message naming each setting, before it opens a
// connection to anything (the addresses given point at a listener that counts connections).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../support/repository-root';
import { EMBEDDED_KAFKA_SECURITY, EMBEDDED_TEMPORAL_SECURITY } from '../../apps/embedded/src/embedded-config';

describe('wrong connection settings stop a program at start, naming them', () => {
  let trap: Server;
  let trapped = 0;
  let address: string;
  let dataDir: string;
  const missingFile = join(tmpdir(), 'no-such-dir', 'ca.crt');

  beforeAll(async () => {
    trap = createServer((socket) => (trapped++, socket.destroy()));
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(trap.address() as { port: number }).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'invalid-settings-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => trap.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  function run(program: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [join(repositoryRoot(), 'dist', program), ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  it('the API', async () => {
    const { code, output } = await run('apps/api/src/main.js', {
      TEMPORAL_ADDRESS: address,
      DATABASE_URL: `postgresql://postgres@${address}/engine`,
      KAFKA_BROKERS: address,
      AUTH_TOKENS: 'an-admin-token-of-16-chars=admin:admin',
      TEMPORAL_TLS_CERT_FILE: missingFile,
      KAFKA_SASL_MECHANISM: 'gssapi',
      KAFKA_SASL_USERNAME: 'engine',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(code).toBe(1);
    expect(output).toContain('TEMPORAL_TLS_CERT_FILE is set without TEMPORAL_TLS_KEY_FILE: a client certificate and its key go together');
    expect(output).toContain('KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512');
    expect(trapped).toBe(0);
  });

  it('the worker', async () => {
    const { code, output } = await run('apps/worker/src/main.js', {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS: 'yes',
      TEMPORAL_API_KEY: '',
      KAFKA_BROKERS: address,
      KAFKA_SSL_CA_FILE: missingFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
    });
    expect(code).toBe(1);
    expect(output).toContain('TEMPORAL_TLS must be true or false');
    expect(output).toContain('TEMPORAL_API_KEY is empty (leave it unset instead)');
    expect(output).toContain(`KAFKA_SSL_CA_FILE: cannot read "${missingFile}" (ENOENT)`);
    expect(output).toContain('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=scram-sha-512');
    expect(output).toContain('KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required with KAFKA_SASL_MECHANISM=scram-sha-512');
    expect(trapped).toBe(0);
  });

  it('the chain verification against the topic', async () => {
    // The database is not reached: the Kafka settings are read first.
    const { code, output } = await run(
      'apps/worker/src/verify-chain.main.js',
      { DATABASE_URL: 'postgresql://127.0.0.1:1/none', KAFKA_BROKERS: address, KAFKA_SASL_USERNAME: 'engine', KAFKA_SASL_PASSWORD: 'secret' },
      ['--kafka'],
    );
    expect(code).toBe(2); // chain:verify's exit code when it could not run (1: the store failed the check)
    expect(output).toContain('KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set without KAFKA_SASL_MECHANISM');
    expect(trapped).toBe(0);
  });

  it('`npm start`: security settings without a real server address, and wrong ones with it', async () => {
    const strays = await run('apps/embedded/src/main.js', { TEMPORAL_API_KEY: 'key', KAFKA_SSL: 'true' });
    expect(strays.code).toBe(1);
    expect(strays.output).toContain(`TEMPORAL_API_KEY needs TEMPORAL_ADDRESS (${EMBEDDED_TEMPORAL_SECURITY})`);
    expect(strays.output).toContain(`KAFKA_SSL needs KAFKA_BROKERS (${EMBEDDED_KAFKA_SECURITY})`);

    const wrong = await run('apps/embedded/src/main.js', { TEMPORAL_ADDRESS: address, TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal', KAFKA_BROKERS: address });
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('TEMPORAL_TLS is false but TEMPORAL_TLS_SERVER_NAME is set');
    expect(trapped).toBe(0);
  });
});
