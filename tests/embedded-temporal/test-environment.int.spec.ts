// The SDK's own test environments started through the repo's wrapper executable (on ENGINES=real: Temporal's
// test server and the temporal CLI): createTimeSkipping (TestService time skipping: a 30-day sleep completes in
// seconds) and createLocal.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { installCapturingRuntime, localDevServer, realTestServerWarnings, takeUnexpectedLogs, timeSkippingServer, workflowsPath } from './helpers';
import type * as wf from './fixtures/workflows';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;
jest.setTimeout(90_000);

describe('embedded Temporal server behind TestWorkflowEnvironment', () => {
  beforeAll(() => installCapturingRuntime());

  it('time-skipping environment: a workflow sleeping 30 days completes in seconds', async () => {
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: timeSkippingServer() });
    try {
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'time-skipping', workflowsPath, activities: { greet: async () => 'unused' } });
      const before = await env.currentTimeMs();
      const realStart = Date.now();
      const result = await worker.runUntil(
        env.client.workflow.execute<typeof wf.sleeper>('sleeper', { taskQueue: 'time-skipping', workflowId: 'thirty-days', args: [THIRTY_DAYS_MS] }),
      );
      expect(result).toBe('woke');
      expect(Date.now() - realStart).toBeLessThan(20_000);
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(THIRTY_DAYS_MS);

      const t0 = await env.currentTimeMs();
      await env.sleep('2 hours');
      expect((await env.currentTimeMs()) - t0).toBeGreaterThanOrEqual(2 * 3600 * 1000);

      // An activity that sleeps through the test service lets the workflow's timer fire first.
      let activityDone: () => void = () => undefined;
      const activityFinished = new Promise<void>((r) => (activityDone = r));
      const racer = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: 'race',
        workflowsPath,
        activities: {
          async longRunning() {
            await env.sleep(1_000_000);
            activityDone();
          },
        },
      });
      const raced = await racer.runUntil(async () => {
        const winner = await env.client.workflow.execute<typeof wf.raceActivityAndTimer>('raceActivityAndTimer', { taskQueue: 'race', workflowId: 'race' });
        await activityFinished;
        return winner;
      });
      expect(raced).toBe('timer');
    } finally {
      await env.teardown();
    }
    // The losing activity completes after its workflow closed; the worker says so, and nothing else.
    expect(takeUnexpectedLogs([/Activity not found on completion/, ...realTestServerWarnings])).toEqual([]);
  });

  it('local environment (createLocal) runs workflows', async () => {
    const env = await TestWorkflowEnvironment.createLocal({ server: localDevServer() });
    try {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: 'local-env',
        workflowsPath,
        activities: { greet: async (name: string) => `Hello, ${name}!` },
      });
      const result = await worker.runUntil(env.client.workflow.execute<typeof wf.greeting>('greeting', { taskQueue: 'local-env', workflowId: 'local-greeting', args: ['wrapper'] }));
      expect(result).toBe('Hello, wrapper!');
    } finally {
      await env.teardown();
    }
    expect(takeUnexpectedLogs()).toEqual([]);
  });
});
