import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDataDirectory } from './private-data-directory';

describe('the data directory', () => {
  let parent: string;
  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'private-data-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('is created for the owner only', () => {
    const dir = join(parent, 'data');
    expect(ensurePrivateDataDirectory(dir)).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is narrowed when others may enter it, and the start is told', () => {
    const dir = join(parent, 'data');
    ensurePrivateDataDirectory(dir);
    chmodSync(dir, 0o755);
    expect(ensurePrivateDataDirectory(dir)).toBe(`${dir} was open to other users (mode 755); narrowed to 700`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
