// `npm start` on a port another program holds: the start fails in one line that names the address and the
// setting to change (not Node's stack trace of an unhandled 'error' event), and exits non-zero.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, startEngine } from './engine-process';

describe('a start on a taken port', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-taken-port-'));
  let holder: Server;
  afterAll(() => {
    holder?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains the taken address in one line and exits non-zero', async () => {
    const ports = await freeEnginePorts();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(ports.port, '127.0.0.1', resolve));
    const failure = await startEngine(dataDir, ports).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited \(1\) before it was ready/);
    expect(failure).toContain(`127.0.0.1:${ports.port} is already in use by another program: stop it, or choose another PORT (or HOST)`);
    expect(failure).not.toContain("Unhandled 'error' event");
    expect(failure).not.toMatch(/^\s+at /m);
  }, 60_000);

  // The stand-ins start in a thread of their own: a port one of them cannot take fails the start the same way.
  it.each([
    ['embedded Temporal', 'temporalPort', 'TEMPORAL_PORT'],
    ['embedded Kafka', 'kafkaPort', 'KAFKA_PORT'],
  ] as const)('explains a port the %s cannot take, naming its setting', async (_name, key, setting) => {
    holder?.close();
    const ports = await freeEnginePorts();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(ports[key], '127.0.0.1', resolve));
    const failure = await startEngine(dataDir, ports).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited \(1\) before it was ready/);
    expect(failure).toContain(`127.0.0.1:${ports[key]} is already in use by another program: stop it, or choose another ${setting}`);
    expect(failure).not.toMatch(/^\s+at /m);
  }, 60_000);
});
