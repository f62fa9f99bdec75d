// The back-office action path against the raw-SDK anchor, closed loop: C clients each send an action and, once it
// is answered, the next. Product: POST /api/reports/:id/notes on npm start's program (HTTP → Temporal update →
// decide → events stored → answer; then the relay puts the event on Kafka). Anchor: the raw SDK on the SAME
// Temporal server in the same run, each client updating its own workflow whose handler runs one normal activity.
// Each client acts on a case (workflow) of its own, so one case's serialised decisions are not all that is
// measured. Product and anchor take turns in 5 s slices, so that load from elsewhere on the machine falls on both
// alike. Prints actions/s, the answer's p50/p99, the time until the event is on Kafka, and product/anchor.
// Asserts nothing.
//
//   npm run bench:action-path -- [concurrencies=8,32] [secondsPerRun=20] [embedded|real|both=embedded]
//
// BENCH_ENGINE_NODE_OPTIONS goes to npm start's program as NODE_OPTIONS (e.g. a --require that profiles it).

import { cpus, loadavg } from 'node:os';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { httpClient } from '../../tests/e2e/engine-process';
import { embeddedProduct, fileReports, percentile, ProductStack, realProduct, startAnchor, watchNoteArrivals } from '../support/action-stacks';

const [concurrenciesArg = '8,32', secondsArg = '20', stacksArg = 'embedded'] = process.argv.slice(2);
const concurrencies = concurrenciesArg.split(',').map(Number);
const seconds = Number(secondsArg);
const warmUpSeconds = Math.min(5, seconds);

interface Figures {
  concurrency: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Request sent → event on Kafka (product only). */
  kafkaP50?: number;
  kafkaP99?: number;
  done: number;
  failed: number;
}

/** `clients` loops, each acting again as soon as its last action answered, for `durationS`; answers the latencies. */
async function closedLoop(clients: number, durationS: number, act: (client: number, n: number) => Promise<void>) {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: unknown;
  const until = performance.now() + durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < until; n++) {
        const t0 = performance.now();
        try {
          await act(client, n);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failed++;
          firstError ??= error;
        }
      }
    }),
  );
  if (firstError) console.error(`  first failure: ${(firstError as Error).message ?? firstError}`);
  return { latencies, failed, elapsedS: (performance.now() - started) / 1000 };
}

/** Product and anchor take turns in slices of this length, so that both see the same load from elsewhere. */
const SLICE_SECONDS = 5;

interface Run {
  latencies: number[];
  failed: number;
  elapsedS: number;
}

const figures = (concurrency: number, runs: Run[], onKafka?: number[]): Figures => {
  const latencies = runs.flatMap((run) => run.latencies);
  const elapsedS = runs.reduce((sum, run) => sum + run.elapsedS, 0);
  const failed = runs.reduce((sum, run) => sum + run.failed, 0);
  return {
    concurrency,
    perSecond: latencies.length / elapsedS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ...(onKafka && { kafkaP50: percentile(onKafka, 50), kafkaP99: percentile(onKafka, 99) }),
    done: latencies.length,
    failed: failed + (onKafka ? latencies.length - onKafka.length : 0),
  };
};

