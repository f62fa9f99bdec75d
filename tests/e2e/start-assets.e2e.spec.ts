// `npm start` after `npm run build` bundles no workflow code and runs no initdb: both were made by the build
// (dist/workflow-bundle, dist/pglite-template). A start that did either again would take seconds more.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, httpClient, startEngine } from './engine-process';
import { repositoryRoot } from '../support/repository-root';

describe('npm start uses what the build made', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-start-assets-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the prebuilt workflow bundle and is healthy, on a new data directory and on a restart', async () => {
    expect(existsSync(join(repositoryRoot(), 'dist', 'workflow-bundle', 'manifest.json'))).toBe(true);
    for (const start of ['new', 'restart']) {
      const engine = await startEngine(dataDir, await freeEnginePorts());
      try {
        const health = await waitForHealth(engine.baseUrl);
        expect({ start, status: health }).toEqual({ start, status: 200 });
        expect(engine.output()).toContain('workflow code: prebuilt bundle dist/workflow-bundle/workflows.js');
        expect(engine.output()).not.toContain('bundling workflows/ from source');
      } finally {
        await engine.stop();
      }
    }
  }, 120_000);
});

async function waitForHealth(baseUrl: string, timeoutMs = 60_000): Promise<number> {
  const http = httpClient(baseUrl);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await http.get('/health', null);
    if (status === 200 || Date.now() > until) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
