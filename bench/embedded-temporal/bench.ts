// Benchmark of the embedded Temporal server with a real worker: workflow starts/s (memory and journal),
// workflow-task round trips/s, and memory per open workflow with a pending timer. Prints figures only.
// Run: npm run build && node --expose-gc dist/bench/embedded-temporal/bench.js [--open 10000,100000]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { EmbeddedTemporalServer } from '../../libs/embedded-temporal/src';

const workflowsPath = require.resolve('./workflows');

async function withServer<T>(dataDir: string | undefined, fn: (client: Client, native: NativeConnection) => Promise<T>): Promise<T> {
  const server = await EmbeddedTemporalServer.start({ port: 0, dataDir });
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  try {
    return await fn(new Client({ connection }), native);
  } finally {
    await native.close();
    await connection.close();
    await server.stop();
  }
}

async function inBatches(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await fn(next++);
    }),
  );
}

async function startsPerSecond(label: string, dataDir: string | undefined, total: number): Promise<void> {
  await withServer(dataDir, async (client) => {
    // Warm up the JIT and the connection so the first measurement is not penalised.
    await inBatches(500, 64, (i) => client.workflow.start('noop', { taskQueue: 'bench-starts', workflowId: `warmup-${i}` }));
    const t0 = performance.now();
    await inBatches(total, 64, (i) => client.workflow.start('noop', { taskQueue: 'bench-starts', workflowId: `start-${i}` }));
    const seconds = (performance.now() - t0) / 1000;
    console.log(`workflow starts/s (${label}): ${(total / seconds).toFixed(0)}  [${total} starts in ${seconds.toFixed(2)} s]`);
  });
}

async function roundTripsPerSecond(workflows: number, iterations: number): Promise<void> {
  await withServer(undefined, async (client, native) => {
    const worker = await Worker.create({ connection: native, taskQueue: 'bench-rt', workflowsPath, activities: {}, maxConcurrentWorkflowTaskExecutions: 64 });
    await worker.runUntil(async () => {
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: workflows }, (_, i) => client.workflow.execute('roundTrips', { taskQueue: 'bench-rt', workflowId: `rt-${i}`, args: [iterations] })),
      );
      const seconds = (performance.now() - t0) / 1000;
      const trips = workflows * (iterations + 1);
      console.log(`workflow-task round trips/s: ${(trips / seconds).toFixed(0)}  [${trips} tasks in ${seconds.toFixed(2)} s]`);
    });
  });
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function memoryPerOpenWorkflow(count: number): Promise<void> {
  await withServer(undefined, async (client, native) => {
    const worker = await Worker.create({
      connection: native,
      taskQueue: 'bench-open',
      workflowsPath,
      activities: {},
      // Keep the worker's cache small so the figure is the server's state, not cached workflow sandboxes.
      maxCachedWorkflows: 50,
      maxConcurrentWorkflowTaskExecutions: 64,
    });
    const before = heapUsed();
    const t0 = performance.now();
    await worker.runUntil(async () => {
      await inBatches(count, 64, (i) => client.workflow.start('longTimer', { taskQueue: 'bench-open', workflowId: `open-${i}` }));
      // Wait until every workflow has run its first task and holds a pending timer.
      for (;;) {
        const { count: running } = await client.workflow.count(`ExecutionStatus = 'Running'`);
        const described = await client.workflow.getHandle(`open-${count - 1}`).describe();
        if (running === count && !described.raw.pendingWorkflowTask) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // Let the last tasks complete.
      await new Promise((r) => setTimeout(r, 2000));
    });
    const after = heapUsed();
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `memory per open workflow with a pending timer (${count}): ${((after - before) / count / 1024).toFixed(1)} KiB heap  [${count} started and parked in ${seconds.toFixed(1)} s]`,
    );
  });
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const openArg = process.argv.indexOf('--open');
  const openCounts = openArg >= 0 ? process.argv[openArg + 1].split(',').map(Number) : [10_000, 100_000];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-temporal-bench-'));
  try {
    console.log(`embedded-temporal benchmark on ${os.cpus().length} cores, node ${process.version}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier memory figures)'}`);
    await startsPerSecond('in memory', undefined, 5000);
    await startsPerSecond('fsync journal', dataDir, 5000);
    await roundTripsPerSecond(50, 40);
    for (const count of openCounts) await memoryPerOpenWorkflow(count);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
