// The HTTP defence as a client meets it: headers, CORS, rate limits, body limits, the metrics token.

import { DEFAULT_HTTP_DEFENCE, HttpDefenceConfig } from '../config/http-defence-config';
import { bearer, createTestApi, stateOf, TestApi } from '../testing/api-test-app';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function withApi(http: Partial<HttpDefenceConfig>, run: (api: TestApi) => Promise<void>): Promise<void> {
  const api = await createTestApi({ http: { ...DEFAULT_HTTP_DEFENCE, ...http } });
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

describe('with the default settings', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.close());

  it('sends the security headers on API answers, errors included', async () => {
    for (const response of [await api.http.get('/health'), await api.http.get('/api/reports'), await api.http.get('/api/nothing')]) {
      const csp = response.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('keeps Swagger UI working under that policy: its scripts are same-origin files, its inline styles allowed', async () => {
    const page = await api.http.get('/api/docs/').redirects(1);
    expect(page.status).toBe(200);
    const csp: string = page.headers['content-security-policy'];
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    // No inline script (script-src 'self' would block it): every <script> loads a file from the same origin.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(attributes).toMatch(/src="\.\/[^":]+"/);
    }
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => match[1]);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui-init.js', 'swagger-ui.css']));
    for (const asset of assets) {
      const response = await api.http.get(`/api/docs/${asset}`);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    }
    expect((await api.http.get('/api/docs/swagger-ui-init.js')).text).toContain('SwaggerUIBundle(');
  });

  it('grants no cross-origin access: no CORS header on answers, no grant to a preflight', async () => {
    const read = await api.http.get('/health').set('Origin', 'https://elsewhere.example');
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api.http
      .options('/api/reports/r1/notes')
      .set('Origin', 'https://elsewhere.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('answers a body over the limit with 413 in the error shape, and acts on nothing', async () => {
    const response = await api.http
      .post('/api/reports/r1/notes')
      .set('Authorization', bearer('staff'))
      .send({ text: 'x'.repeat(300 * 1024) });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'The request body is larger than the limit of 256 KiB (BODY_LIMIT).' });
    expect(api.reports.act).not.toHaveBeenCalled();
  });

  it('refuses a body nested 5,000 levels deep with 400 on every route that takes a body, acting on nothing', async () => {
    const doc = (await api.http.get('/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      ['post', 'put', 'patch'].filter((method) => method in operations).map((method) => ({ method: method as 'post' | 'put' | 'patch', path })),
    );
    expect(routes.length).toBeGreaterThan(15);
    const deep = `{"text":${'['.repeat(5_000)}1${']'.repeat(5_000)}}`;
    for (const { method, path } of routes) {
      const url = path.replace('{id}', 'r1').replace('{platform}', 'telegram').replace('{action}', 'resume');
      const response = await api.http[method](url).set('Authorization', bearer('admin')).set('Content-Type', 'application/json').send(deep);
      expect({ route: `${method} ${path}`, status: response.status, details: response.body.details }).toEqual({
        route: `${method} ${path}`,
        status: 400,
        details: [{ field: 'body', problems: ['body is nested deeper than 32 levels'] }],
      });
    }
    expect(api.reports.act).not.toHaveBeenCalled();
    expect(api.reports.file).not.toHaveBeenCalled();
    expect(api.policies.change).not.toHaveBeenCalled();
  });

  it('answers malformed JSON with 400 in the error shape, naming the body', async () => {
    const response = await api.http
      .post('/api/reports/r1/notes')
      .set('Authorization', bearer('staff'))
      .set('Content-Type', 'application/json')
      .send('{"text": "unfinished');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON.',
      details: [{ field: 'body', problems: [expect.any(String)] }],
    });
    expect(api.reports.act).not.toHaveBeenCalled();
  });
});

