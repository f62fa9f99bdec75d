import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDataDirectory, BackupError, MANIFEST_FILE } from './data-backup';
import { restoreDataDirectory } from './data-restore';

const asIs = <T>(copy: () => Promise<T>): Promise<T> => copy();

describe('backup and restore of a data directory (offline)', () => {
  let root: string;
  let data: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-backup-unit-'));
    data = join(root, 'data');
    mkdirSync(join(data, 'kafka'), { recursive: true });
    mkdirSync(join(data, 'postgres', 'base'), { recursive: true });
    writeFileSync(join(data, 'auth-tokens'), 'secret', { mode: 0o600 });
    writeFileSync(join(data, 'postgres', 'base', '1'), 'pages');
    writeFileSync(join(data, 'kafka', 'broker.lock'), '999999999'); // a broker killed long ago
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('copies every file but the process locks, with checksums, and restores them into a new directory', async () => {
    const manifest = await backupDataDirectory(data, join(root, 'b'), asIs, false);
    expect(manifest.files.map((file) => file.path)).toEqual(['auth-tokens', 'postgres/base/1']);
    expect(statSync(join(root, 'b')).mode & 0o777).toBe(0o700);
    const restored = await restoreDataDirectory(join(root, 'b'), join(root, 'new'));
    expect(restored.movedAside).toBeUndefined();
    expect(readFileSync(join(root, 'new', 'postgres', 'base', '1'), 'utf8')).toBe('pages');
    expect(statSync(join(root, 'new', 'auth-tokens')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'new')).mode & 0o777).toBe(0o700);
  });

  it('refuses a target inside the data directory or one that is not empty, and leaves no partial backup', async () => {
    await expect(backupDataDirectory(data, join(data, 'b'), asIs, false)).rejects.toThrow(/is inside the data directory/);
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'x'), 'x');
    await expect(backupDataDirectory(data, join(root, 'full'), asIs, false)).rejects.toThrow(/exists and is not an empty directory/);
    await expect(backupDataDirectory(data, join(root, 'c'), () => Promise.reject(new Error('disk full')), false)).rejects.toThrow('disk full');
    expect(readdirSync(root).sort()).toEqual(['data', 'full']);
  });

  it('refuses a damaged or incomplete backup, and a non-empty directory unless told, which it then moves aside', async () => {
    await backupDataDirectory(data, join(root, 'b'), asIs, false);
    await expect(restoreDataDirectory(join(root, 'b'), data)).rejects.toThrow(/is not empty; restore into a new directory, or pass --replace/);
    const replaced = await restoreDataDirectory(join(root, 'b'), data, { replace: true });
    expect(existsSync(join(replaced.movedAside!, 'kafka', 'broker.lock'))).toBe(true);

    writeFileSync(join(root, 'b', 'data', 'auth-tokens'), 'changed');
    await expect(restoreDataDirectory(join(root, 'b'), join(root, 'n1'))).rejects.toThrow(/auth-tokens does not match its checksum/);
    unlinkSync(join(root, 'b', MANIFEST_FILE));
    await expect(restoreDataDirectory(join(root, 'b'), join(root, 'n2'))).rejects.toThrow(BackupError);
    expect(existsSync(join(root, 'n1')) || existsSync(join(root, 'n2'))).toBe(false);
  });
});
