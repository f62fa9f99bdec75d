// Races between time skipping, workflow tasks and queries on the SDK's time-skipping environment (through the
// repo's wrapper, or Temporal's test server on ENGINES=real): a sleep right after a burst of workflow tasks, and
// a query right after a sleep.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { installCapturingRuntime, realTestServerWarnings, takeUnexpectedLogs, timeSkippingServer, within, workflowsPath } from './helpers';
import { addSignal, addUpdate, doneSignal, itemsQuery, reactionsDoneQuery, reactSlowlyUpdate, runStepsUpdate, type collector, type stepsThenLongTimer } from './fixtures/workflows';

const HOUR = 3_600_000;
jest.setTimeout(120_000);

describe('time skipping races', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    installCapturingRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: timeSkippingServer() });
  });
  afterAll(async () => {
    await env?.teardown();
  });
  afterEach(() => expect(takeUnexpectedLogs(realTestServerWarnings)).toEqual([]));

  it('a sleep right after an update that ran a burst of workflow tasks skips to its end', async () => {
    // Each step leaves a sticky schedule-to-start deadline behind, milliseconds apart; the skipper used to stop
    // at one that was due but not yet run and never look again.
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'sleep-after-burst', workflowsPath, activities: { greet: async (name: string) => name } });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof stepsThenLongTimer>('stepsThenLongTimer', { taskQueue: 'sleep-after-burst', workflowId: 'sleep-after-burst' });
      for (let round = 1; round <= 10; round++) {
        expect(await handle.executeUpdate(runStepsUpdate, { args: [5] })).toBe(5 * round);
        const before = await env.currentTimeMs();
        await within(20_000, `env.sleep('2 hours') in round ${round}`, env.sleep('2 hours'));
        expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * HOUR);
      }
      await handle.terminate();
    });
  });

  it('a sleep while an activity runs in real time does not jump past that activity\'s timeout', async () => {
    // Time may pass while someone sleeps, but skipping onto the running activity's start-to-close timeout would
    // retry it behind the worker's back ("Activity not found on completion").
    let attempts = 0;
    const activities = {
      greet: async (name: string) => name,
      sleepFor: async (ms: number) => {
        attempts++;
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'sleep-during-activity', workflowsPath, activities });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof stepsThenLongTimer>('stepsThenLongTimer', { taskQueue: 'sleep-during-activity', workflowId: 'sleep-during-activity' });
      for (let round = 1; round <= 3; round++) {
        await handle.executeUpdate(reactSlowlyUpdate, { args: [300] });
        const before = await env.currentTimeMs();
        await within(20_000, `env.sleep('1 hour') in round ${round}`, env.sleep('1 hour'));
        expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(HOUR);
        expect(await within(20_000, `the query in round ${round}`, handle.query(reactionsDoneQuery))).toBe(round);
        expect(attempts).toBe(round);
      }
      await handle.terminate();
    });
  });

  it('queries issued while a workflow task is scheduled, in flight or just completed are all answered', async () => {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'query-races', workflowsPath, activities: { greet: async (name: string) => name } });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof collector>('collector', { taskQueue: 'query-races', workflowId: 'query-races' });
      for (let round = 1; round <= 40; round++) {
        // A signal schedules a task; the queries land before it is handed out, while it runs, and after it.
        const early = handle.query(itemsQuery);
        const signalled = handle.signal(addSignal, `s${round}`);
        const during = handle.query(itemsQuery);
        await signalled;
        const after = handle.query(itemsQuery);
        const updated = handle.executeUpdate(addUpdate, { args: [`u${round}`] });
        const withUpdate = handle.query(itemsQuery);
        const answers = await within(20_000, `the queries in round ${round}`, Promise.all([early, during, after, updated, withUpdate]));
        expect((answers[2] as string[]).includes(`s${round}`)).toBe(true);
        await within(20_000, `env.sleep in round ${round}`, env.sleep('1 minute'));
      }
      await handle.signal(doneSignal);
      expect(await handle.result()).toHaveLength(80);
    });
  });
});
