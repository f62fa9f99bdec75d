// Activities against the embedded server: server-side retries with backoff, maximum attempts and
// non-retryable types, all four timeouts, heartbeat details and cancellation delivered to a heartbeating activity.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { useTestEnv, uniqueQueue, withWorker } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
jest.setTimeout(60_000);

const attempts = new Map<string, number[]>();
const heartbeatsSeen: unknown[] = [];

const activities = {
  async greet(name: string) {
    return `Hello, ${name}!`;
  },
  async flaky(key: string, failTimes: number) {
    const list = attempts.get(key) ?? [];
    list.push(Date.now());
    attempts.set(key, list);
    if (Context.current().info.attempt <= failTimes) throw ApplicationFailure.retryable(`attempt ${Context.current().info.attempt} failed`, 'Flaky');
    return Context.current().info.attempt;
  },
  async failWith(type: string) {
    const list = attempts.get(`failWith-${type}`) ?? [];
    list.push(Date.now());
    attempts.set(`failWith-${type}`, list);
    throw ApplicationFailure.retryable(`failing with ${type}`, type);
  },
  async heartbeatUntilCancelled() {
    const ctx = Context.current();
    let i = ctx.info.heartbeatDetails ?? 0;
    for (;;) {
      ctx.heartbeat(++i);
      heartbeatsSeen.push(i);
      await ctx.sleep(100); // rejects with CancelledFailure once the server reports the cancellation
    }
  },
  async checkpointed() {
    const ctx = Context.current();
    if (ctx.info.attempt === 1) {
      ctx.heartbeat('checkpoint-1');
      await ctx.sleep(50);
      throw ApplicationFailure.retryable('first attempt fails after a checkpoint', 'Transient');
    }
    return `attempt ${ctx.info.attempt} resumed from ${String(ctx.info.heartbeatDetails)}`;
  },
  async slowWithoutHeartbeat(ms: number) {
    await new Promise((r) => setTimeout(r, ms));
    return 'slow done';
  },
};

describe('embedded Temporal server: activities', () => {
  const env = useTestEnv({}, { checkLogs: [/Activity failed|activity failed|Completing activity as failed/i, /timed out|cancel/i, /Workflow failed.*max-/] });

  it('retries a failing activity with exponential backoff until it succeeds', async () => {
    const taskQueue = uniqueQueue('retry');
    await withWorker(env, taskQueue, activities, async () => {
      const key = `k-${taskQueue}`;
      const result = await env.client.workflow.execute<typeof wf.retrying>('retrying', { taskQueue, workflowId: key, args: [key, 3] });
      expect(result).toBe(4);
      const times = attempts.get(key) as number[];
      expect(times).toHaveLength(4);
      // initialInterval 50ms, coefficient 2: gaps of about 50, 100, 200 ms.
      expect(times[3] - times[2]).toBeGreaterThanOrEqual(150);
      const history = await env.client.workflow.getHandle(key).fetchHistory();
      const started = history.events?.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(4);
    });
  });

  it('stops at maximum attempts and does not retry non-retryable error types', async () => {
    const taskQueue = uniqueQueue('nonretry');
    await withWorker(env, taskQueue, activities, async () => {
      expect(await env.client.workflow.execute<typeof wf.nonRetryable>('nonRetryable', { taskQueue, workflowId: `nr-${taskQueue}`, args: ['Fatal'] })).toBe('failed:Fatal');
      expect(attempts.get('failWith-Fatal')).toHaveLength(1);
      const key = `max-${taskQueue}`;
      await expect(env.client.workflow.execute<typeof wf.retrying>('retrying', { taskQueue, workflowId: key, args: [key, 100] })).rejects.toThrow();
      expect(attempts.get(key)).toHaveLength(5);
    });
  });

  it('enforces start-to-close, heartbeat, schedule-to-close and schedule-to-start timeouts', async () => {
    const taskQueue = uniqueQueue('timeouts');
    await withWorker(env, taskQueue, activities, async () => {
      const run = (type: string, args: unknown[] = []) =>
        env.client.workflow.execute(type, { taskQueue, workflowId: `${type}-${taskQueue}`, args });
      expect(await run('startToCloseTimeout')).toBe(`TimeoutFailure:START_TO_CLOSE`);
      expect(await run('heartbeatTimeout')).toBe(`TimeoutFailure:HEARTBEAT`);
      expect(await run('scheduleToCloseTimeout')).toBe(`TimeoutFailure:SCHEDULE_TO_CLOSE`);
      expect(await run('scheduleToStartTimeout', [`${taskQueue}-nobody`])).toBe(`TimeoutFailure:SCHEDULE_TO_START`);
    });
  });

  it('delivers cancellation to a heartbeating activity and keeps its heartbeat details', async () => {
    const taskQueue = uniqueQueue('cancel');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.cancelHeartbeating>('cancelHeartbeating', { taskQueue, workflowId: `hb-${taskQueue}` });
      expect(await handle.result()).toBe('activity cancelled');
      const events = (await handle.fetchHistory()).events ?? [];
      const cancelled = events.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
      expect(cancelled).toBeDefined();
      expect(heartbeatsSeen.length).toBeGreaterThan(0);
    });
  });

  it('hands the last heartbeat details to the next attempt', async () => {
    const taskQueue = uniqueQueue('details');
    await withWorker(env, taskQueue, activities, async () => {
      const result = await env.client.workflow.execute<typeof wf.heartbeatDetailsAcrossRetries>('heartbeatDetailsAcrossRetries', { taskQueue, workflowId: `details-${taskQueue}` });
      expect(result).toBe('attempt 2 resumed from checkpoint-1');
    });
  });
});
