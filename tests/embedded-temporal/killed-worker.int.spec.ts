// A worker process SIGKILLed while it holds the run on its sticky queue: the server moves the next task to the
// normal queue after the sticky schedule-to-start timeout, and a new worker finishes the workflow.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { useTestEnv, takeUnexpectedLogs, uniqueQueue, waitForIdle, withWorker } from './helpers';
import { stopProcess } from './server-process';
import type * as wf from './fixtures/workflows';

jest.setTimeout(90_000);

describe('embedded Temporal server: a worker process that dies', () => {
  const env = useTestEnv({ longPollMs: 3_000 }, { checkLogs: false });

  it('recovers the sticky task of a SIGKILLed worker on the normal queue', async () => {
    const taskQueue = uniqueQueue('killed');
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'worker-process.js'), env.address, taskQueue], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 30_000);
        child.stdout?.on('data', (d: Buffer) => {
          output += d.toString();
          if (output.includes('worker ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
      });
      const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `killed-${taskQueue}`, workflowTaskTimeout: '2s' });
      await handle.signal('add', 'before kill');
      expect(await handle.query('items')).toEqual(['before kill']);
      await waitForIdle(handle);

      await stopProcess(child, 'SIGKILL');
      await handle.signal('add', 'after kill');
      await handle.signal('done');
      await withWorker(env, taskQueue, { greet: async (name: string) => `Hello, ${name}!` }, async () => {
        expect(await handle.result()).toEqual(['before kill', 'after kill']);
      });
    } finally {
      await stopProcess(child, 'SIGKILL');
    }
    expect(takeUnexpectedLogs()).toEqual([]);
  });
});
