// The stream heads anchored outside the events table, and verifyEventStore: an intact store passes, a changed
// event is reported where it was changed, and a stream rewritten with recomputed hashes (which the chain alone
// cannot see) is reported through its anchors; so are removed or forged anchors.

import {
  chainHash,
  ChainAnchorKey,
  ChainAnchoring,
  GENESIS_HASH,
  OutboxRelay,
  SqlEventStore,
  StoredEvent,
  verifyEventStore,
  VerifyStoreOptions,
} from '@engine/event-store';
import { Backend, describePostgres, pgliteBackend, postgresBackend, reportEvent, reportEvents } from './support';

jest.setTimeout(60_000);

const KEY = new ChainAnchorKey(Buffer.from('a-test-anchor-key-of-enough-length'));
const RELAY = 'reports.lifecycle.v1';

function chainAnchorSuite(makeBackend: () => Backend): void {
  let backend: Backend;
  let store: SqlEventStore;

  // A store of its own per test (a schema of its own on PostgreSQL): anchors and checkpoints are store-wide.
  beforeEach(async () => {
    backend = makeBackend();
    store = await backend.open();
  });
  afterEach(async () => {
    await store?.close();
    await backend?.cleanUp();
  });

  const verify = (options: Omit<VerifyStoreOptions, 'schema'> = {}) => verifyEventStore(store.database, { schema: store.schema, ...options });

  /** Runs the relay with anchoring until it has passed every stored event (the publisher keeps nothing). */
  async function relayEverything(key = KEY): Promise<void> {
    const relay = new OutboxRelay({
      name: RELAY,
      store,
      checkpoints: store.checkpointStore(),
      publisher: { publish: async () => undefined },
      anchoring: new ChainAnchoring(store.chainAnchorLog(), key),
    });
    while ((await relay.runOnce()) > 0);
  }

  async function asOwner(table: 'events' | 'chain_anchors', sql: string, params: unknown[] = []): Promise<void> {
    const name = `"${store.schema}".${table}`;
    await store.database.transaction(async (tx) => {
      await tx.query(`ALTER TABLE ${name} DISABLE TRIGGER USER`);
      await tx.query(sql.replaceAll('$table', name), params);
      await tx.query(`ALTER TABLE ${name} ENABLE TRIGGER USER`);
    });
  }

  async function fileTwoReports(): Promise<void> {
    await store.append('report-a', 0, reportEvents('report-a', 1, 3));
    await store.append('report-b', 0, reportEvents('report-b', 1, 2));
    await relayEverything();
    await store.append('report-a', 3, reportEvents('report-a', 4, 2));
    await relayEverything();
  }

  it('passes an intact store, every relayed head anchored and every anchor signed', async () => {
    await fileTwoReports();
    await store.append('report-c', 0, reportEvents('report-c', 1, 1)); // not relayed yet: not anchored, still fine
    const result = await verify({ key: KEY });
    expect(result).toMatchObject({ ok: true, streams: 3, events: 8, anchors: 2, anchorsChecked: true, eventsAfterRelay: 1, problems: [] });
    expect(result.lastAnchor?.sequence).toBe(2);
  });

  it('reports an event whose payload was changed by the table owner at that event', async () => {
    await fileTwoReports();
    await asOwner('events', `UPDATE $table SET data = jsonb_set(data, '{severity}', '"low"') WHERE stream_id = 'report-a' AND version = 4`);
    const result = await verify({ key: KEY });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toEqual({ kind: 'event', streamId: 'report-a', version: 4, reason: 'its content (event id, type, data or metadata) does not match its stored hash' });
  });

  it('reports a whole stream rewritten with recomputed hashes through its anchor, which the chain alone misses', async () => {
    await fileTwoReports();
    // The rewrite an owner of the table can do: change version 2 and recompute every later hash.
    const events = await store.readStream('report-a');
    let previousHash = GENESIS_HASH;
    const rewritten: StoredEvent[] = events.map((event) => {
      const data = event.version === 2 ? { ...event.data, severity: 'low' } : event.data;
      const hash = chainHash(previousHash, { ...event, data });
      const next = { ...event, data, previousHash, hash };
      previousHash = hash;
      return next;
    });
    for (const event of rewritten) {
      await asOwner('events', `UPDATE $table SET data = $1::jsonb, previous_hash = $2, hash = $3 WHERE stream_id = $4 AND version = $5`, [
        JSON.stringify(event.data),
        event.previousHash,
        event.hash,
        event.streamId,
        event.version,
      ]);
    }
    expect(await store.verifyStream('report-a')).toEqual({ ok: true, streamId: 'report-a', version: 5 });

    const result = await verify({ key: KEY });
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'event', streamId: 'report-a', version: 3 });
    expect((result.problems[0] as { reason: string }).reason).toMatch(/differs from the one anchor #1 recorded .*rewritten with recomputed hashes at or before version 3/);
  });

  it('reports removed events that an anchor had recorded', async () => {
    await fileTwoReports();
    await asOwner('events', `DELETE FROM $table WHERE stream_id = 'report-b'`);
    const result = await verify({ key: KEY });
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'event', streamId: 'report-b', version: 1, reason: expect.stringMatching(/its events were removed/) })]);
  });

  it('reports an anchor removed in the middle, and relayed events left unanchored when the newest anchors go', async () => {
    await fileTwoReports();
    await store.append('report-b', 2, [reportEvent('report-b', 3)]);
    await relayEverything();
    await asOwner('chain_anchors', 'DELETE FROM $table WHERE sequence = 2');
    expect((await verify({ key: KEY })).problems).toContainEqual(
      expect.objectContaining({ kind: 'anchor', sequence: 3, reason: expect.stringMatching(/anchor #2 is missing/) }),
    );
    await asOwner('chain_anchors', 'DELETE FROM $table WHERE sequence = 3');
    const result = await verify({ key: KEY });
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'event', streamId: 'report-a', version: 4, reason: expect.stringMatching(/published by the relay \(up to version 5\) but never anchored/) }),
      expect.objectContaining({ kind: 'event', streamId: 'report-b', version: 3 }),
    ]);
  });

  it('reports an anchor forged without the key, and one signed with another key', async () => {
    await fileTwoReports();
    await asOwner('chain_anchors', `UPDATE $table SET heads = jsonb_set(heads, '{0,hash}', '"${'f'.repeat(64)}"') WHERE sequence = 1`);
    const forged = await verify({ key: KEY });
    expect(forged.problems).toContainEqual(expect.objectContaining({ kind: 'anchor', sequence: 1, reason: expect.stringMatching(/forged or changed/) }));

    const other = new ChainAnchorKey(Buffer.from('another-key-another-key-another'));
    const result = await verify({ key: other });
    expect(result.problems[result.problems.length - 1]).toMatchObject({ kind: 'anchor', sequence: 1, reason: expect.stringMatching(/signed with another key/) });
  });

  it('anchors what the relay passed before anchoring was switched on, and fails a store with anchors but no key', async () => {
    await store.append('report-old', 0, reportEvents('report-old', 1, 2));
    // An older relay (no anchoring) published these.
    await store.checkpointStore().save(RELAY, { transactionId: (await store.readStream('report-old'))[1].transactionId, globalPosition: (await store.readStream('report-old'))[1].globalPosition });
    expect((await verify()).warnings[0]).toMatch(/no chain anchor key/);
    await store.append('report-new', 0, reportEvents('report-new', 1, 1));
    await relayEverything();
    const result = await verify({ key: KEY });
    expect(result).toMatchObject({ ok: true, anchors: 2, anchoredHeads: 2 });
    expect((await verify()).problems[0]).toMatchObject({ kind: 'anchor', reason: expect.stringMatching(/no key was given/) });
  });

  it('keeps anchoring past the tenth anchor and reads the log in numeric order (sequence 10 after 9, not after 1)', async () => {
    const log = store.chainAnchorLog();
    for (let version = 1; version <= 12; version++) {
      await store.append('report-a', version - 1, reportEvents('report-a', version, 1));
      await relayEverything();
    }
    const sequences: number[] = [];
    for await (const anchor of log.all()) sequences.push(anchor.sequence);
    expect(sequences).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await verify({ key: KEY })).toMatchObject({ ok: true, anchors: 12 });
  });

  it('the anchor log is append-only', async () => {
    await fileTwoReports();
    await expect(store.database.query(`DELETE FROM "${store.schema}".chain_anchors`)).rejects.toThrow(/append-only/);
    await expect(store.database.query(`UPDATE "${store.schema}".chain_anchors SET mac = 'x'`)).rejects.toThrow(/append-only/);
  });
}

describe('chain anchors and verifyEventStore [PGlite]', () => chainAnchorSuite(pgliteBackend));
describePostgres('chain anchors and verifyEventStore', () => chainAnchorSuite(postgresBackend));
