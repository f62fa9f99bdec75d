import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_DIRECTORIES, ensurePrivateDataDirectory } from './private-data-directory';

describe('the data directory', () => {
  let parent: string;
  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'private-data-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it("is created for the owner only, with the engine's directories", () => {
    const dir = join(parent, 'data');
    expect(ensurePrivateDataDirectory(dir)).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of ENGINE_DIRECTORIES) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o700);
  });

  it("when open to others, is left as it is but its engine directories are narrowed, and the start is told", () => {
    const dir = join(parent, 'data');
    mkdirSync(join(dir, 'postgres'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'postgres'), 0o755);
    expect(ensurePrivateDataDirectory(dir)).toBe(`${dir} is open to other users (mode 755); its postgres, kafka and temporal directories are kept 0700, but consider chmod 700 ${dir}`);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    for (const name of ENGINE_DIRECTORIES) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o700);
  });
});
