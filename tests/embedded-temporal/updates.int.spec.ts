// Updates in depth: accepted then completed in a later task (startUpdate + result), sent before the first
// workflow task, deduplicated by update id, and refused on a closed workflow.
import { WithStartWorkflowOperation, WorkflowUpdateStage } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { fixtureWorkflowBundle, useTestEnv, uniqueQueue, withWorker } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(60_000);
const activities = { greet: async (name: string) => `Hello, ${name}!` };

describe('embedded Temporal server: updates', () => {
  const env = useTestEnv();

  it('accepts an update, completes it in a later workflow task and deduplicates by update id', async () => {
    const taskQueue = uniqueQueue('updates');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.updatable>('updatable', { taskQueue, workflowId: `upd-${taskQueue}` });
      const update = await handle.startUpdate<string, [number]>('slowUpdate', { args: [200], updateId: 'u-1', waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(await update.result()).toBe('slept 200');
      // The same update id again returns the recorded outcome instead of running twice.
      expect(await handle.executeUpdate<string, [number]>('slowUpdate', { args: [999], updateId: 'u-1' })).toBe('slept 200');
      await handle.signal('done');
      expect(await handle.result()).toEqual(['slept 200']);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
      expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toHaveLength(1);
      await expect(handle.executeUpdate<string, [number]>('slowUpdate', { args: [1], updateId: 'u-2' })).rejects.toThrow();
    });
  });

  it('delivers an update sent before the first workflow task ran', async () => {
    const taskQueue = uniqueQueue('early-update');
    const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `early-${taskQueue}` });
    const pending = handle.executeUpdate<number, [string]>('addItem', { args: ['early'] });
    await new Promise((r) => setTimeout(r, 200));
    await withWorker(env, taskQueue, activities, async () => {
      expect(await pending).toBe(1);
      await handle.signal('done');
      expect(await handle.result()).toEqual(['early']);
    });
  });

  it('answers a query sent before the first workflow task along with that task', async () => {
    const taskQueue = uniqueQueue('early-query');
    await fixtureWorkflowBundle(); // so that the worker below starts within the query's wait
    const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `early-q-${taskQueue}` });
    const answer = handle.query<string[]>('items');
    await new Promise((r) => setTimeout(r, 200));
    await withWorker(env, taskQueue, activities, async () => {
      expect(await answer).toEqual([]);
      await handle.signal('done');
      await handle.result();
    });
  });

  it('update-with-start starts the workflow once and runs the update on it', async () => {
    const taskQueue = uniqueQueue('uws');
    await withWorker(env, taskQueue, activities, async () => {
      const workflowId = `uws-${taskQueue}`;
      const startOp = () =>
        new WithStartWorkflowOperation<typeof wf.collector>('collector', { taskQueue, workflowId, workflowIdConflictPolicy: 'USE_EXISTING' });
      const first = startOp();
      expect(await env.client.workflow.executeUpdateWithStart<typeof wf.collector, number, [string]>('addItem', { args: ['x'], startWorkflowOperation: first })).toBe(1);
      const second = startOp();
      expect(await env.client.workflow.executeUpdateWithStart<typeof wf.collector, number, [string]>('addItem', { args: ['y'], startWorkflowOperation: second })).toBe(2);
      const handle = await first.workflowHandle();
      expect((await (await second.workflowHandle()).describe()).runId).toBe((await handle.describe()).runId);
      await handle.signal('done');
      expect(await handle.result()).toEqual(['x', 'y']);
    });
  });
});
