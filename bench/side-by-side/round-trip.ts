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
import { freePort, httpClient, startProgram } from '../../tests/e2e/engine-process';
import { realEngines } from '../../tests/support/engines';
import { embeddedProduct, fileReports, percentile, ProductStack, realProduct, runId, watchNoteArrivals } from '../support/action-stacks';
import { recordUpdate } from './anchor-workflows';

const [ratesArg = '5,10,20', secondsArg = '10'] = process.argv.slice(2);
const rates = ratesArg.split(',').map(Number);
const seconds = Number(secondsArg);

interface Figures {
  rate: number;
  /** Actions completed per second (for the product: arrived on Kafka). */
  throughput: number;
  p50: number;
  p99: number;
  failed: number;
}

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

async function measureProduct(stack: ProductStack): Promise<Figures[]> {
  const http = httpClient(stack.baseUrl);
  const reports = await fileReports(stack, 20);
  // Every NoteAdded of ours that reaches the topic, by its text; the rest of the topic is someone else's.
  const watch = await watchNoteArrivals(stack, reports);
  const arrivals = watch.arrivals;

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
      await watch.waitFor(sent.keys());
      const latencies = [...sent].filter(([text]) => arrivals.has(text)).map(([text, at]) => arrivals.get(text)! - at);
      const first = Math.min(...sent.values());
      const last = Math.max(...[...sent.keys()].map((text) => arrivals.get(text) ?? 0));
      figures.push({ rate, throughput: latencies.length / ((last - first) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed: failed + sent.size - latencies.length });
    }
  } finally {
    await watch.stop();
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
