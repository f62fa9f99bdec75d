import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPORT_EVENT_TYPES, reportEventSchemaVersions } from '@engine/contracts';
import { createTestApi, TestApi } from '../testing/api-test-app';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const committed = (path: string) => JSON.parse(readFileSync(join(__dirname, '../../../../libs/contracts', path), 'utf8'));

describe('GET /api/contracts', () => {
  it('serves the AsyncAPI document, the same as the committed contract file, without a token', async () => {
    const response = await api.http.get('/api/contracts/asyncapi.json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.asyncapi).toBe('3.0.0');
    expect(response.body).toEqual(committed('asyncapi.json'));
  });

  it('lists a JSON Schema per event type and version, each served as committed and compiling as draft 2020-12', async () => {
    const list = await api.http.get('/api/contracts/schemas');
    expect(list.status).toBe(200);
    expect(list.body.filter((link: { version: number }) => link.version === 1).map((link: { type: string }) => link.type)).toEqual(REPORT_EVENT_TYPES);
    expect(list.body.map(({ type, version }: { type: string; version: number }) => ({ type, version }))).toEqual(reportEventSchemaVersions());
    expect(list.body).toContainEqual({ type: 'PlatformResponseRecorded', version: 2, href: '/api/contracts/schemas/PlatformResponseRecorded.v2.json' });
    const ajv = addFormats(new Ajv2020({ strict: true, strictRequired: false }));
    for (const { type, version, href } of list.body as { type: string; version: number; href: string }[]) {
      const schema = await api.http.get(href).buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, JSON.parse(text)));
      });
      expect(schema.status).toBe(200);
      expect(schema.headers['content-type']).toMatch(/^application\/schema\+json/);
      expect(schema.body).toEqual(committed(`schemas/${type}.v${version}.json`));
      expect(() => ajv.compile(schema.body)).not.toThrow();
    }
  });

  it('answers 404 in the error shape for an unknown schema', async () => {
    const response = await api.http.get('/api/contracts/schemas/ReportVanished.v1.json');
    expect(response.status).toBe(404);
    expect((await api.http.get('/api/contracts/schemas/NoteAdded.v2.json')).status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, message: expect.stringContaining('GET /api/contracts/schemas lists them') });
  });

  it('is part of the OpenAPI document', async () => {
    const document = await api.http.get('/api/docs-json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/api/contracts/asyncapi.json', '/api/contracts/schemas', '/api/contracts/schemas/{file}']),
    );
  });
});