async function measure(stack: ProductStack, concurrency: number): Promise<{ product: Figures; anchor: Figures }> {
  const http = httpClient(stack.baseUrl);
  const reports = await fileReports(stack, concurrency);
  const arrivals = await watchNoteArrivals(stack, reports);
  const anchor = await startAnchor(stack.temporal, concurrency);
  try {
    const addNote = async (client: number, text: string) => {
      const answer = await http.post(`/api/reports/${reports[client]}/notes`, { text });
      if (answer.status !== 200) throw new Error(`a note answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    };
    await closedLoop(concurrency, warmUpSeconds, (client, n) => addNote(client, `warm-up ${concurrency}/${client}/${n}`));
    await closedLoop(concurrency, warmUpSeconds, (client, n) => anchor.update(client, `warm-up ${n}`));
    const sent = new Map<string, number>();
    const productRuns: Run[] = [];
    const anchorRuns: Run[] = [];
    for (let slice = 0; slice * SLICE_SECONDS < seconds; slice++) {
      const length = Math.min(SLICE_SECONDS, seconds - slice * SLICE_SECONDS);
      productRuns.push(
        await closedLoop(concurrency, length, (client, n) => {
          const text = `bench ${concurrency}/${slice}/${client}/${n}`;
          sent.set(text, performance.now());
          return addNote(client, text);
        }),
      );
      // The product's events still on their way to Kafka are not left to compete with the anchor's slice.
      await arrivals.waitFor(sent.keys());
      anchorRuns.push(await closedLoop(concurrency, length, (client, n) => anchor.update(client, `anchor ${slice}/${n}`)));
    }
    const onKafka = [...sent].filter(([text]) => arrivals.arrivals.has(text)).map(([text, at]) => arrivals.arrivals.get(text)! - at);
    return { product: figures(concurrency, productRuns, onKafka), anchor: figures(concurrency, anchorRuns) };
  } finally {
    await anchor.stop();
    await arrivals.stop();
  }
}

const ms = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(0).padStart(5)} ms`);

function printTable(title: string, rows: Array<{ product: Figures; anchor: Figures }>): void {
  console.log(`\n${title}`);
  console.log('  C  | product /s | answer p50 | answer p99 | on Kafka p50 | on Kafka p99 | anchor /s | anchor p50 | anchor p99 | product/anchor');
  for (const { product, anchor } of rows) {
    console.log(
      `  ${String(product.concurrency).padStart(2)} | ${product.perSecond.toFixed(1).padStart(9)} | ${ms(product.p50).padStart(10)} | ${ms(product.p99).padStart(10)} | ${ms(product.kafkaP50).padStart(12)} | ${ms(product.kafkaP99).padStart(12)} | ${anchor.perSecond.toFixed(1).padStart(9)} | ${ms(anchor.p50).padStart(10)} | ${ms(anchor.p99).padStart(10)} | ×${(product.perSecond / anchor.perSecond).toFixed(2)}` +
        (product.failed || anchor.failed ? `  (failed: product ${product.failed}, anchor ${anchor.failed})` : ''),
    );
  }
}

async function measureStack(title: string, start: () => Promise<ProductStack>): Promise<void> {
  const stack = await start();
  const rows: Array<{ product: Figures; anchor: Figures }> = [];
  try {
    for (const concurrency of concurrencies) {
      // Product and anchor on the same server, taking turns (never at once, so that neither slows the other).
      const { product, anchor } = await measure(stack, concurrency);
      rows.push({ product, anchor });
      console.log(`  C=${concurrency}: product ${product.perSecond.toFixed(1)}/s, anchor ${anchor.perSecond.toFixed(1)}/s`);
    }
  } finally {
    await stack.stop();
  }
  printTable(title, rows);
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  console.log(
    `action-path benchmark on ${cpus().length} cores (load average ${loadavg()[0].toFixed(1)}), node ${process.version}: closed loop, C clients, ${seconds} s each for product and anchor, in turns of ${SLICE_SECONDS} s, after ${warmUpSeconds} s unmeasured each.\n` +
      'product = POST /api/reports/:id/notes (AddNote) answered with 200, one case per client; the answer comes once the event is stored;\n' +
      '  "on Kafka" = request sent → the NoteAdded event read from the lifecycle topic by an outside consumer.\n' +
      'anchor  = raw SDK executeUpdate on the same Temporal server, one workflow per client, the update handler runs one normal activity.',
  );
  if (stacksArg === 'embedded' || stacksArg === 'both') await measureStack('embedded stack (npm start: embedded Temporal, embedded Kafka, PGlite; anchor on its Temporal)', () => embeddedProduct(process.env.BENCH_ENGINE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_ENGINE_NODE_OPTIONS } : {}));
  if (stacksArg === 'real' || stacksArg === 'both') await measureStack('real engines (API + worker processes; Temporal dev server, Apache Kafka, PostgreSQL; anchor on that Temporal)', realProduct);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
