// What the action benchmarks share: the product's stacks (npm start's program, or API and worker processes on the
// real engines), cases to act on, the watch on the lifecycle topic, and the raw-SDK anchor on the same Temporal.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import { Client as PgClient } from 'pg';
import { REPORTS_TOPIC } from '@engine/contracts';
import { AUTH_TOKENS, ChildProgram, embeddedKafkaSasl, embeddedTemporalConnection, freeEnginePorts, freePort, httpClient, startEngine, startProgram } from '../../tests/e2e/engine-process';
import { realEngines } from '../../tests/support/engines';
import { recordUpdate } from '../side-by-side/anchor-workflows';

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Where a Temporal frontend listens, and the API key the embedded one requires. */
export interface TemporalAddress {
  address: string;
  apiKey?: string;
  tls?: false;
}

export const runId = Date.now().toString(36);

export interface ProductStack {
  baseUrl: string;
  kafkaBrokers: string;
  /** The embedded broker requires its read-only user's credentials (npm start generates them). */
  kafkaSasl?: SASLOptions;
  /** The product's Temporal, for an anchor on the same server. */
  temporal: TemporalAddress;
  /** The platform the cases are filed for. */
  platform: string;
  stop(): Promise<void>;
}

/** A benchmark measures the path, not the per-client rate limit that guards it (600 writes a minute by default). */
const NO_RATE_LIMIT = { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0' };

/**
 * The real engines' addresses that a side-by-side run has in its environment (for the real stack): emptied, the
 * embedded program starts its stand-ins instead of using them.
 */
const ONLY_STAND_INS = { TEMPORAL_ADDRESS: '', KAFKA_BROKERS: '', DATABASE_URL: '' };

/** `npm start`'s program on free ports and a fresh data directory, on its stand-ins; `env` adds to its environment. */
export async function embeddedProduct(env: Record<string, string> = {}): Promise<ProductStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-actions-'));
  const ports = await freeEnginePorts();
  const engine = await startEngine(dataDir, ports, { env: { ...ONLY_STAND_INS, ...NO_RATE_LIMIT, ...env } });
  return {
    baseUrl: engine.baseUrl,
    kafkaBrokers: `127.0.0.1:${ports.kafkaPort}`,
    kafkaSasl: embeddedKafkaSasl(dataDir),
    temporal: embeddedTemporalConnection(dataDir, `127.0.0.1:${ports.temporalPort}`),
    platform: 'telegram',
    async stop() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API and the worker as separate processes on the engines scripts/engines/start.sh started, in a database of their own. */
export async function realProduct(): Promise<ProductStack> {
  const engines = realEngines();
  const database = `bench_${runId}`;
  const admin = async (sql: string) => {
    const client = new PgClient({ connectionString: engines.databaseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${database}`);
  const databaseUrl = engines.databaseUrl.replace(/\/[^/]*$/, `/${database}`);
  // Its own task queue: earlier runs on the same dev server may have left workflows on the default one.
  const shared = { TEMPORAL_ADDRESS: engines.temporalAddress, KAFKA_BROKERS: engines.kafkaBrokers, DATABASE_URL: databaseUrl, TEMPORAL_TASK_QUEUE: `bench-${runId}` };
  const apiPort = await freePort();
  const programs: ChildProgram[] = [];
  programs.push(await startProgram('dist/apps/worker/src/main.js', [], shared, 'Temporal worker polling'));
  programs.push(await startProgram('dist/apps/api/src/main.js', [], { ...shared, ...NO_RATE_LIMIT, PORT: String(apiPort), HOST: '127.0.0.1', AUTH_TOKENS, PLATFORMS: `bench-${runId}` }, 'listening on'));
  return {
    baseUrl: `http://127.0.0.1:${apiPort}`,
    kafkaBrokers: engines.kafkaBrokers,
    temporal: { address: engines.temporalAddress },
    platform: `bench-${runId}`,
    async stop() {
      for (const program of programs.reverse()) await program.stop();
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

/** Files `count` reports through the API and answers their ids. */
export async function fileReports(stack: ProductStack, count: number): Promise<string[]> {
  const http = httpClient(stack.baseUrl);
  const reports: string[] = [];
  for (let i = 0; i < count; i++) {
    const filed = await http.post('/api/reports', {
      platform: stack.platform,
      channel: 'other',
      contentLocations: [{ url: `https://t.me/c/${runId}/${i}` }],
      excerpt: 'Benchmark report',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: '2026-11-20T10:00:00Z',
      reporterReference: `bench-${runId}-${i}`,
    });
    if (filed.status !== 201) throw new Error(`filing answered ${filed.status}: ${JSON.stringify(filed.body)}`);
    reports.push(filed.body.report.reportId as string);
  }
  return reports;
}

/** When each NoteAdded of `reports` reached the lifecycle topic (performance.now()), by its text. */
export interface NoteArrivals {
  readonly arrivals: ReadonlyMap<string, number>;
  /** Waits until every text has arrived, or `timeoutMs` passed. */
  waitFor(texts: Iterable<string>, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function watchNoteArrivals(stack: ProductStack, reports: readonly string[]): Promise<NoteArrivals> {
  const arrivals = new Map<string, number>();
  const ours = new Set(reports);
  const kafka = new Kafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench-actions', logLevel: logLevel.NOTHING, ...(stack.kafkaSasl && { sasl: stack.kafkaSasl }) });
  const consumer = kafka.consumer({ groupId: `bench-actions-${runId}-${Math.random()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
  // No offset commits: the watch needs none, and they would load the broker of the stack being measured.
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value!.toString()) as { type: string; reportId: string; data: { text?: string } };
      if (event.type === 'NoteAdded' && ours.has(event.reportId) && event.data.text) arrivals.set(event.data.text, performance.now());
    },
  });
  return {
    arrivals,
    async waitFor(texts, timeoutMs = 60_000) {
      const waiting = [...texts];
      const until = Date.now() + timeoutMs;
      while (waiting.some((text) => !arrivals.has(text)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    stop: () => consumer.disconnect(),
  };
}

/** The raw SDK's anchor: `count` workflows whose update handler runs one normal activity, with their worker. */
export interface Anchor {
  /** Sends one update to workflow `n` and waits for its answer. */
  update(n: number, text: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startAnchor(temporal: TemporalAddress, count: number): Promise<Anchor> {
  const connection = await Connection.connect(temporal);
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: temporal.address, ...(temporal.apiKey !== undefined && { apiKey: temporal.apiKey, tls: false }) });
  const taskQueue = `bench-anchor-${runId}-${Math.random().toString(36).slice(2)}`;
  let recorded = 0;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowsPath: require.resolve('../side-by-side/anchor-workflows'),
    activities: { record: async () => ++recorded },
  });
  const running = worker.run();
  const handles: WorkflowHandle[] = await Promise.all(
    Array.from({ length: count }, (_, i) => client.workflow.start('anchor', { taskQueue, workflowId: `${taskQueue}-${i}` })),
  );
  return {
    async update(n, text) {
      await handles[n % handles.length].executeUpdate(recordUpdate, { args: [text] });
    },
    async stop() {
      await Promise.all(handles.map((handle) => handle.terminate('benchmark done')));
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    },
  };
}
