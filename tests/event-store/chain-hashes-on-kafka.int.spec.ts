// The chain hashes published on the lifecycle topic as a second anchor: verifyEventStore with what
// readPublishedChainHashes read from the (embedded) broker passes an intact store, and reports a stream rewritten
// with recomputed hashes even when no anchor (or a forger holding the anchor key) would, and removed events.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { chainHash, createEventStore, GENESIS_HASH, OutboxRelay, SqlEventStore, verifyEventStore } from '@engine/event-store';
import { createKafka, ensureLifecycleTopic, KafkaLifecyclePublisher, readPublishedChainHashes } from '@engine/kafka';
import { reportEvents } from './support';

jest.setTimeout(90_000);

describe('the chain hashes on Kafka as an anchor [PGlite, embedded Kafka]', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'chain-kafka-'));
  let broker: EmbeddedKafka;
  let store: SqlEventStore;
  let kafka: ReturnType<typeof createKafka>;

  beforeAll(async () => {
    broker = await EmbeddedKafka.start({ port: 0, dataDirectory, initialRebalanceDelayMs: 0 });
    kafka = createKafka({ brokers: [`127.0.0.1:${broker.port}`], clientId: 'chain-kafka-test', log: () => undefined });
    await ensureLifecycleTopic(kafka, { partitions: 2 });
    store = await createEventStore();
    await store.append('report-a', 0, reportEvents('report-a', 1, 3));
    await store.append('report-b', 0, reportEvents('report-b', 1, 2));
    await store.append('policy-telegram', 0, reportEvents('policy-telegram', 1, 1)); // not published: not a report
    const publisher = new KafkaLifecyclePublisher(kafka);
    const relay = new OutboxRelay({ name: 'reports.lifecycle.v1', store, checkpoints: store.checkpointStore(), publisher });
    while ((await relay.runOnce()) > 0);
    await publisher.close();
  });
  afterAll(async () => {
    await store?.close();
    await broker?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function asOwner(sql: string, params: unknown[] = []): Promise<void> {
    const table = `"${store.schema}".events`;
    await store.database.transaction(async (tx) => {
      await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await tx.query(sql.replaceAll('$table', table), params);
      await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    });
  }

  it('passes while the store matches what was published, then reports a recomputed rewrite and removed events', async () => {
    const published = await readPublishedChainHashes(kafka);
    expect(published).toMatchObject({ records: 5, withoutHash: 0, conflicts: [] });
    const intact = await verifyEventStore(store.database, { published });
    expect(intact).toMatchObject({ ok: true, publishedCompared: 5, anchors: 0 });

    // Version 2 of report-a changed and every later hash recomputed: the chain checks out, and there are no anchors.
    let previousHash = GENESIS_HASH;
    for (const event of await store.readStream('report-a')) {
      const data = event.version === 2 ? { ...event.data, severity: 'low' } : event.data;
      const hash = chainHash(previousHash, { ...event, data });
      await asOwner('UPDATE $table SET data = $1::jsonb, previous_hash = $2, hash = $3 WHERE stream_id = $4 AND version = $5', [JSON.stringify(data), previousHash, hash, event.streamId, event.version]);
      previousHash = hash;
    }
    await asOwner(`DELETE FROM $table WHERE stream_id = 'report-b' AND version = 2`);
    expect((await verifyEventStore(store.database)).problems).toEqual([]); // what the chain alone sees

    const result = await verifyEventStore(store.database, { published: await readPublishedChainHashes(kafka) });
    expect(result.problems).toEqual([
      { kind: 'event', streamId: 'report-a', version: 2, reason: expect.stringMatching(/^its hash differs from the one published on Kafka \(partition \d offset \d+\): the stream was rewritten/) },
      { kind: 'event', streamId: 'report-b', version: 2, reason: expect.stringMatching(/^the stream ends at version 1, but version 2 was published on Kafka .*: events were removed/) },
    ]);
  });
});
