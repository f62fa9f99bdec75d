// PGlite with a data directory: everything survives closing and reopening the store.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, START_OF_ALL } from '@engine/event-store';
import { readAllAfter, reportEvents } from './support';

jest.setTimeout(60_000);

describe('event store on a PGlite data directory', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'event-store-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps streams, hash chains, positions and checkpoints across a reopen, and continues where it stopped', async () => {
    const stream = 'report-durable';
    const other = 'report-durable-other';
    const first = await createEventStore({ dataDir, schema: 'engine_events' });
    const written = [...(await first.append(stream, 0, reportEvents(stream, 1, 3))), ...(await first.append(other, 0, reportEvents(other, 1, 1)))];
    await first.checkpointStore().save('reports.lifecycle.v1', { transactionId: written[2].transactionId, globalPosition: written[2].globalPosition });
    await first.close();

    const reopened = await createEventStore({ dataDir, schema: 'engine_events' });
    try {
      expect(await reopened.readStream(stream)).toEqual(written.slice(0, 3));
      expect(await readAllAfter(reopened, START_OF_ALL)).toEqual(written);
      expect(await reopened.verifyStream(stream)).toEqual({ ok: true, streamId: stream, version: 3 });
      expect(await reopened.checkpointStore().load('reports.lifecycle.v1')).toEqual({
        transactionId: written[2].transactionId,
        globalPosition: written[2].globalPosition,
      });

      const [fourth] = await reopened.append(stream, 3, reportEvents(stream, 4, 1));
      expect(fourth.version).toBe(4);
      expect(fourth.previousHash).toBe(written[2].hash);
      expect(fourth.globalPosition).toBeGreaterThan(written[3].globalPosition);
      expect(await reopened.verifyStream(stream)).toEqual({ ok: true, streamId: stream, version: 4 });
      // A retried append from before the restart is still recognised as already done.
      expect(await reopened.append(stream, 0, reportEvents(stream, 1, 3))).toEqual(written.slice(0, 3));
    } finally {
      await reopened.close();
    }
  });

  it('applies its migrations once: a second schema in the same directory starts empty', async () => {
    const store = await createEventStore({ dataDir, schema: 'other_events' });
    try {
      expect(await readAllAfter(store)).toEqual([]);
      // Each migration once, and the same ones as the first schema went through (opened twice above).
      const [row] = await store.database.query<{ n: number; versions: number; first: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT version)::int AS versions,
                (SELECT count(*)::int FROM engine_events.schema_migrations) AS first
         FROM other_events.schema_migrations`,
      );
      expect(row.n).toBeGreaterThan(0);
      expect(row).toEqual({ n: row.versions, versions: row.first, first: row.first });
    } finally {
      await store.close();
    }
  });
});
