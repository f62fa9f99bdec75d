import { createTestApi, TestApi } from './testing/api-test-app';
import { REPORT_ACTION_ROUTE_NAMES } from './reports/dto/report-actions.dto';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('the configured app', () => {
  it('publishes the OpenAPI document with every route, the bearer scheme and the DTO schemas', async () => {
    const response = await api.http.get('/api/docs-json');
    expect(response.status).toBe(200);
    const doc = response.body;
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/reports',
        '/api/reports/{id}',
        '/api/reports/{id}/events',
        '/api/reports/bulk/{action}',
        '/api/policies/{platform}',
        '/api/policies/{platform}/versions',
        '/api/platforms/{platform}/scorecard',
        '/health',
        '/metrics',
        ...REPORT_ACTION_ROUTE_NAMES.map((route) => `/api/reports/{id}/${route}`),
      ]),
    );
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.paths['/api/reports/{id}/triage'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health'].get.security).toBeUndefined();

    // Validation decorators carry the documentation: enums come from the domain, ids carry their pattern.
    const triage = doc.components.schemas.TriageDto;
    expect(triage.properties.decision.enum).toEqual(['dismiss', 'actionable']);
    expect(triage.properties.severity.enum).toEqual(['critical', 'high', 'standard']);
    expect(triage.required).toEqual(['decision']);
    expect(doc.components.schemas.DuplicateDto.properties.duplicateOf.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');
    expect(doc.components.schemas.FileReportDto.required).toEqual(
      expect.arrayContaining(['platform', 'channel', 'contentLocations', 'excerpt', 'evidenceHash', 'seenAt', 'reporterReference']),
    );
  });

  it('resolves every schema reference of the document (nested bodies included) to a named schema', async () => {
    const doc = (await api.http.get('/api/docs-json')).body;
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]*)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !doc.components.schemas[name])).toEqual([]);
    expect(doc.components.schemas.FileReportDto.properties.contentLocations.items).toEqual({ $ref: '#/components/schemas/ContentLocationDto' });
    expect(doc.components.schemas.TriageDto.properties.actions.allOf ?? [doc.components.schemas.TriageDto.properties.actions]).toContainEqual({
      $ref: '#/components/schemas/TriageActionsDto',
    });
  });

  it('serves Swagger UI at /api/docs without a token', async () => {
    const response = await api.http.get('/api/docs/').redirects(1);
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger');
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const response = await api.http.get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /api/nothing-here' });
  });

  it("passes on the body parser's client errors (too large) instead of answering 500", async () => {
    const response = await api.http
      .post('/api/reports/r1/notes')
      .set('Authorization', 'Bearer staff-token-0123456789')
      .send({ text: 'x'.repeat(300_000) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is larger than the limit of 256 KiB (BODY_LIMIT).',
    });
  });

  it('does not advertise the framework', async () => {
    const response = await api.http.get('/health');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
