// A worker that held a run on its sticky queue goes away (shut down, or its process killed) and another worker
// polls the same normal task queue: the next query, update and signal must reach the new worker within seconds,
// as on the real server, which stops routing to a sticky queue nobody polls (#10 item 4: the stand-in kept
// offering them to the gone worker's sticky queue; queries timed out and the first action waited 10 s).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { useTestEnv, uniqueQueue, waitForIdle, withWorker, within } from './helpers';
import { stopProcess } from './server-process';
import { addSignal, addUpdate, doneSignal, itemsQuery, type collector } from './fixtures/workflows';

jest.setTimeout(50_000);
const activities = { greet: async (name: string) => `Hello, ${name}!` };
/** "Within a few seconds": far below the sticky schedule-to-start timeout (10 s) and the query timeout. */
const PROMPTLY_MS = 4_000;
/** The killed worker's sticky schedule-to-start timeout. */
const STICKY_TIMEOUT_MS = 3_000;

describe('embedded Temporal server: a new worker after the one holding the run went away', () => {
  const env = useTestEnv();

  /** Worker A takes the run onto its sticky queue (a signal, a query), then shuts down. */
  async function runOnAWorkerThatShutsDown(taskQueue: string): Promise<WorkflowHandle<typeof collector>> {
    return withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof collector>('collector', { taskQueue, workflowId: `restart-${taskQueue}` });
      await handle.signal(addSignal, 'before');
      expect(await handle.query(itemsQuery)).toEqual(['before']);
      await waitForIdle(handle);
      return handle;
    });
  }

  async function finish(handle: WorkflowHandle<typeof collector>): Promise<string[]> {
    await handle.signal(doneSignal);
    return within(PROMPTLY_MS, 'the result', handle.result());
  }

  it('answers the first query promptly, then runs an update and a signal', async () => {
    const taskQueue = uniqueQueue('restart-query');
    const handle = await runOnAWorkerThatShutsDown(taskQueue);
    await withWorker(env, taskQueue, activities, async () => {
      expect(await within(PROMPTLY_MS, 'the first query', handle.query(itemsQuery))).toEqual(['before']);
      expect(await within(PROMPTLY_MS, 'an update', handle.executeUpdate(addUpdate, { args: ['updated'] }))).toBe(2);
      await handle.signal(addSignal, 'signalled');
      expect(await within(PROMPTLY_MS, 'a query after the signal', handle.query(itemsQuery))).toEqual(['before', 'updated', 'signalled']);
      expect(await finish(handle)).toEqual(['before', 'updated', 'signalled']);
    });
  });

  it('runs the first update promptly (its workflow task goes to the normal queue)', async () => {
    const taskQueue = uniqueQueue('restart-update');
    const handle = await runOnAWorkerThatShutsDown(taskQueue);
    await withWorker(env, taskQueue, activities, async () => {
      expect(await within(PROMPTLY_MS, 'the first update', handle.executeUpdate(addUpdate, { args: ['updated'] }))).toBe(2);
      expect(await finish(handle)).toEqual(['before', 'updated']);
    });
  });

  it('delivers the first signal promptly', async () => {
    const taskQueue = uniqueQueue('restart-signal');
    const handle = await runOnAWorkerThatShutsDown(taskQueue);
    await withWorker(env, taskQueue, activities, async () => {
      await handle.signal(addSignal, 'signalled');
      expect(await finish(handle)).toEqual(['before', 'signalled']);
    });
  });

  it('answers a query once the sticky timeout of a killed worker process expired, then runs an update promptly', async () => {
    const taskQueue = uniqueQueue('restart-killed');
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'worker-process.js'), env.address, taskQueue, `${STICKY_TIMEOUT_MS}ms`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (d: Buffer) => ((output += d.toString()), output.includes('worker ready') && resolve()));
        child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
      });
      const handle = await env.client.workflow.start<typeof collector>('collector', { taskQueue, workflowId: `restart-${taskQueue}` });
      await handle.signal(addSignal, 'before');
      expect(await handle.query(itemsQuery)).toEqual(['before']);
      await waitForIdle(handle);
      await stopProcess(child, 'SIGKILL');
      await withWorker(env, taskQueue, activities, async () => {
        // Nothing told the server that worker is gone: the query waits out its sticky schedule-to-start timeout (3 s).
        expect(await within(STICKY_TIMEOUT_MS + PROMPTLY_MS, 'the first query', handle.query(itemsQuery))).toEqual(['before']);
        expect(await within(PROMPTLY_MS, 'an update', handle.executeUpdate(addUpdate, { args: ['updated'] }))).toBe(2);
        expect(await finish(handle)).toEqual(['before', 'updated']);
      });
    } finally {
      await stopProcess(child, 'SIGKILL');
    }
  });
});
