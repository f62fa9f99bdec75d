// Many open workflows, few histories in memory: the stand-in keeps only the most recently used runs' histories in
// memory (here 2) and reads the others back from its journal. Workflows served without a sticky cache (every
// task carries the whole history), signalled, updated, queried and read in turn behave as on the real server.
// The journal here compacts itself as often as it may, a line per turn of the event loop, so that histories are
// also read back across compactions, and after a restart on the compacted file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startEnv, uniqueQueue, useTestEnv, withWorker } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(60_000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-temporal-resident-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('embedded Temporal server: histories read back from the journal', () => {
  const options = { dataDir, residentHistories: 2, journal: { compactAfterBytes: 1, compactionSliceBytes: 1 } };
  const env = useTestEnv(options);
  const histories = new Map<string, unknown[]>();

  it('serves workflows whose histories left memory: signals, updates, queries, history and results intact', async () => {
    const taskQueue = uniqueQueue('resident');
    await withWorker(
      env,
      taskQueue,
      { greet: async (name: string) => name },
      async () => {
        const handles = await Promise.all(
          Array.from({ length: 6 }, (_, i) => env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `${taskQueue}-${i}` })),
        );
        for (const handle of handles) await handle.signal('add', 'signalled');
        for (const [i, handle] of handles.entries()) {
          expect(await handle.executeUpdate('addItem', { args: ['updated'], updateId: `update-${i}` })).toBe(2);
        }
        // The same update id again is answered from the history (read back), not applied twice.
        for (const [i, handle] of handles.entries()) {
          expect(await handle.executeUpdate('addItem', { args: ['updated'], updateId: `update-${i}` })).toBe(2);
        }
        for (const handle of handles) expect(await handle.query('items')).toEqual(['signalled', 'updated']);
        for (const handle of handles) await handle.signal('done');
        for (const handle of handles) expect(await handle.result()).toEqual(['signalled', 'updated']);
        for (const handle of handles) {
          const { events } = await handle.fetchHistory();
          expect(events!.map((event) => Number(event.eventId))).toEqual(events!.map((_, i) => i + 1));
          expect(events![0].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
          expect(events!.at(-1)!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
          expect(events!.filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(2);
          expect(events!.filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
          histories.set(handle.workflowId, events!);
        }
      },
      // No sticky cache: every workflow task carries the whole history, which the server reads back.
      { maxCachedWorkflows: 0 },
    );
  });

  it('reads the same histories after a restart on the compacted journal', async () => {
    expect(histories.size).toBe(6);
    await env.stop();
    Object.assign(env, await startEnv(options));
    for (const [workflowId, events] of histories) {
      expect((await env.client.workflow.getHandle(workflowId).fetchHistory()).events).toEqual(events);
    }
  });
});
