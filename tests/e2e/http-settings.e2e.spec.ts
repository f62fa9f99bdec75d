// `npm start` with a wrong HTTP defence setting: the start stops before anything listens, with one line that names
// each variable and its problem (no stack trace), and exits non-zero.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, startEngine } from './engine-process';

describe('a start with wrong HTTP settings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-http-settings-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names every wrong setting in one line and exits non-zero', async () => {
    const failure = await startEngine(dataDir, await freeEnginePorts(), {
      env: { CORS_ORIGINS: 'https://backoffice.example.org/app', RATE_LIMIT_PER_MINUTE: 'lots', BODY_LIMIT: '10gb' },
    }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited \(1\) before it was ready/);
    const line = failure?.split('\n').find((text) => text.includes('Invalid configuration'));
    expect(line).toContain('CORS_ORIGINS: "https://backoffice.example.org/app" is not an origin');
    expect(line).toContain('RATE_LIMIT_PER_MINUTE must be a whole number');
    expect(line).toContain('BODY_LIMIT "10gb" must be a size from 1kb to 64mb');
    expect(failure).not.toMatch(/^\s+at /m);
  }, 60_000);
});
