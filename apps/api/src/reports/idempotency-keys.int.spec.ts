// The Idempotency-Key table on a real database (PGlite): a key stands for one request; an action's answer is
// kept once, so a repeat is answered without acting again, even after the case's run continued as new.
import { PGliteDatabase } from '@engine/database';
import { IdempotencyKeys } from './idempotency-keys';
import { IdempotencyKeyReusedError } from './reports.service';

describe('IdempotencyKeys', () => {
  const dbReady = PGliteDatabase.open();
  let schemas = 0;
  let keys: IdempotencyKeys;
  beforeEach(async () => {
    keys = new IdempotencyKeys(await dbReady, `api_keys_${++schemas}`);
    await keys.migrate();
    await keys.migrate();
  });
  afterAll(async () => (await dbReady).close());

  const note = { reportId: 'r1', action: 'AddNote', data: { text: 'Called them' }, actor: 'sam' };

  it("keeps an action's first answer for the key, and refuses the key for another request", async () => {
    expect(await keys.claim('k', note, 'r1')).toEqual({ reportId: 'r1', firstUse: true, attempt: 0 });
    expect(await keys.claim('k', note, 'r1')).toEqual({ reportId: 'r1', firstUse: false, attempt: 0 });
    await keys.recordOutcome('k', { status: 'active', version: 2 });
    await keys.recordOutcome('k', { status: 'active', version: 3 });
    expect(await keys.claim('k', { ...note, data: { text: 'Called them' } }, 'r1')).toEqual({ reportId: 'r1', firstUse: false, attempt: 0, outcome: { status: 'active', version: 2 } });
    await expect(keys.claim('k', { ...note, data: { text: 'Something else' } }, 'r1')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(keys.claim('k', { ...note, expectedVersion: 1 }, 'r1')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('adds the answer column to a table of old, keeping its keys', async () => {
    const db = await dbReady;
    await keys.claim('filed', { platform: 'telegram' }, 'r7');
    await db.exec(`ALTER TABLE api_keys_${schemas}.idempotency_keys DROP COLUMN outcome`);
    await keys.migrate();
    expect(await keys.claim('filed', { platform: 'telegram' }, 'other')).toEqual({ reportId: 'r7', firstUse: false, attempt: 0 });
  });

  it('moves to a fresh try once after a try the API gave up on, and not after an answer', async () => {
    await keys.claim('k', note, 'r1');
    await Promise.all([keys.abandonAttempt('k', 0), keys.abandonAttempt('k', 0)]);
    expect((await keys.claim('k', note, 'r1')).attempt).toBe(1);
    await keys.recordOutcome('k', { version: 2 });
    await keys.abandonAttempt('k', 1);
    expect(await keys.claim('k', note, 'r1')).toMatchObject({ attempt: 1, outcome: { version: 2 } });
  });
});
