// Conformance of the embedded server with the real SDK: start, signals, queries, updates, timers, cancel,
// terminate, continue-as-new, result() long-poll, describe and history paging.
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { useTestEnv, takeUnexpectedLogs, uniqueQueue, waitForIdle, withWorker, workflowsPath } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(60_000);

const activities = {
  async greet(name: string) {
    return `Hello, ${name}!`;
  },
};

describe('embedded Temporal server: core workflow operations', () => {
  const env = useTestEnv({}, { checkLogs: false });
  let allowedLogs: RegExp[] = [];
  afterEach(() => {
    const allowed = allowedLogs;
    allowedLogs = [];
    expect(takeUnexpectedLogs(allowed)).toEqual([]);
  });

  it('runs a workflow with an activity to completion and refuses a second start of the same id', async () => {
    const taskQueue = uniqueQueue('core');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `dup-${taskQueue}` });
      await expect(env.client.workflow.start('collector', { taskQueue, workflowId: `dup-${taskQueue}` })).rejects.toBeInstanceOf(
        WorkflowExecutionAlreadyStartedError,
      );
      await handle.signal('done');
      await handle.result();
      const result = await env.client.workflow.execute<typeof wf.greeting>('greeting', { taskQueue, workflowId: `greet-${taskQueue}`, args: ['Ada'] });
      expect(result).toBe('Hello, Ada!');
    });
  });

  it('delivers signals, answers queries, runs accepted updates and leaves no trace of rejected ones', async () => {
    const taskQueue = uniqueQueue('messages');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `msg-${taskQueue}` });
      await handle.signal('add', 'first');
      expect(await handle.query<string[]>('items')).toEqual(['first']);
      expect(await handle.executeUpdate<number, [string]>('addItem', { args: ['second'] })).toBe(2);
      const before = (await handle.fetchHistory()).events?.length ?? 0;
      await expect(handle.executeUpdate<number, [string]>('addItem', { args: ['bad-item'] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const after = (await handle.fetchHistory()).events?.length ?? 0;
      expect(after).toBe(before);
      expect(await handle.query<string[]>('items')).toEqual(['first', 'second']);
      await handle.signal('done');
      expect(await handle.result()).toEqual(['first', 'second']);
      // A query against a closed workflow is answered from its history.
      expect(await handle.query<string[]>('items')).toEqual(['first', 'second']);
    });
  });

  it('signal-with-start starts once and then signals the running workflow', async () => {
    const taskQueue = uniqueQueue('sws');
    await withWorker(env, taskQueue, activities, async () => {
      const workflowId = `sws-${taskQueue}`;
      const first = await env.client.workflow.signalWithStart('collector', { taskQueue, workflowId, signal: 'add', signalArgs: ['a'] });
      const second = await env.client.workflow.signalWithStart('collector', { taskQueue, workflowId, signal: 'add', signalArgs: ['b'] });
      expect(second.signaledRunId).toBe(first.signaledRunId);
      await first.signal('done');
      expect(await first.result()).toEqual(['a', 'b']);
    });
  });

  it('buffers a signal that arrives during a workflow task and refuses to close before delivering it', async () => {
    const taskQueue = uniqueQueue('buffer');
    await withWorker(env, taskQueue, { ...activities, sleepFor: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) }, async () => {
      const handle = await env.client.workflow.start<typeof wf.firstSignalThenSlowClose>('firstSignalThenSlowClose', { taskQueue, workflowId: `buf-${taskQueue}` });
      await handle.signal('add', 'one');
      // Wait until the task that saw 'one' (and now runs the slow local activity) is in flight.
      for (let i = 0; i < 200; i++) {
        const seen = (await handle.fetchHistory()).events ?? [];
        const last = seen[seen.length - 1];
        if (seen.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) && last?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await handle.signal('add', 'two');
      expect(await handle.result()).toEqual(['one', 'two']);
      const events = (await handle.fetchHistory()).events ?? [];
      const types = events.map((e) => e.eventType);
      const lastSignal = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
      expect(lastSignal).toBeLessThan(types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
      expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    });
  });

  it('fires and cancels timers', async () => {
    const taskQueue = uniqueQueue('timers');
    await withWorker(env, taskQueue, activities, async () => {
      expect(await env.client.workflow.execute<typeof wf.sleeper>('sleeper', { taskQueue, workflowId: `sleep-${taskQueue}`, args: [200] })).toBe('woke');
      expect(await env.client.workflow.execute<typeof wf.timerCancel>('timerCancel', { taskQueue, workflowId: `tc-${taskQueue}` })).toBe('timer cancelled');
    });
  });

  it('records TimerCanceled, not TimerFired, for a timer cancelled by the task during which it fired', async () => {
    const taskQueue = uniqueQueue('timers');
    await withWorker(env, taskQueue, { ...activities, sleepFor: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)) }, async () => {
      const handle = await env.client.workflow.start<typeof wf.cancelTimerThatFiredMeanwhile>('cancelTimerThatFiredMeanwhile', { taskQueue, workflowId: `tcf-${taskQueue}` });
      // The timer must be on the server before the signal: a signal that arrives with the first task lets the SDK
      // drop the timer's start and cancel together, and the server never sees the timer.
      await waitForIdle(handle);
      await handle.signal('done');
      // The real server drops the buffered TimerFired and records TimerCanceled; a history with both the cancel
      // command lost and TimerFired after it is one the SDK refuses for ever (nondeterminism), freezing the workflow.
      const outcome = await Promise.race([handle.result(), new Promise((resolve) => setTimeout(() => resolve('no result within 20 s'), 20_000))]);
      expect(outcome).toBe('timer cancelled');
      const types = (await handle.fetchHistory()).events!.map((e) => e.eventType);
      expect(types.filter((t) => t === EventType.EVENT_TYPE_TIMER_CANCELED)).toHaveLength(1);
      expect(types.filter((t) => t === EventType.EVENT_TYPE_TIMER_FIRED)).toHaveLength(1); // the 10 ms one only
      expect(types).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    });
  });

  it('cancels, terminates and describes workflows', async () => {
    const taskQueue = uniqueQueue('lifecycle');
    await withWorker(env, taskQueue, activities, async () => {
      const cancelled = await env.client.workflow.start<typeof wf.waitForCancel>('waitForCancel', { taskQueue, workflowId: `cancel-${taskQueue}` });
      const described = await cancelled.describe();
      expect(described.status.name).toBe('RUNNING');
      expect(described.type).toBe('waitForCancel');
      await cancelled.cancel();
      await expect(cancelled.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect((await cancelled.describe()).status.name).toBe('CANCELLED');

      const terminated = await env.client.workflow.start<typeof wf.waitForCancel>('waitForCancel', { taskQueue, workflowId: `term-${taskQueue}` });
      await waitForIdle(terminated);
      await terminated.terminate('enough');
      await expect(terminated.result()).rejects.toThrow('enough');
      expect((await terminated.describe()).status.name).toBe('TERMINATED');
      await expect(terminated.signal('add', 'late')).rejects.toThrow();
    });
  });

  it('continues as new and result() follows the chain', async () => {
    const taskQueue = uniqueQueue('can');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.countdown>('countdown', { taskQueue, workflowId: `can-${taskQueue}`, args: [3] });
      expect(await handle.result()).toBe('done after continuing');
      const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
    });
  });

  it('pages through a long history', async () => {
    const taskQueue = uniqueQueue('paging');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `page-${taskQueue}` });
      for (let i = 0; i < 60; i++) await handle.signal('add', `item-${i}`);
      await handle.signal('done');
      expect(await handle.result()).toHaveLength(60);
      const all = (await handle.fetchHistory()).events ?? [];
      const pages: number[] = [];
      let token: Uint8Array | undefined;
      const ids: number[] = [];
      do {
        const page = await env.client.workflowService.getWorkflowExecutionHistory({
          namespace: 'default',
          execution: { workflowId: handle.workflowId },
          maximumPageSize: 5,
          nextPageToken: token,
        });
        pages.push(page.history?.events?.length ?? 0);
        for (const e of page.history?.events ?? []) ids.push(Number(e.eventId));
        token = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
      } while (token);
      // The real server's page size counts batches of events written together (a page of 25 once held 118 events,
      // and signals that arrive during a workflow task are written as one batch, so a page of 25 batches sometimes
      // held the whole history); the stand-in's counts events. Either way the history arrives in order over
      // several pages of 5.
      expect(pages.length).toBeGreaterThan(1);
      // The real server may end with an empty page (the page before it still carried a token); no other is empty.
      expect(pages.slice(0, -1).every((size) => size > 0)).toBe(true);
      expect(ids).toEqual(all.map((e) => Number(e.eventId)));
      expect(ids).toEqual(ids.map((_, i) => i + 1));
    });
  });

  it('retries a failed workflow per its RetryPolicy and result() follows the attempts', async () => {
    const taskQueue = uniqueQueue('wfretry');
    allowedLogs = [/Workflow failed.*failsUntilAttempt/];
    await withWorker(env, taskQueue, activities, async () => {
      const result = await env.client.workflow.execute<typeof wf.failsUntilAttempt>('failsUntilAttempt', {
        taskQueue,
        workflowId: `wfretry-${taskQueue}`,
        args: [3],
        retry: { initialInterval: '50ms', maximumAttempts: 5 },
      });
      expect(result).toBe(3);
      await expect(
        env.client.workflow.execute<typeof wf.failsUntilAttempt>('failsUntilAttempt', {
          taskQueue,
          workflowId: `wfretry-max-${taskQueue}`,
          args: [10],
          retry: { initialInterval: '10ms', maximumAttempts: 2 },
        }),
      ).rejects.toBeInstanceOf(WorkflowFailedError);
    });
  });

  it('times out a workflow that outlives its execution timeout', async () => {
    const taskQueue = uniqueQueue('wftimeout');
    // On a loaded machine the run may time out while its first task is still with the worker, whose completion
    // is then answered "not found" (by either server).
    allowedLogs = [/Task not found when completing/];
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.waitForCancel>('waitForCancel', { taskQueue, workflowId: `wft-${taskQueue}`, workflowExecutionTimeout: '1s' });
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect((await handle.describe()).status.name).toBe('TIMED_OUT');
    });
  });

  it('writes histories that the SDK replayer accepts without nondeterminism', async () => {
    const taskQueue = uniqueQueue('replay');
    const ids: string[] = [];
    await withWorker(env, taskQueue, { ...activities, sleepFor: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) }, async () => {
      const c = await env.client.workflow.start<typeof wf.collector>('collector', { taskQueue, workflowId: `replay-c-${taskQueue}` });
      await c.signal('add', 'a');
      await c.executeUpdate<number, [string]>('addItem', { args: ['b'] });
      await expect(c.executeUpdate<number, [string]>('addItem', { args: ['bad'] })).rejects.toThrow();
      await c.signal('done');
      await c.result();
      ids.push(c.workflowId);
      ids.push((await env.client.workflow.start('greeting', { taskQueue, workflowId: `replay-g-${taskQueue}`, args: ['x'] })).workflowId);
      ids.push((await env.client.workflow.start('timerCancel', { taskQueue, workflowId: `replay-t-${taskQueue}` })).workflowId);
      ids.push((await env.client.workflow.start('parent', { taskQueue, workflowId: `replay-p-${taskQueue}` })).workflowId);
      ids.push((await env.client.workflow.start('markersAndAttributes', { taskQueue, workflowId: `replay-m-${taskQueue}` })).workflowId);
      for (const id of ids.slice(1)) await env.client.workflow.getHandle(id).result();
    });
    for (const id of ids) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      await expect(Worker.runReplayHistory({ workflowsPath }, history, id)).resolves.toBeUndefined();
    }
  });
});
