// Child workflows, external signal/cancel, markers (patches), search-attribute upserts and memo, visibility
// queries, workflow-task failures with retry, sticky queues with fallback and recovery from a dead poller.
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { eventually } from '../support/eventually';
import { useTestEnv, takeUnexpectedLogs, uniqueQueue, waitForIdle, withWorker, workflowsPath } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(90_000);

const activities = {
  async greet(name: string) {
    return `Hello, ${name}!`;
  },
};

describe('embedded Temporal server: advanced workflow features', () => {
  // A short workflow task timeout is set per workflow below.
  const env = useTestEnv({}, { checkLogs: false });

  it('runs child workflows and signals external workflows', async () => {
    const taskQueue = uniqueQueue('children');
    await withWorker(env, taskQueue, activities, async () => {
      const result = await env.client.workflow.execute<typeof wf.parent>('parent', { taskQueue, workflowId: `parent-${taskQueue}` });
      expect(result).toBe('child says hi; from parent');
      const child = await env.client.workflow.getHandle(`parent-${taskQueue}-child`).describe();
      expect(child.parentExecution?.workflowId).toBe(`parent-${taskQueue}`);
      const events = (await env.client.workflow.getHandle(`parent-${taskQueue}`).fetchHistory()).events ?? [];
      const childStarted = events.filter((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED).map((e) => Number(e.eventId));
      const childCompleted = events
        .filter((e) => e.eventType === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)
        .map((e) => Number(e.childWorkflowExecutionCompletedEventAttributes?.startedEventId));
      expect(childCompleted).toEqual(childStarted);
      expect((await env.client.workflow.getHandle(`parent-${taskQueue}`).describe()).raw.pendingChildren ?? []).toEqual([]);
    });
    expect(takeUnexpectedLogs()).toEqual([]);
  });

  it('cancels an external workflow and reports a signal to a missing one as failed', async () => {
    const taskQueue = uniqueQueue('external');
    await withWorker(env, taskQueue, activities, async () => {
      const target = await env.client.workflow.start<typeof wf.waitForCancel>('waitForCancel', { taskQueue, workflowId: `target-${taskQueue}` });
      const result = await env.client.workflow.execute<typeof wf.cancelsExternal>('cancelsExternal', { taskQueue, workflowId: `canceller-${taskQueue}`, args: [target.workflowId] });
      expect(result).toMatch(/^missing target/);
      await expect(target.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect((await target.describe()).status.name).toBe('CANCELLED');
    });
    expect(takeUnexpectedLogs()).toEqual([]);
  });

  it('records patch markers, upserts search attributes and memo, and finds workflows by visibility queries', async () => {
    const taskQueue = uniqueQueue('visibility');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.markersAndAttributes>('markersAndAttributes', {
        taskQueue,
        workflowId: `vis-${taskQueue}`,
        memo: { owner: 'tests' },
      });
      expect(await handle.result()).toBe('patched');
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.some((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED)).toBe(true);
      expect(events.some((e) => e.eventType === EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)).toBe(true);
      const described = await handle.describe();
      expect(described.searchAttributes.CustomKeywordField).toEqual(['tagged']);
      expect(described.memo).toEqual({ owner: 'tests', note: 'remember me' });

      const open = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `vis-open-${taskQueue}` });
      const ids = async (query: string) => {
        const found: string[] = [];
        for await (const w of env.client.workflow.list({ query })) found.push(w.workflowId);
        return found;
      };
      // The real server updates visibility a moment after the change (asynchronously).
      const expectIds = async (query: string, expected: string[]) => {
        const found = await eventually(async () => {
          const now = await ids(query);
          return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
        }, 5_000, query).catch(() => ids(query));
        expect(found).toEqual(expected);
      };
      await expectIds(`WorkflowType = 'markersAndAttributes' AND CustomKeywordField = 'tagged' AND TaskQueue = '${taskQueue}'`, [handle.workflowId]);
      await expectIds(`WorkflowId = '${open.workflowId}' AND ExecutionStatus = 'Running'`, [open.workflowId]);
      // No ORDER BY on the dev server's (SQL) visibility: open runs come first, then closed ones.
      await expectIds(`WorkflowId = '${open.workflowId}' OR WorkflowId = '${handle.workflowId}'`, [open.workflowId, handle.workflowId]);
      await expect(ids(`WorkflowId = '${open.workflowId}' ORDER BY StartTime ASC`)).rejects.toMatchObject({
        cause: expect.objectContaining({ details: expect.stringMatching(/'ORDER BY' clause/) }),
      });
      const since = new Date(Date.now() - 60_000).toISOString();
      await expectIds(`StartTime > '${since}' AND TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`, [handle.workflowId]);
      expect((await env.client.workflow.count(`TaskQueue = '${taskQueue}'`)).count).toBe(2);
      await expect(ids(`WorkflowId = `)).rejects.toMatchObject({ cause: expect.objectContaining({ details: expect.stringMatching(/invalid query/) }) });
      await open.signal('done');
      await open.result();
    });
    expect(takeUnexpectedLogs()).toEqual([]);
  });

  it('retries a failing workflow task and records the failure', async () => {
    const taskQueue = uniqueQueue('wftfail');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.alwaysBuggy>('alwaysBuggy', { taskQueue, workflowId: `bug-${taskQueue}` });
      for (let i = 0; i < 100; i++) {
        const d = await handle.describe();
        if ((d.raw.pendingWorkflowTask?.attempt ?? 0) >= 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      // sdk-core reports only the first failure of a task; later attempts are retried when they time out.
      expect((await handle.describe()).raw.pendingWorkflowTask?.attempt).toBeGreaterThanOrEqual(2);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toHaveLength(1);
      await handle.terminate('test over');
    });
    const unexpected = takeUnexpectedLogs([/Failing workflow task|workflow task bug/, /alwaysBuggy/]);
    expect(unexpected).toEqual([]);
  });

  it('falls back from a dead sticky worker to the normal queue and recovers a task handed to a dead poller', async () => {
    const taskQueue = uniqueQueue('sticky');
    const workflowId = `sticky-${taskQueue}`;
    // First worker: takes the first task and caches the run on its sticky queue, then goes away.
    const first = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities, stickyQueueScheduleToStartTimeout: '500ms' });
    const handle = await first.runUntil(async () => {
      const h = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId, workflowTaskTimeout: '2s' });
      await h.signal('add', 'a');
      expect(await h.query('items')).toEqual(['a']);
      await waitForIdle(h);
      return h;
    });
    // With the sticky worker gone, the next task goes to the normal queue after the sticky schedule-to-start timeout.
    await handle.signal('add', 'b');
    const second = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities });
    await second.runUntil(async () => {
      await handle.signal('done');
      expect(await handle.result()).toEqual(['a', 'b']);
    });
    expect(takeUnexpectedLogs([/alwaysBuggy|workflow task bug/])).toEqual([]);
  });

  it('hands a workflow task taken by a poller that died to another worker after the task timeout', async () => {
    const taskQueue = uniqueQueue('deadpoller');
    const handle = await env.client.workflow.start<typeof wf.sleeper>('sleeper', { taskQueue, workflowId: `dead-${taskQueue}`, args: [1], workflowTaskTimeout: '1s' });
    // A "worker" that polls, receives the task and dies without answering. (A poll needs a deadline.)
    const taken = await env.connection.withDeadline(Date.now() + 10_000, () =>
      env.client.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'doomed-worker' }),
    );
    expect(taken.taskToken?.length).toBeGreaterThan(0);
    await withWorker(env, taskQueue, activities, async () => {
      expect(await handle.result()).toBe('woke');
    });
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)).toBe(true);
    expect(takeUnexpectedLogs([/alwaysBuggy|workflow task bug/])).toEqual([]);
  });
});
