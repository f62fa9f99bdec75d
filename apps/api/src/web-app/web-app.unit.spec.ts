// The web app served by the API: its files and pages at /, the API's routes untouched, and its sign-in settings.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';

const INDEX = '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '.secret'), 'hidden');
  return dir;
}

describe('the web app at /', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    dir = builtApp();
    api = await createTestApi({ webApp: { directory: dir } });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / under a CSP that allows its own scripts and styles, revalidated on every visit', async () => {
    const response = await api.http.get('/').set('Accept', 'text/html');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toBe(INDEX);
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
  });

  it('serves the bundles with long caching, and other files as they are', async () => {
    const bundle = await api.http.get('/assets/index-abc123.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    const icon = await api.http.get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it("answers the app's own routes (a reload, a bookmark) with index.html, also paths with a dot", async () => {
    for (const path of ['/cases/r-2026-0001', '/policies/telegram', '/platforms/x.com', '/signin/callback?code=abc&state=xyz']) {
      const response = await api.http.get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
      expect({ path, status: response.status, html: response.text }).toEqual({ path, status: 200, html: INDEX });
    }
  });

  it('answers a missing bundle with 404, not with the page in place of a script', async () => {
    const response = await api.http.get('/assets/index-old.js').set('Accept', '*/*');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect((await api.http.get('/assets/index-old.js').set('Accept', 'text/html')).status).toBe(404);
    expect((await api.http.get('/missing.css').set('Accept', 'text/css,*/*')).status).toBe(404);
  });

  it('never shadows the API: its routes, its 404s, health, metrics and the docs answer as before', async () => {
    const unknown = await api.http.get('/api/nothing-here').set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nothing-here' });
    expect((await api.http.get('/api').set('Accept', 'text/html')).status).toBe(404);
    expect((await api.http.get('/api/reports').set('Accept', 'text/html')).status).toBe(401);
    expect((await api.http.get('/health').set('Accept', 'text/html')).body).toMatchObject({ status: 'ok' });
    expect((await api.http.get('/metrics').set('Accept', 'text/html')).text).toContain('http_requests_total');
    expect((await api.http.get('/api/docs/').redirects(1)).text).toContain('swagger');
    expect((await api.http.get('/health/anything').set('Accept', 'text/html')).status).toBe(404);
  });

  it('serves no hidden files and nothing outside its directory, and only reads', async () => {
    expect((await api.http.get('/.secret').set('Accept', '*/*')).status).toBe(404);
    expect((await api.http.get('/..%2f..%2fetc%2fpasswd').set('Accept', '*/*')).status).toBe(404);
    expect((await api.http.get('/assets/..%2f..%2f..%2fetc%2fpasswd').set('Accept', '*/*')).status).toBe(404);
    expect((await api.http.post('/').set('Accept', 'text/html')).status).toBe(404);
  });

  it('tells the app how to sign in, without a token: with a token when no web client is configured', async () => {
    const response = await api.http.get('/api/web-config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ auth: 'token' });
  });
});

describe('the web app with OIDC sign-in', () => {
  const oidc = { issuer: 'https://login.example.org/realms/authority', clientId: 'report-engine-web', scopes: 'openid profile email' };
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ webApp: { signIn: { auth: 'oidc', oidc } } });
  });
  afterAll(() => api.close());

  it("answers the issuer, the web client and the scopes, and lets pages fetch from the issuer's origin", async () => {
    const response = await api.http.get('/api/web-config');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ auth: 'oidc', oidc });
    expect(response.headers['content-security-policy']).toContain("connect-src 'self' https://login.example.org");
  });

  it('is in the OpenAPI document, public', async () => {
    const doc = (await api.http.get('/api/docs-json').set('Authorization', bearer('viewer'))).body;
    expect(doc.paths['/api/web-config'].get.security).toBeUndefined();
    expect(doc.components.schemas.WebConfigDto.properties.auth.enum).toEqual(['token', 'oidc']);
  });
});

describe('the API without a built web app', () => {
  it('serves the API and nothing at /', async () => {
    const api = await createTestApi({ webApp: {} });
    try {
      expect((await api.http.get('/').set('Accept', 'text/html')).status).toBe(404);
      expect((await api.http.get('/health')).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
