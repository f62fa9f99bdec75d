import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractFiles } from './contract-files';

describe('the published contract files', () => {
  it.each(Object.entries(contractFiles()))('%s is current (regenerate with `npm run contracts:write`)', (path, content) => {
    expect(readFileSync(join(__dirname, '..', '..', '..', path), 'utf8')).toBe(content);
  });
});
