// Shared test plumbing for the embedded Temporal server's conformance tests: one Runtime per jest worker process
// whose logger captures sdk-core and worker warnings/errors, so a test fails on any protocol complaint it did
// not expect; and the server under test, which is the embedded one or, with ENGINES=real, the real dev server
// (and the real time-skipping test server for TestWorkflowEnvironment).
import * as path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import type { LocalTestWorkflowEnvironmentOptions, TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString, type LogEntry, type WorkflowBundle } from '@temporalio/worker';
import { EmbeddedTemporalServer, type EmbeddedTemporalOptions } from '@engine/embedded-temporal';
import { provisionNamespace } from '@engine/temporal';
import { onRealEngines, realEngines } from '../support/engines';

export const workflowsPath = path.join(__dirname, 'fixtures', 'workflows.ts');

/** The repo's wrapper that the SDK's test environments spawn as an `existing-path` server. */
export const embeddedServerWrapper = path.resolve(__dirname, '../../libs/embedded-temporal/bin/embedded-temporal');

/** The server executable for TestWorkflowEnvironment.createTimeSkipping: the wrapper, or Temporal's test server. */
export function timeSkippingServer(): NonNullable<TimeSkippingTestWorkflowEnvironmentOptions['server']> {
  return { executable: { type: 'existing-path', path: onRealEngines ? realEngines().temporalTestServerPath : embeddedServerWrapper } };
}

/** The server executable for TestWorkflowEnvironment.createLocal: the wrapper, or the `temporal` CLI's dev server. */
export function localDevServer(): NonNullable<LocalTestWorkflowEnvironmentOptions['server']> {
  return { executable: { type: 'existing-path', path: onRealEngines ? realEngines().temporalCliPath : embeddedServerWrapper } };
}

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

/**
 * What sdk-core says about Temporal's time-skipping test server (1.40): it does not advertise the capability to
 * keep heartbeat details on an activity failure. Not a fault of the test; allowed on the real engines only.
 */
export const realTestServerWarnings: RegExp[] = onRealEngines ? [/activity_failure_include_heartbeat/] : [];

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
  /** host:port of the server under test. */
  address: string;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  stop(): Promise<void>;
}

/**
 * Connects to the server under test: a fresh embedded server (with `options`), or on ENGINES=real the shared
 * real dev server, which outlives the test (hence unique task queues and workflow ids, see uniqueQueue).
 */
export async function startEnv(options: EmbeddedTemporalOptions = {}): Promise<TestEnv> {
  installCapturingRuntime();
  const server = onRealEngines ? undefined : await EmbeddedTemporalServer.start({ port: 0, longPollMs: 5_000, ...options });
  const address = server?.address ?? realEngines().temporalAddress;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection });
  // The fixtures upsert this one; a real server refuses an attribute nobody registered.
  await provisionNamespace(connection, { namespace: 'default', searchAttributes: { CustomKeywordField: 'KeywordList' } });
  return {
    address,
    connection,
    client,
    nativeConnection,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await server?.stop();
    },
  };
}

/**
 * Jest hooks for a describe block: the server under test started before its tests and stopped after them, and
 * (unless `checkLogs` is false) each test failing on an SDK warning that none of `checkLogs` allows. The returned
 * object is filled in before the first test runs.
 */
export function useTestEnv(options: EmbeddedTemporalOptions = {}, { checkLogs = [] }: { checkLogs?: RegExp[] | false } = {}): TestEnv {
  const env = {} as TestEnv;
  let started = false;
  beforeAll(async () => {
    Object.assign(env, await startEnv(options));
    started = true;
  });
  afterAll(async () => {
    if (started) await env.stop();
  });
  if (checkLogs) afterEach(() => expect(takeUnexpectedLogs(checkLogs)).toEqual([]));
  return env;
}

// Unique across runs too: the real dev server keeps its workflows, and ids derived from a queue must not collide.
const runTag = `${process.pid}-${Date.now().toString(36)}`;
let queueCounter = 0;
export function uniqueQueue(prefix: string): string {
  return `${prefix}-${runTag}-${++queueCounter}`;
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
    ...(extra.workflowsPath ? {} : { workflowBundle: await fixtureWorkflowBundle() }),
    activities,
    ...extra,
  });
  return worker.runUntil(fn(worker));
}

let fixtureBundle: Promise<WorkflowBundle> | undefined;

/**
 * The fixture workflows bundled once per test file: bundling takes seconds on a loaded machine, more than a
 * test that times what happens before a worker starts can wait.
 */
export function fixtureWorkflowBundle(): Promise<WorkflowBundle> {
  fixtureBundle ??= bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return fixtureBundle;
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

/** Fails with `what` instead of hanging until jest's timeout. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not return within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
