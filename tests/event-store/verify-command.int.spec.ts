// `npm run chain:verify` (dist/apps/worker/src/verify-chain.main.js) on a PGlite data directory as npm start
// leaves it: exit 0 and a summary for an intact store; exit 1 naming the first broken event for a changed payload,
// and the anchor that catches a stream rewritten with recomputed hashes. Needs `npm run build`.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { createKafka, ensureLifecycleTopic, KafkaLifecyclePublisher } from '@engine/kafka';
import {
  CHAIN_ANCHOR_KEY_FILE_NAME,
  chainHash,
  ChainAnchoring,
  createEventStore,
  ensureChainAnchorKeyFile,
  GENESIS_HASH,
  OutboxRelay,
  readChainAnchorKey,
  SqlEventStore,
} from '@engine/event-store';
import { repositoryRoot } from '../support/repository-root';
import { reportEvents } from './support';

jest.setTimeout(120_000);

async function chainVerify(dataDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repositoryRoot(), 'dist/apps/worker/src/verify-chain.main.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', CHAIN_ANCHOR_KEY: '', CHAIN_ANCHOR_KEY_FILE: '', KAFKA_BROKERS: '', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('npm run chain:verify', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chain-verify-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function withStore(work: (store: SqlEventStore) => Promise<void>): Promise<void> {
    const store = await createEventStore({ dataDir: join(dataDir, 'postgres') });
    try {
      await work(store);
    } finally {
      await store.close();
    }
  }

  async function asOwner(store: SqlEventStore, sql: string, params: unknown[]): Promise<void> {
    const table = `"${store.schema}".events`;
    await store.database.transaction(async (tx) => {
      await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await tx.query(sql.replaceAll('$table', table), params);
      await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    });
  }

  it('passes an intact store, reports a changed payload at its event, and a recomputed rewrite through its anchor', async () => {
    const keyFile = join(dataDir, CHAIN_ANCHOR_KEY_FILE_NAME);
    ensureChainAnchorKeyFile(keyFile);
    const key = readChainAnchorKey({}, keyFile)!;
    await withStore(async (store) => {
      await store.append('report-a', 0, reportEvents('report-a', 1, 3));
      await store.append('report-b', 0, reportEvents('report-b', 1, 3));
      const relay = new OutboxRelay({
        name: 'reports.lifecycle.v1',
        store,
        checkpoints: store.checkpointStore(),
        publisher: { publish: async () => undefined },
        anchoring: new ChainAnchoring(store.chainAnchorLog(), key),
      });
      while ((await relay.runOnce()) > 0);
    });

    const intact = await chainVerify(dataDir);
    expect(intact.output).toMatch(/2 streams, 6 events \(0 not yet relayed/);
    expect(intact.output).toMatch(/1 anchors with 2 stream heads, signatures checked/);
    expect(intact.output).toMatch(/OK: every stream is intact/);
    expect(intact.code).toBe(0);

    await withStore((store) => asOwner(store, `UPDATE $table SET data = jsonb_set(data, '{severity}', '"low"') WHERE stream_id = 'report-a' AND version = 2`, []));
    const tampered = await chainVerify(dataDir);
    expect(tampered.output).toMatch(/FAILED: 1 problem\n {2}first broken: stream report-a version 2: its content .* does not match its stored hash/);
    expect(tampered.code).toBe(1);

    // report-b rewritten whole: version 1 changed, every hash after it recomputed, so its chain checks out.
    await withStore(async (store) => {
      let previousHash = GENESIS_HASH;
      for (const event of await store.readStream('report-b')) {
        const data = event.version === 1 ? { ...event.data, severity: 'low' } : event.data;
        const hash = chainHash(previousHash, { ...event, data });
        await asOwner(store, 'UPDATE $table SET data = $1::jsonb, previous_hash = $2, hash = $3 WHERE stream_id = $4 AND version = $5', [JSON.stringify(data), previousHash, hash, event.streamId, event.version]);
        previousHash = hash;
      }
      expect(await store.verifyStream('report-b')).toMatchObject({ ok: true });
    });
    const rewritten = await chainVerify(dataDir);
    expect(rewritten.output).toMatch(/also: stream report-b version 3: its hash differs from the one anchor #1 recorded/);
    expect(rewritten.code).toBe(1);
  });

  it('says so when the data directory holds no database, and creates none there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'chain-verify-empty-'));
    try {
      const result = await chainVerify(empty);
      expect(result.output).toMatch(/chain:verify could not run: there is no PGlite database in .*postgres/);
      expect(result.code).toBe(2);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('npm run chain:verify -- --kafka', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chain-verify-kafka-'));
  let broker: EmbeddedKafka;
  afterAll(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('compares the store with the hashes on the topic, and reports a rewrite there without any anchor', async () => {
    // Not in DATA_DIR/kafka: a broker holding that directory is an engine running on it, and the command refuses.
    broker = await EmbeddedKafka.start({ port: 0, dataDirectory: join(dataDir, 'outside-kafka'), initialRebalanceDelayMs: 0 });
    const kafka = createKafka({ brokers: [`127.0.0.1:${broker.port}`], clientId: 'verify-kafka-test', log: () => undefined });
    await ensureLifecycleTopic(kafka, { partitions: 1 });
    const store = await createEventStore({ dataDir: join(dataDir, 'postgres') });
    try {
      await store.append('report-k', 0, reportEvents('report-k', 1, 3));
      const publisher = new KafkaLifecyclePublisher(kafka);
      const relay = new OutboxRelay({ name: 'reports.lifecycle.v1', store, checkpoints: store.checkpointStore(), publisher });
      while ((await relay.runOnce()) > 0);
      await publisher.close();
    } finally {
      await store.close();
    }
    const env = { KAFKA_BROKERS: `127.0.0.1:${broker.port}` };
    const intact = await chainVerify(dataDir, ['--kafka'], env);
    expect(intact.output).toMatch(/read 3 records from reports.lifecycle.v1 .*\(0 without a chain hash/);
    expect(intact.output).toMatch(/3 published events compared with Kafka/);
    expect(intact.code).toBe(0);

    const rewrite = await createEventStore({ dataDir: join(dataDir, 'postgres') });
    try {
      const [first] = await rewrite.readStream('report-k', 3);
      const data = { ...first.data, severity: 'low' };
      const table = `"${rewrite.schema}".events`;
      await rewrite.database.transaction(async (tx) => {
        await tx.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
        await tx.query(`UPDATE ${table} SET data = $1::jsonb, hash = $2 WHERE stream_id = 'report-k' AND version = 3`, [JSON.stringify(data), chainHash(first.previousHash, { ...first, data })]);
        await tx.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      });
    } finally {
      await rewrite.close();
    }
    const rewritten = await chainVerify(dataDir, ['--kafka'], env);
    expect(rewritten.output).toMatch(/first broken: stream report-k version 3: its hash differs from the one published on Kafka \(partition 0 offset 2\)/);
    expect(rewritten.code).toBe(1);
    expect((await chainVerify(dataDir, ['--kafka'])).output).toMatch(/chain:verify could not run: .*KAFKA_BROKERS/);
  });
});
