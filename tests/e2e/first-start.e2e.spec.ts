// A newcomer's first `npm start`, without AUTH_TOKENS: tokens are generated, kept in the data directory for the
// owner only and printed once; the next start says where they are, and they still work.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, httpClient, startEngine } from './engine-process';

function printedTokens(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^\s+(admin|staff|viewer)\s+\S+\s+Authorization: Bearer (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

describe('the first start without AUTH_TOKENS', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-first-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates, keeps and prints once an admin, a staff and a viewer token that work', async () => {
    const ports = await freeEnginePorts();
    let engine = await startEngine(dataDir, ports, { authTokens: false });
    const tokens = printedTokens(engine.output());
    try {
      expect(Object.keys(tokens).sort()).toEqual(['admin', 'staff', 'viewer']);
      const file = join(dataDir, 'auth-tokens');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(tokens.admin);
      const http = httpClient(engine.baseUrl);
      expect((await http.get('/api/reports', tokens.viewer)).status).toBe(200);
      expect((await http.post('/api/reports/bulk/notes', { ids: ['x'], data: { text: 'x' } }, tokens.viewer)).status).toBe(403);
    } finally {
      expect(await engine.stop()).toBe(0);
    }
    engine = await startEngine(dataDir, ports, { authTokens: false });
    try {
      // Shown once: later starts say where the tokens are, and the same tokens still work.
      expect(printedTokens(engine.output())).toEqual({});
      expect(engine.output()).toContain(`tokens         in ${join(dataDir, 'auth-tokens')}: admin (admin), staff (staff), viewer (viewer)`);
      expect((await httpClient(engine.baseUrl).get('/api/reports', tokens.viewer)).status).toBe(200);
    } finally {
      await engine.stop();
    }
  }, 120_000);
});
