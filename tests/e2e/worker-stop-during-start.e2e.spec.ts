// A worker told to stop (SIGTERM, as Kubernetes and systemd do) while it is still starting stops, exit 0,
// instead of the Temporal SDK taking the signal and leaving the process running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { startProgram } from './engine-process';

describe('a worker stopped during its start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'worker-stop-during-start-'));
  let server: EmbeddedTemporalServer;
  beforeAll(async () => {
    server = await EmbeddedTemporalServer.start({ port: 0 });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 promptly on SIGTERM before it polls', async () => {
    // Ready as soon as Nest starts: long before the workflow bundle is built and the worker polls.
    const worker = await startProgram(
      'dist/apps/worker/src/main.js',
      [],
      { TEMPORAL_ADDRESS: server.address, DATA_DIR: dataDir, RUN_RELAY: 'false', RUN_PROJECTOR: 'false' },
      'Starting Nest application',
    );
    const stopped = Date.now();
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output()).not.toContain('Temporal worker polling');
    expect(Date.now() - stopped).toBeLessThan(15_000);
  }, 60_000);
});
