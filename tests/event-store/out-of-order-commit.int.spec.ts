// readAll on real PostgreSQL while transactions commit out of position order: nothing is skipped or reordered.

import { Client } from 'pg';
import { chainHash, createEventStore, cursorAfter, GENESIS_HASH, SqlEventStore, START_OF_ALL, StoredEvent } from '@engine/event-store';
import { describePostgres, dropSchema, eventually, readAllAfter, reportEvent, TEST_DATABASE_URL, uniqueSchema } from './support';

jest.setTimeout(90_000);

describePostgres('readAll with out-of-order commits', () => {
  const schema = uniqueSchema('es_ooo');
  let store: SqlEventStore;
  let first: Client;
  let second: Client;

  beforeAll(async () => {
    store = await createEventStore({ databaseUrl: TEST_DATABASE_URL, schema, maxConnections: 2 });
    first = new Client({ connectionString: TEST_DATABASE_URL });
    second = new Client({ connectionString: TEST_DATABASE_URL });
    await Promise.all([first.connect(), second.connect()]);
  });
  afterAll(async () => {
    await Promise.all([first?.end(), second?.end()]);
    await store?.close();
    await dropSchema(schema);
  });

  /** Writes version 1 of `streamId` in the client's open transaction, as an append would; returns its position. */
  async function insertFirstEvent(client: Client, streamId: string): Promise<number> {
    const content = { streamId, version: 1, eventId: `${streamId}:1`, type: 'ReportFiled', schemaVersion: 1, data: {}, metadata: { actor: 'test' } };
    const { rows } = await client.query<{ global_position: string }>(
      `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, data, metadata, previous_hash, hash)
       VALUES ($1, 1, $2, $3, 1, '{}', $4::jsonb, $5, $6) RETURNING global_position::text`,
      [streamId, content.eventId, content.type, JSON.stringify(content.metadata), GENESIS_HASH, chainHash(GENESIS_HASH, content)],
    );
    return Number(rows[0].global_position);
  }

  const ids = (events: StoredEvent[], streams: string[]) => events.filter((event) => streams.includes(event.streamId)).map((event) => event.eventId);

  it('withholds a later position until an earlier, still open position commits, then returns both in order', async () => {
    const [slow, fast] = ['report-ooo-slow', 'report-ooo-fast'];
    await first.query('BEGIN');
    const slowPosition = await insertFirstEvent(first, slow);
    const [fastEvent] = await store.append(fast, 0, [reportEvent(fast, 1)]);
    expect(fastEvent.globalPosition).toBeGreaterThan(slowPosition);

    // The fast event is committed, but a reader that took it now could never see the slow one behind it.
    expect(ids(await readAllAfter(store), [slow, fast])).toEqual([]);
    expect(await store.readStream(fast)).toHaveLength(1);

    await first.query('COMMIT');
    const read = await eventually(() => readAllAfter(store), (events) => ids(events, [slow, fast]).length === 2);
    expect(ids(read, [slow, fast])).toEqual([`${slow}:1`, `${fast}:1`]);
  });

  it('does not skip a lower position that commits after a higher one was read (the cursor is not the position alone)', async () => {
    const [early, late] = ['report-ooo-early-xid', 'report-ooo-late-xid'];
    const start = cursorAfter((await readAllAfter(store)).at(-1) ?? { ...START_OF_ALL });

    // The first transaction gets its id first but draws its position last; the second draws first, commits last.
    await first.query('BEGIN');
    await first.query('SELECT pg_current_xact_id()');
    await second.query('BEGIN');
    const lowerPosition = await insertFirstEvent(second, late);
    const higherPosition = await insertFirstEvent(first, early);
    expect(lowerPosition).toBeLessThan(higherPosition);
    await first.query('COMMIT');

    const firstRead = await eventually(() => readAllAfter(store, start), (events) => ids(events, [early]).length === 1);
    expect(ids(firstRead, [early, late])).toEqual([`${early}:1`]);
    const cursor = cursorAfter(firstRead[firstRead.length - 1]);
    // A reader keeping only the highest position seen would now stand past the lower position.
    expect(cursor.globalPosition).toBeGreaterThan(lowerPosition);

    await second.query('COMMIT');
    const secondRead = await eventually(() => readAllAfter(store, cursor), (events) => ids(events, [late]).length === 1);
    expect(ids(secondRead, [early, late])).toEqual([`${late}:1`]);
    expect(secondRead.find((event) => event.streamId === late)?.globalPosition).toBe(lowerPosition);
    expect(await store.verifyStream(late)).toEqual({ ok: true, streamId: late, version: 1 });
  });

  it('never returns an event of a transaction that rolled back', async () => {
    const gone = 'report-ooo-rolled-back';
    const start = cursorAfter((await readAllAfter(store)).at(-1) ?? { ...START_OF_ALL });
    await first.query('BEGIN');
    await insertFirstEvent(first, gone);
    await first.query('ROLLBACK');
    const after = 'report-ooo-after-rollback';
    await store.append(after, 0, [reportEvent(after, 1)]);
    const read = await eventually(() => readAllAfter(store, start), (events) => ids(events, [after]).length === 1);
    expect(ids(read, [gone, after])).toEqual([`${after}:1`]);
  });
});
