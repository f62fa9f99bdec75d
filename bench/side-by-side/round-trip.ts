// Side-by-side benchmark: the product's action round trip (HTTP → Temporal update → event stored → on Kafka)
// on the embedded stack (`npm start`'s program) and on the real engines (separate API and worker processes on
// the Temporal dev server, Apache Kafka and PostgreSQL), each anchored by the raw SDK doing the same shape of
// work on the same Temporal (a workflow whose update handler runs one activity). Prints figures and ratios;
// asserts nothing.
//
//   npm run engines:start && npm run bench:side-by-side -- [rates=5,10,20] [secondsPerRate=10]

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import { Client as PgClient } from 'pg';
import { REPORTS_TOPIC } from '@engine/contracts';
import { AUTH_TOKENS, ChildProgram, embeddedKafkaSasl, freeEnginePorts, freePort, httpClient, startEngine, startProgram } from '../../tests/e2e/engine-process';
import { realEngines } from '../../tests/support/engines';
import { recordUpdate } from './anchor-workflows';

const [ratesArg = '5,10,20', secondsArg = '10'] = process.argv.slice(2);
const rates = ratesArg.split(',').map(Number);
const seconds = Number(secondsArg);
const runId = Date.now().toString(36);

interface Figures {
  rate: number;
  /** Actions completed per second (for the product: arrived on Kafka). */
  throughput: number;
  p50: number;
  p99: number;
  failed: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Calls `act(n)` at `rate` per second for `seconds` (open loop: arrivals do not wait for answers). */
async function openLoop(rate: number, act: (n: number) => Promise<void>): Promise<void> {
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let n = 0; n < rate * seconds; n++) {
    const wait = started + (n * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(act(n));
  }
  await Promise.all(inFlight);
}

// --- the product -----------------------------------------------------------------------------------------------

interface ProductStack {
  baseUrl: string;
  kafkaBrokers: string;
  /** The embedded broker requires its read-only user's credentials (npm start generates them). */
  kafkaSasl?: SASLOptions;
  stop(): Promise<void>;
}

async function embeddedProduct(): Promise<ProductStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-side-by-side-'));
  const ports = await freeEnginePorts();
  const engine = await startEngine(dataDir, ports);
  return {
    baseUrl: engine.baseUrl,
    kafkaBrokers: `127.0.0.1:${ports.kafkaPort}`,
    kafkaSasl: embeddedKafkaSasl(dataDir),
    async stop() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function realProduct(): Promise<ProductStack> {
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
  programs.push(await startProgram('dist/apps/api/src/main.js', [], { ...shared, PORT: String(apiPort), HOST: '127.0.0.1', AUTH_TOKENS, PLATFORMS: `bench-${runId}` }, 'listening on'));
  return {
    baseUrl: `http://127.0.0.1:${apiPort}`,
    kafkaBrokers: engines.kafkaBrokers,
    async stop() {
      for (const program of programs.reverse()) await program.stop();
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

async function measureProduct(stack: ProductStack): Promise<Figures[]> {
  const http = httpClient(stack.baseUrl);
  const reports: string[] = [];
  for (let i = 0; i < 20; i++) {
    const filed = await http.post('/api/reports', {
      platform: `bench-${runId}`,
      channel: 'other',
      contentLocations: [{ url: `https://t.me/c/${i}` }],
      excerpt: 'Benchmark report',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: '2026-11-20T10:00:00Z',
      reporterReference: `bench-${i}`,
    });
    if (filed.status !== 201) throw new Error(`filing answered ${filed.status}: ${JSON.stringify(filed.body)}`);
    reports.push(filed.body.report.reportId as string);
  }

  // Every NoteAdded of ours that reaches the topic, by its text; the rest of the topic is someone else's.
  const arrivals = new Map<string, number>();
  const ours = new Set(reports);
  const kafka = new Kafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench-side-by-side', logLevel: logLevel.NOTHING, ...(stack.kafkaSasl && { sasl: stack.kafkaSasl }) });
  const consumer = kafka.consumer({ groupId: `bench-side-by-side-${runId}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value!.toString()) as { type: string; reportId: string; data: { text?: string } };
      if (event.type === 'NoteAdded' && ours.has(event.reportId) && event.data.text) arrivals.set(event.data.text, performance.now());
    },
  });

  const figures: Figures[] = [];
  try {
    // Not measured: the stack has just started (JIT, caches, the consumer groups settling).
    await openLoop(rates[0], (n) => http.post(`/api/reports/${reports[n % reports.length]}/notes`, { text: `warm-up ${n}` }).then(() => undefined));
    for (const rate of rates) {
      const sent = new Map<string, number>();
      let failed = 0;
      await openLoop(rate, async (n) => {
        const text = `bench ${rate}/s #${n}`;
        sent.set(text, performance.now());
        const answer = await http.post(`/api/reports/${reports[n % reports.length]}/notes`, { text });
        if (answer.status !== 200) {
          failed++;
          sent.delete(text);
        }
      });
      const until = Date.now() + 60_000;
      while ([...sent.keys()].some((text) => !arrivals.has(text)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      const latencies = [...sent].filter(([text]) => arrivals.has(text)).map(([text, at]) => arrivals.get(text)! - at);
      const first = Math.min(...sent.values());
      const last = Math.max(...[...sent.keys()].map((text) => arrivals.get(text) ?? 0));
      figures.push({ rate, throughput: latencies.length / ((last - first) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed: failed + sent.size - latencies.length });
    }
  } finally {
    await consumer.disconnect();
  }
  return figures;
}

// --- the anchor: the raw SDK -------------------------------------------------------------------------------------

async function measureAnchor(address: string): Promise<Figures[]> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `bench-anchor-${runId}-${Math.random().toString(36).slice(2)}`;
  let recorded = 0;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowsPath: require.resolve('./anchor-workflows'),
    activities: { record: async () => ++recorded },
  });
  const figures: Figures[] = [];
  try {
    await worker.runUntil(async () => {
      const handles = await Promise.all(
        Array.from({ length: 20 }, (_, i) => client.workflow.start('anchor', { taskQueue, workflowId: `${taskQueue}-${i}` })),
      );
      // Not measured, as for the product.
      await openLoop(rates[0], (n) => handles[n % handles.length].executeUpdate(recordUpdate, { args: [`warm-up ${n}`] }).then(() => undefined));
      for (const rate of rates) {
        const latencies: number[] = [];
        let failed = 0;
        const started = performance.now();
        await openLoop(rate, async (n) => {
          const t0 = performance.now();
          try {
            await handles[n % handles.length].executeUpdate(recordUpdate, { args: [`anchor ${n}`] });
            latencies.push(performance.now() - t0);
          } catch {
            failed++;
          }
        });
        const elapsed = (performance.now() - started) / 1000;
        figures.push({ rate, throughput: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed });
      }
      await Promise.all(handles.map((handle) => handle.terminate('benchmark done')));
    });
  } finally {
    await native.close();
    await connection.close();
  }
  return figures;
}

async function embeddedTemporalAddress(): Promise<{ address: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-anchor-'));
  const port = await freePort();
  // Its own process with a journal, like the dev server with its SQLite file: a server apart from the client.
  const server = await startProgram('dist/libs/embedded-temporal/src/main.js', ['--port', String(port), '--data', dataDir], {}, 'listening on');
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// --- the report ----------------------------------------------------------------------------------------------------

function printTable(title: string, figures: Figures[]): void {
  console.log(title);
  for (const f of figures) {
    console.log(
      `  ${String(f.rate).padStart(4)}/s offered: ${f.throughput.toFixed(1).padStart(6)}/s done, p50 ${f.p50.toFixed(1).padStart(7)} ms, p99 ${f.p99.toFixed(1).padStart(7)} ms${f.failed ? `, ${f.failed} failed` : ''}`,
    );
  }
}

const ratio = (a: Figures[], b: Figures[], key: 'p50' | 'p99') => a.map((f, i) => `${f.rate}/s ×${(f[key] / b[i][key]).toFixed(1)}`).join(', ');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const engines = realEngines();
  console.log(`side-by-side benchmark on ${cpus().length} cores, node ${process.version}; ${seconds} s per rate; latency = request sent → event on Kafka (product) / update answered (anchor)`);

  const embedded = await embeddedProduct();
  const embeddedFigures = await measureProduct(embedded).finally(() => embedded.stop());
  const embeddedTemporal = await embeddedTemporalAddress();
  const embeddedAnchor = await measureAnchor(embeddedTemporal.address).finally(() => embeddedTemporal.stop());

  const real = await realProduct();
  const realFigures = await measureProduct(real).finally(() => real.stop());
  const realAnchor = await measureAnchor(engines.temporalAddress);

  printTable('product on the embedded stack (npm start: embedded Temporal, embedded Kafka, PGlite)', embeddedFigures);
  printTable('anchor on the embedded Temporal server (raw SDK: update → one activity)', embeddedAnchor);
  printTable('product on the real engines (API + worker processes; Temporal dev server, Apache Kafka, PostgreSQL)', realFigures);
  printTable('anchor on the Temporal dev server (raw SDK: update → one activity)', realAnchor);
  console.log('ratios (p50 | p99):');
  console.log(`  product / anchor, embedded: ${ratio(embeddedFigures, embeddedAnchor, 'p50')} | ${ratio(embeddedFigures, embeddedAnchor, 'p99')}`);
  console.log(`  product / anchor, real:     ${ratio(realFigures, realAnchor, 'p50')} | ${ratio(realFigures, realAnchor, 'p99')}`);
  console.log(`  real / embedded, product:   ${ratio(realFigures, embeddedFigures, 'p50')} | ${ratio(realFigures, embeddedFigures, 'p99')}`);
  console.log(`  real / embedded, anchor:    ${ratio(realAnchor, embeddedAnchor, 'p50')} | ${ratio(realAnchor, embeddedAnchor, 'p99')}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
