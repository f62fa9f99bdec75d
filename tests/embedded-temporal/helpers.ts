// Shared test plumbing for the embedded Temporal server: one Runtime per jest worker process whose logger
// captures sdk-core and worker warnings/errors, so a test fails on any protocol complaint it did not expect.
import * as path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogEntry } from '@temporalio/worker';
import { EmbeddedTemporalServer, type EmbeddedTemporalOptions } from '@engine/embedded-temporal';

export const workflowsPath = path.join(__dirname, 'fixtures', 'workflows.ts');

const captured: LogEntry[] = [];
let installed = false;

export function installCapturingRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      captured.push(entry);
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'WARN' }), forward: {} } },
  });
}

/** Fails with every warning/error logged since the last call that none of `allowed` matches. */
export function takeUnexpectedLogs(allowed: RegExp[] = []): string[] {
  const entries = captured.splice(0, captured.length);
  return entries
    .filter((e) => e.level === 'WARN' || e.level === 'ERROR')
    .map((e) => `${e.level} ${e.message} ${safeJson(e.meta)}`)
    .filter((line) => !allowed.some((re) => re.test(line)));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export interface TestEnv {
  server: EmbeddedTemporalServer;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  stop(): Promise<void>;
}

export async function startEnv(options: EmbeddedTemporalOptions = {}): Promise<TestEnv> {
  installCapturingRuntime();
  const server = await EmbeddedTemporalServer.start({ port: 0, longPollMs: 5_000, ...options });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection });
  return {
    server,
    connection,
    client,
    nativeConnection,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

let queueCounter = 0;
export function uniqueQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${++queueCounter}`;
}

/** Runs `fn` with a worker polling `taskQueue`, then shuts the worker down. */
export async function withWorker<T>(
  env: TestEnv,
  taskQueue: string,
  activities: Record<string, (...args: never[]) => unknown>,
  fn: (worker: Worker) => Promise<T>,
  extra: Partial<Parameters<typeof Worker.create>[0]> = {},
): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    ...extra,
  });
  return worker.runUntil(fn(worker));
}

/** Waits until no workflow task is pending, so a forced close does not race a worker's completion. */
export async function waitForIdle(handle: { describe(): Promise<{ raw: { pendingWorkflowTask?: unknown } }> }): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const d = await handle.describe();
    if (!d.raw.pendingWorkflowTask) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('workflow never became idle');
}
