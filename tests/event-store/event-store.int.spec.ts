// The event store's behaviour on PGlite and on PostgreSQL: the same suite against both databases.

import {
  chainHash,
  ConcurrencyConflictError,
  createEventStore,
  cursorAfter,
  DuplicateEventIdError,
  GENESIS_HASH,
  InvalidEventError,
  NewEvent,
  SqlEventStore,
  START_OF_ALL,
  StoredEvent,
} from '@engine/event-store';
import fc from 'fast-check';
import { Backend, describePostgres, jsonObject, pgliteBackend, postgresBackend, reportEvent, reportEvents } from './support';

jest.setTimeout(60_000);

function eventStoreSuite(makeBackend: () => Backend): void {
  let backend: Backend;
  let store: SqlEventStore;

  beforeAll(async () => {
    backend = makeBackend();
    store = await backend.open();
  });
  afterAll(async () => {
    await store?.close();
    await backend?.cleanUp();
  });

  // Every test uses its own streams, so tests do not depend on each other's events.
  let counter = 0;
  const newStream = (label: string) => `report-${label}-${++counter}`;

  async function countAll(): Promise<number> {
    const [row] = await store.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${store.schema}".events`);
    return row.n;
  }

  describe('append and read', () => {
    it('tells the listeners of this store object after an append committed events, not after a refused one', async () => {
      const stream = newStream('listened');
      let told = 0;
      const stop = store.onAppended(() => told++);
      try {
        await store.append(stream, 0, reportEvents(stream, 1, 2));
        expect(told).toBe(1);
        await expect(store.append(stream, 0, reportEvents(stream, 1, 3))).rejects.toBeInstanceOf(ConcurrencyConflictError);
        expect(told).toBe(1);
      } finally {
        stop();
      }
      await store.append(stream, 2, reportEvents(stream, 3, 1));
      expect(told).toBe(1);
    });

    it('appends to a new stream at expected version 0 and reads the events back as given', async () => {
      const stream = newStream('fresh');
      const events = reportEvents(stream, 1, 3);
      const stored = await store.append(stream, 0, events);

      expect(stored.map((event) => event.version)).toEqual([1, 2, 3]);
      expect(stored.map((event) => event.eventId)).toEqual([`${stream}:1`, `${stream}:2`, `${stream}:3`]);
      for (const [index, event] of stored.entries()) {
        expect(event.streamId).toBe(stream);
        expect(event.type).toBe(events[index].type);
        expect(event.schemaVersion).toBe(1);
        expect(event.data).toEqual(events[index].data);
        expect(event.metadata).toEqual(events[index].metadata);
        expect(Number.isSafeInteger(event.globalPosition)).toBe(true);
        expect(event.transactionId).toMatch(/^\d+$/);
        expect(Date.parse(event.recordedAt)).not.toBeNaN();
      }
      expect(stored[1].globalPosition).toBeGreaterThan(stored[0].globalPosition);
      expect(stored[2].globalPosition).toBeGreaterThan(stored[1].globalPosition);

      expect(await store.readStream(stream)).toEqual(stored);
      expect(await store.readStream(stream, 2)).toEqual(stored.slice(1));
      expect(await store.streamVersion(stream)).toBe(3);
    });

    it('reads an unknown stream as empty, at version 0', async () => {
      expect(await store.readStream('report-never-written')).toEqual([]);
      expect(await store.streamVersion('report-never-written')).toBe(0);
    });

    it('chains each event to the previous one with sha256 over the canonical form', async () => {
      const stream = newStream('chain');
      const [first, second] = await store.append(stream, 0, reportEvents(stream, 1, 2));
      expect(first.previousHash).toBe(GENESIS_HASH);
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(first.hash).toBe(chainHash(GENESIS_HASH, first));
      expect(second.previousHash).toBe(first.hash);
      expect(second.hash).toBe(chainHash(first.hash, second));
    });

    it('keeps any JSON exactly: what is read back equals what was appended, and the chain still verifies', async () => {
      await fc.assert(
        fc.asyncProperty(jsonObject, jsonObject, async (data, extraMetadata) => {
          const stream = newStream('json');
          const metadata = { ...extraMetadata, actor: 'alice' };
          const [stored] = await store.append(stream, 0, [reportEvent(stream, 1, { data, metadata })]);
          const [read] = await store.readStream(stream);
          expect(read.data).toEqual(JSON.parse(JSON.stringify(data)));
          expect(read.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
          expect(read).toEqual(stored);
          expect(await store.verifyStream(stream)).toEqual({ ok: true, streamId: stream, version: 1 });
        }),
        { numRuns: 40 },
      );
    });

    it('continues a stream from its current version', async () => {
      const stream = newStream('continue');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      const [second] = await store.append(stream, 1, [reportEvent(stream, 2)]);
      expect(second.version).toBe(2);
      expect((await store.readStream(stream)).map((event) => event.version)).toEqual([1, 2]);
    });
  });

  describe('optimistic concurrency', () => {
    it('refuses an append at a stale expected version with a ConcurrencyConflictError naming the versions', async () => {
      const stream = newStream('stale');
      await store.append(stream, 0, reportEvents(stream, 1, 2));
      const before = await countAll();

      const attempt = store.append(stream, 1, [reportEvent(stream, 2, { eventId: `${stream}:other`, type: 'ReportPaused' })]);
      await expect(attempt).rejects.toBeInstanceOf(ConcurrencyConflictError);
      await expect(attempt).rejects.toMatchObject({ streamId: stream, expectedVersion: 1, actualVersion: 2 });
      await expect(attempt).rejects.toThrow(`Concurrency conflict on stream "${stream}": expected version 1, actual version 2`);
      expect(await countAll()).toBe(before);
    });

    it('refuses an expected version ahead of the stream', async () => {
      const stream = newStream('ahead');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      await expect(store.append(stream, 5, [reportEvent(stream, 6)])).rejects.toMatchObject({
        name: 'ConcurrencyConflictError',
        expectedVersion: 5,
        actualVersion: 1,
      });
      expect(await store.streamVersion(stream)).toBe(1);
    });

    it('lets exactly one of two concurrent appends at the same version win', async () => {
      const stream = newStream('race');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      const results = await Promise.allSettled([
        store.append(stream, 1, [reportEvent(stream, 2, { eventId: `${stream}:a`, type: 'ReportPaused' })]),
        store.append(stream, 1, [reportEvent(stream, 2, { eventId: `${stream}:b`, type: 'ReportResumed' })]),
      ]);
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(ConcurrencyConflictError);
      expect(await store.streamVersion(stream)).toBe(2);
      expect((await store.verifyStream(stream)).ok).toBe(true);
    });

    it('an empty append checks the version and writes nothing', async () => {
      const stream = newStream('empty');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      expect(await store.append(stream, 1, [])).toEqual([]);
      await expect(store.append(stream, 0, [])).rejects.toBeInstanceOf(ConcurrencyConflictError);
    });
  });

  describe('idempotent re-append', () => {
    it('re-appending the same events at the same versions returns the stored events and writes nothing', async () => {
      const stream = newStream('retry');
      const events = reportEvents(stream, 1, 2);
      const first = await store.append(stream, 0, events);
      const before = await countAll();

      const again = await store.append(stream, 0, events);
      expect(again).toEqual(first);
      expect(await countAll()).toBe(before);
    });

    it('is still a no-op after the stream has moved on, and keys may come in another order', async () => {
      const stream = newStream('retry-later');
      const events = reportEvents(stream, 1, 2);
      const first = await store.append(stream, 0, events);
      await store.append(stream, 2, [reportEvent(stream, 3)]);

      const reordered: NewEvent = {
        ...events[1],
        data: { nested: { a: 1, b: 2 }, tags: ['csam', 'urgent'], severity: 'high', reportId: stream },
      };
      expect(await store.append(stream, 1, [reordered])).toEqual([first[1]]);
      expect(await store.streamVersion(stream)).toBe(3);
    });

    it('a different event at a taken version is a conflict, even under the same event id', async () => {
      const stream = newStream('different');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      const sameIdOtherContent = reportEvent(stream, 1, { data: { reportId: stream, severity: 'low' } });
      await expect(store.append(stream, 0, [sameIdOtherContent])).rejects.toMatchObject({
        name: 'ConcurrencyConflictError',
        expectedVersion: 0,
        actualVersion: 1,
      });
      const otherIdSameContent = reportEvent(stream, 1, { eventId: `${stream}:x` });
      await expect(store.append(stream, 0, [otherIdSameContent])).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('a retry that only partly overlaps the stored events is a conflict and writes nothing', async () => {
      const stream = newStream('partial');
      await store.append(stream, 0, [reportEvent(stream, 1)]);
      await expect(store.append(stream, 0, reportEvents(stream, 1, 2))).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect(await store.streamVersion(stream)).toBe(1);
    });

    it('refuses an event id already used elsewhere with a DuplicateEventIdError', async () => {
      const first = newStream('owner');
      const second = newStream('thief');
      await store.append(first, 0, [reportEvent(first, 1)]);
      const attempt = store.append(second, 0, [reportEvent(second, 1, { eventId: `${first}:1` })]);
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(attempt).rejects.toMatchObject({ eventId: `${first}:1`, storedStreamId: first, storedVersion: 1 });
      expect(await store.streamVersion(second)).toBe(0);
    });
  });

  describe('bad input', () => {
    const stream = 'report-bad-input';
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['an empty stream id', () => store.append('', 0, [reportEvent('x', 1)]), /streamId/],
      ['a negative expected version', () => store.append(stream, -1, [reportEvent(stream, 0)]), /expectedVersion/],
      ['a fractional expected version', () => store.append(stream, 0.5, [reportEvent(stream, 1)]), /expectedVersion/],
      ['an empty event id', () => store.append(stream, 0, [reportEvent(stream, 1, { eventId: '' })]), /eventId/],
      ['an empty type', () => store.append(stream, 0, [reportEvent(stream, 1, { type: '' })]), /type/],
      ['schema version 0', () => store.append(stream, 0, [reportEvent(stream, 1, { schemaVersion: 0 })]), /schemaVersion/],
      ['a Date in data', () => store.append(stream, 0, [reportEvent(stream, 1, { data: { at: new Date() } })]), /data\.at is Date/],
      ['NaN in data', () => store.append(stream, 0, [reportEvent(stream, 1, { data: { n: NaN } })]), /NaN/],
      ['a NUL character', () => store.append(stream, 0, [reportEvent(stream, 1, { data: { s: 'a\u0000b' } })]), /NUL/],
      ['an unpaired surrogate', () => store.append(stream, 0, [reportEvent(stream, 1, { data: { s: '\ud800' } })]), /surrogate/],
      ['data that is an array', () => store.append(stream, 0, [reportEvent(stream, 1, { data: [1, 2] })]), /data must be a JSON object/],
      [
        'metadata without an actor',
        () => store.append(stream, 0, [reportEvent(stream, 1, { metadata: { time: 'now' } as unknown as NewEvent['metadata'] })]),
        /metadata\.actor/,
      ],
      ['the same event id twice', () => store.append(stream, 0, [reportEvent(stream, 1), reportEvent(stream, 1)]), /appears twice/],
      ['a bad readAll limit', () => store.readAll(START_OF_ALL, 0), /limit/],
      ['a bad readAll cursor', () => store.readAll({ transactionId: 'x', globalPosition: 1 }, 10), /cursor/],
      ['readStream from version 0', () => store.readStream(stream, 0), /fromVersion/],
    ];
    it.each(cases)('refuses %s with an InvalidEventError and writes nothing', async (_what, call, message) => {
      const before = await countAll();
      const attempt = call();
      await expect(attempt).rejects.toBeInstanceOf(InvalidEventError);
      await expect(attempt).rejects.toThrow(message);
      expect(await countAll()).toBe(before);
    });
  });

  describe('append-only and tamper evidence', () => {
    it('the database refuses UPDATE, DELETE and TRUNCATE of events', async () => {
      const stream = newStream('immutable');
      await store.append(stream, 0, reportEvents(stream, 1, 2));
      const table = `"${store.schema}".events`;
      await expect(store.database.query(`UPDATE ${table} SET type = 'Forged' WHERE stream_id = $1`, [stream])).rejects.toThrow(
        /append-only: UPDATE/,
      );
      await expect(store.database.query(`DELETE FROM ${table} WHERE stream_id = $1`, [stream])).rejects.toThrow(/append-only: DELETE/);
      await expect(store.database.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only: TRUNCATE/);
      expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['ReportTriaged', 'ReportTriaged']);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, streamId: stream, version: 2 });
    });

    it('verifies an intact stream and an empty one', async () => {
      const stream = newStream('intact');
      await store.append(stream, 0, reportEvents(stream, 1, 4));
      expect(await store.verifyStream(stream)).toEqual({ ok: true, streamId: stream, version: 4 });
      expect(await store.verifyStream('report-empty')).toEqual({ ok: true, streamId: 'report-empty', version: 0 });
    });

    // A superuser can switch the trigger off; the hash chain still shows where the history was changed.
    async function behindTheStoresBack(sql: string, params: unknown[]): Promise<void> {
      const table = `"${store.schema}".events`;
      await store.database.transaction(async (tx) => {
        await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER events_refuse_update_delete`);
        await tx.query(sql.replace('$table', table), params);
        await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER events_refuse_update_delete`);
      });
    }

    it('detects changed data at the version where it was changed', async () => {
      const stream = newStream('tampered');
      await store.append(stream, 0, reportEvents(stream, 1, 4));
      await behindTheStoresBack(`UPDATE $table SET data = jsonb_set(data, '{severity}', '"low"') WHERE stream_id = $1 AND version = 2`, [stream]);

      const verification = await store.verifyStream(stream);
      expect(verification).toEqual({
        ok: false,
        streamId: stream,
        brokenAtVersion: 2,
        reason: 'its content does not match its stored hash',
      });
      // The trigger is back on.
      await expect(store.database.query(`UPDATE "${store.schema}".events SET type = 'x' WHERE stream_id = $1`, [stream])).rejects.toThrow(
        /append-only/,
      );
    });

    it('detects a changed metadata value and a recomputed hash that breaks the link to the next event', async () => {
      const stream = newStream('rehashed');
      const stored = await store.append(stream, 0, reportEvents(stream, 1, 3));
      const forged = { ...stored[1], metadata: { ...stored[1].metadata, actor: 'mallory' } };
      const forgedHash = chainHash(stored[0].hash, forged);
      await behindTheStoresBack(`UPDATE $table SET metadata = $2::jsonb, hash = $3 WHERE stream_id = $1 AND version = 2`, [
        stream,
        JSON.stringify(forged.metadata),
        forgedHash,
      ]);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false, brokenAtVersion: 3, reason: expect.stringMatching(/previous hash/) });
    });

    it('detects a deleted event', async () => {
      const stream = newStream('gap');
      await store.append(stream, 0, reportEvents(stream, 1, 3));
      await behindTheStoresBack('DELETE FROM $table WHERE stream_id = $1 AND version = 2', [stream]);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false, brokenAtVersion: 2, reason: expect.stringMatching(/missing/) });
    });
  });

  describe('readAll', () => {
    it('returns committed events of all streams in order, paged by cursor, each stream in version order', async () => {
      const start = await lastCursor();
      const [a, b, c] = [newStream('all-a'), newStream('all-b'), newStream('all-c')];
      const appended: StoredEvent[] = [];
      appended.push(...(await store.append(a, 0, reportEvents(a, 1, 2))));
      appended.push(...(await store.append(b, 0, reportEvents(b, 1, 1))));
      appended.push(...(await store.append(a, 2, reportEvents(a, 3, 2))));
      appended.push(...(await store.append(c, 0, reportEvents(c, 1, 3))));
      appended.push(...(await store.append(b, 1, reportEvents(b, 2, 1))));

      const pages: StoredEvent[][] = [];
      let cursor = start;
      for (;;) {
        const page = await store.readAll(cursor, 3);
        if (page.length === 0) break;
        pages.push(page);
        cursor = cursorAfter(page[page.length - 1]);
      }
      const read = pages.flat().filter((event) => [a, b, c].includes(event.streamId));
      expect(pages.every((page) => page.length <= 3)).toBe(true);
      expect(read.map((event) => event.eventId)).toEqual(appended.map((event) => event.eventId));
      expect(read).toEqual(appended);
      for (const stream of [a, b, c]) {
        const versions = read.filter((event) => event.streamId === stream).map((event) => event.version);
        expect(versions).toEqual([...versions].sort((x, y) => x - y));
      }
      // Sequential appends commit in position order, so here the order is also the global position order.
      const positions = read.map((event) => event.globalPosition);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    });

    it('orders numerically across a change in digit count (positions 9995 to 10004 in one transaction)', async () => {
      const stream = newStream('digits');
      await store.database.exec(`ALTER TABLE "${store.schema}".events ALTER COLUMN global_position RESTART WITH 9995`);
      const start = await lastCursor();
      const appended = await store.append(stream, 0, reportEvents(stream, 1, 10));
      expect(appended[0].globalPosition).toBe(9995);
      expect(appended[9].globalPosition).toBe(10004);
      const read = [...(await store.readAll(start, 4)), ...(await store.readAll(cursorAfter(appended[3]), 100))];
      expect(read.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    async function lastCursor() {
      let cursor = START_OF_ALL;
      for (;;) {
        const page = await store.readAll(cursor, 1000);
        if (page.length === 0) return cursor;
        cursor = cursorAfter(page[page.length - 1]);
      }
    }
  });

  describe('schema', () => {
    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(createEventStore({ schema: 'evil"; DROP TABLE x; --' })).rejects.toBeInstanceOf(InvalidEventError);
    });
  });
}

describe('event store [PGlite]', () => eventStoreSuite(pgliteBackend));
describePostgres('event store', () => eventStoreSuite(postgresBackend));
