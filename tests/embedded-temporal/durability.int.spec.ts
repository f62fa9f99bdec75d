// Durability: the server process is SIGKILLed with a pending timer, a running activity attempt and an
// acknowledged signal, restarted on the same port and data, and every workflow completes with the same
// worker and client, which reconnect on their own. On ENGINES=real the same is asked of the real dev server
// (`temporal server start-dev --db-filename`), which is the reference.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { provisionNamespace } from '@engine/temporal';
import { installCapturingRuntime, takeUnexpectedLogs, waitForIdle, within, workflowsPath } from './helpers';
import { startServerProcess, stopProcess, type ServerProcess } from './server-process';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(55_000);

describe('embedded Temporal server: durability across SIGKILL', () => {
  let dataDir: string;
  let server: ServerProcess | null = null;

  beforeAll(() => {
    installCapturingRuntime();
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-temporal-'));
  });
  afterEach(async () => {
    if (server) await stopProcess(server.child, 'SIGKILL');
    server = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes timers, activity attempts and signals after a SIGKILL and restart', async () => {
    server = await startServerProcess(dataDir);
    const port = server.port;
    const address = server.address;
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const nativeConnection = await NativeConnection.connect({ address });
    const taskQueue = 'durability';
    let releaseActivity: (() => void) | null = null;
    let activityStarted: () => void = () => undefined;
    const started = new Promise<void>((r) => (activityStarted = r));
    const calls: string[] = [];
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath,
      activities: {
        async resumable(key: string) {
          calls.push(key);
          if (key === 'blocked') {
            activityStarted();
            await new Promise<void>((r) => (releaseActivity = r));
          }
          return calls.length;
        },
      },
    });
    const running = worker.run();
    try {
      const timerRun = await client.workflow.start<typeof wf.durable>('durable', { taskQueue, workflowId: 'with-timer', args: ['timer'] });
      const activityRun = await client.workflow.start<typeof wf.durableActivity>('durableActivity', { taskQueue, workflowId: 'with-activity', args: ['blocked'] });
      const open = await client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: 'still-open' });
      await open.signal('add', 'before kill');
      await started;
      await activityRun.signal('acknowledged-before-kill', 42);
      // Kill while nothing is between a worker and the server (a completion racing the kill would be answered
      // "not found" after the restart, as by a real server): what is pending is the timer and the activity.
      for (const handle of [timerRun, activityRun, open]) await waitForIdle(handle);
      const beforeKill = (await timerRun.fetchHistory()).events ?? [];
      expect(beforeKill.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)).toBe(true);
      expect(beforeKill.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED)).toBe(false);

      await stopProcess(server.child, 'SIGKILL');
      server = await startServerProcess(dataDir, port);

      // The activity attempt that was running when the server died completes against the restarted server.
      (releaseActivity as unknown as () => void)();
      expect(await activityRun.result()).toMatch(/^activity \d+$/);
      expect(await timerRun.result()).toMatch(/^resumed \d+$/);

      const events = (await activityRun.fetchHistory()).events ?? [];
      const signal = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
      expect(signal?.workflowExecutionSignaledEventAttributes?.signalName).toBe('acknowledged-before-kill');
      const timerEvents = (await timerRun.fetchHistory()).events ?? [];
      expect(timerEvents.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED)).toBe(true);
      // Duplicate ids stay refused after the restart: the id index was rebuilt from the journal.
      await expect(client.workflow.start('collector', { taskQueue, workflowId: 'still-open' })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await open.signal('add', 'after restart');
      await open.signal('done');
      expect(await open.result()).toEqual(['before kill', 'after restart']);
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    }
    // While the server was down the worker's polls failed; those complaints are expected, nothing else is.
    expect(takeUnexpectedLogs([/transport|connect|Unavailable|unavailable|poll|Connection|channel|broken pipe|reset/i])).toEqual([]);
    expect(await stopProcess(server.child, 'SIGTERM')).toBe(0);
    server = null;
  });

  it('after the server and the worker holding a run were killed and restarted, the first query reaches the new worker at once', async () => {
    // #10 item 4: the restarted stand-in kept offering the query to the dead worker's sticky queue until it timed out.
    server = await startServerProcess(dataDir);
    const taskQueue = 'restarted';
    const oldWorker = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'worker-process.js'), server.address, taskQueue, '10s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let connection: Connection | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        oldWorker.stdout?.on('data', (d: Buffer) => ((output += d.toString()), output.includes('worker ready') && resolve()));
        oldWorker.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        oldWorker.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
      });
      connection = await Connection.connect({ address: server.address });
      const client = new Client({ connection });
      // A registered search attribute is part of the durable state too.
      await provisionNamespace(connection, { namespace: 'default', searchAttributes: { ConformanceKeyword: 'Keyword' } });
      const handle = await client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: 'held-by-a-dead-worker' });
      await handle.signal('add', 'before kill');
      expect(await handle.query('items')).toEqual(['before kill']);
      await waitForIdle(handle);
      await stopProcess(oldWorker, 'SIGKILL');
      await stopProcess(server.child, 'SIGKILL');
      server = await startServerProcess(dataDir, server.port);
      const listed = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(listed.customAttributes ?? {})).toContain('ConformanceKeyword');

      const nativeConnection = await NativeConnection.connect({ address: server.address });
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities: { greet: async (name: string) => name } });
      try {
        await worker.runUntil(async () => {
          expect(await within(4_000, 'the first query after the restart', handle.query('items'))).toEqual(['before kill']);
          expect(await within(4_000, 'the first update after the restart', handle.executeUpdate<number, [string]>('addItem', { args: ['after restart'] }))).toBe(2);
          await handle.signal('done');
          expect(await handle.result()).toEqual(['before kill', 'after restart']);
        });
      } finally {
        await nativeConnection.close();
      }
    } finally {
      await stopProcess(oldWorker, 'SIGKILL');
      await connection?.close();
    }
    expect(takeUnexpectedLogs()).toEqual([]);
  });
});
