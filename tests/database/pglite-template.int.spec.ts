// A new PGlite database is unpacked from the template `npm run build` made instead of running initdb; one made by
// another PGlite version is not used; an existing data directory is opened as it is.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGliteDatabase, pgliteTemplate, writePgliteTemplate } from '@engine/database';

describe('the PGlite template', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'pglite-template-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is written once per PGlite version, and one of another version is not used', async () => {
    const directory = join(scratch, 'template');
    expect(pgliteTemplate(directory)).toBeUndefined();
    expect((await writePgliteTemplate(directory)).written).toBe(true);
    expect(pgliteTemplate(directory)).toBeInstanceOf(Blob);
    expect((await writePgliteTemplate(directory)).written).toBe(false);
    writeFileSync(join(directory, 'pglite-version'), '0.0.1\n');
    expect(pgliteTemplate(directory)).toBeUndefined();
  }, 120_000);

  it('makes a new data directory that works and is kept, and opens it again as it is', async () => {
    if (!pgliteTemplate()) throw new Error('no template in dist/pglite-template: run `npm run build:server` first');
    const dataDir = join(scratch, 'data');
    const created = await PGliteDatabase.open(dataDir);
    expect(created.origin).toBe('template');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await created.exec('CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$there$$)');
    await created.close();
    const reopened = await PGliteDatabase.open(dataDir);
    expect(reopened.origin).toBe('existing');
    expect(await reopened.query('SELECT value FROM kept')).toEqual([{ value: 'there' }]);
    expect(await reopened.query("SELECT current_setting('server_encoding') AS encoding")).toEqual([{ encoding: 'UTF8' }]);
    await reopened.close();
  }, 120_000);

  it('gives in-memory databases a fresh copy each', async () => {
    const first = await PGliteDatabase.open();
    const second = await PGliteDatabase.open();
    expect(first.origin).toBe('template');
    await first.exec('CREATE TABLE only_in_first (value int)');
    expect(await second.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_first'")).toEqual([{ n: 0 }]);
    await Promise.all([first.close(), second.close()]);
  }, 120_000);
});
