import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClientFiles } from './openapi-files';

describe('the typed client files (libs/api-client)', () => {
  let files: Record<string, string>;
  beforeAll(async () => {
    files = await apiClientFiles();
  });

  it.each(['libs/api-client/openapi.json', 'libs/api-client/src/schema.d.ts'])('%s is current (regenerate with `npm run contracts:client`)', (path) => {
    expect(readFileSync(join(__dirname, '..', '..', '..', path), 'utf8')).toBe(files[path]);
  });

  it('types the routes and the public shapes, not the internal state', () => {
    const types = files['libs/api-client/src/schema.d.ts'];
    expect(types).toContain('"/api/reports/{id}/triage"');
    const detail = types.slice(types.indexOf('        ReportDetailDto: {'), types.indexOf('        ReportSummaryDto: {'));
    expect(detail).toContain('status: "in-triage" | "active" | "paused" | "closed";');
    expect(detail).toContain('policy: components["schemas"]["PolicyReferenceDto"];');
    expect(types).not.toContain('pausedMsInStep');
  });
});