describe('configured', () => {
  it('grants CORS to the listed origins only', async () => {
    await withApi({ corsOrigins: ['https://backoffice.example.org'] }, async (api) => {
      const preflight = (origin: string) =>
        api.http.options('/api/reports/r1/notes').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type');
      const granted = await preflight('https://backoffice.example.org');
      expect(granted.status).toBe(204);
      expect(granted.headers['access-control-allow-origin']).toBe('https://backoffice.example.org');
      expect(granted.headers['access-control-allow-methods']).toContain('POST');
      expect(granted.headers['access-control-allow-headers']).toBe('authorization,content-type');
      expect(granted.headers['access-control-allow-credentials']).toBeUndefined();

      const refused = await preflight('https://backoffice.example.org.evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-methods']).toBeUndefined();

      const read = await api.http.get('/health').set('Origin', 'https://backoffice.example.org');
      expect(read.headers['access-control-allow-origin']).toBe('https://backoffice.example.org');
      // What a browser app needs to read: the case version (for If-Match), where a filed report is, when to retry, the request id.
      expect(read.headers['access-control-expose-headers']).toBe('ETag,Location,Retry-After,WWW-Authenticate,X-Request-Id');
      expect(read.headers.vary).toContain('Origin');
    });
  });

  it('limits each token on its own: 429 with Retry-After in the error shape, then the other token still passes', async () => {
    await withApi({ rateLimits: { readsPerMinute: 3, writesPerMinute: 2 } }, async (api) => {
      api.reports.get.mockResolvedValue(stateOf('r1'));
      const read = (role: 'viewer' | 'staff') => api.http.get('/api/reports/r1').set('Authorization', bearer(role));
      // What the route answers is not the point here (not 429 is): the limit comes before the route.
      for (let i = 0; i < 3; i++) expect((await read('viewer')).status).not.toBe(429);
      const limited = await read('viewer');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(20);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/^Too many reads from this token: the limit is 3 a minute\. Retry after \d+ s\.$/),
        details: { limitPerMinute: 3, retryAfterSeconds: Number(limited.headers['retry-after']), kind: 'read' },
      });
      expect(api.reports.get).toHaveBeenCalledTimes(3);

      expect((await read('staff')).status).not.toBe(429);
      // Writes have their own budget: the viewer's spent reads do not stop the staff member's actions either.
      api.reports.act.mockResolvedValue(stateOf('r1'));
      const note = () => api.http.post('/api/reports/r1/notes').set('Authorization', bearer('staff')).send({ text: 'called the platform' });
      expect((await note()).status).not.toBe(429);
      expect((await note()).status).not.toBe(429);
      expect((await note()).status).toBe(429);
      expect(api.reports.act).toHaveBeenCalledTimes(2);

      // Without a token, the address is the client; the probes are never limited.
      for (let i = 0; i < 3; i++) expect((await api.http.get('/api/reports/r1')).status).toBe(401);
      expect((await api.http.get('/api/reports/r1')).status).toBe(429);
      for (let i = 0; i < 10; i++) expect((await api.http.get('/health')).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await api.http.get('/metrics')).status).toBe(200);

      const metrics = (await api.http.get('/metrics')).text;
      expect(sample(metrics, 'http_rate_limited_total{kind="read",client="token"}')).toBe(1);
      expect(sample(metrics, 'http_rate_limited_total{kind="write",client="token"}')).toBe(1);
      expect(sample(metrics, 'http_rate_limited_total{kind="read",client="address"}')).toBe(1);
    });
  });

  it('limits nothing with the limits at 0', async () => {
    await withApi({ rateLimits: { readsPerMinute: 0, writesPerMinute: 0 } }, async (api) => {
      api.reports.get.mockResolvedValue(stateOf('r1'));
      for (let i = 0; i < 50; i++) expect((await api.http.get('/api/reports/r1').set('Authorization', bearer('viewer'))).status).not.toBe(429);
      expect(api.reports.get).toHaveBeenCalledTimes(50);
    });
  });

  it('takes BODY_LIMIT as given', async () => {
    await withApi({ bodyLimitBytes: 2048 }, async (api) => {
      api.reports.act.mockResolvedValue(stateOf('r1'));
      const note = (length: number) => api.http.post('/api/reports/r1/notes').set('Authorization', bearer('staff')).send({ text: 'x'.repeat(length) });
      expect((await note(1500)).status).not.toBe(413);
      expect(api.reports.act).toHaveBeenCalledTimes(1);
      const refused = await note(3000);
      expect(refused.status).toBe(413);
      expect(refused.body.message).toBe('The request body is larger than the limit of 2 KiB (BODY_LIMIT).');
    });
  });

  it('asks for METRICS_TOKEN on /metrics, and takes no user token instead', async () => {
    await withApi({ metricsToken: 'scrape-token-0123456789' }, async (api) => {
      const missing = await api.http.get('/metrics');
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect(missing.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'The metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.',
      });
      expect((await api.http.get('/metrics').set('Authorization', bearer('admin'))).status).toBe(401);
      expect((await api.http.get('/metrics').set('Authorization', 'Bearer scrape-token-01234567890')).status).toBe(401);
      const scraped = await api.http.get('/metrics').set('Authorization', 'Bearer scrape-token-0123456789');
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('http_requests_total');
      // The metrics token opens the metrics only.
      expect((await api.http.get('/api/reports').set('Authorization', 'Bearer scrape-token-0123456789')).status).toBe(401);
    });
  });
});
