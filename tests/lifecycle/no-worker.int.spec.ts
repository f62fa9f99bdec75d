// With no worker serving the task queue, the API's actions answer at once that the engine cannot serve (503),
// instead of waiting without an answer, and nothing is sent that a returning worker would apply. Reads come from
// the event store and need no worker.
import { eventually, LifecycleStack, startLifecycleStack } from './lifecycle-stack';
import { filing, staff } from './report-filing';

describe('no worker on the task queue', () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);

  it('refuses filing and actions at once with the reason, and starts nothing', async () => {
    const unavailable = { name: 'EngineUnavailableError', message: expect.stringContaining(`No worker serves task queue "${stack.taskQueue}"`) };
    const started = Date.now();
    await expect(stack.reports.file(filing(`no-worker-${Date.now()}`), staff)).rejects.toMatchObject(unavailable);
    await expect(stack.reports.act('no-worker-1', 'AddNote', { text: 'x' }, staff)).rejects.toMatchObject(unavailable);
    await expect(stack.reports.get('no-worker-1')).rejects.toMatchObject({ name: 'ReportNotFoundError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const { count } = await stack.client.workflow.count(`TaskQueue = "${stack.taskQueue}"`);
    expect(count).toBe(0);
  }, 30_000);

  it('serves again once a worker polls, and reads a case while none does', async () => {
    const worker = await stack.startWorker();
    let running = true;
    try {
      const reportId = `with-worker-${Date.now()}`;
      // Until the new worker's first poll reaches the server, it is not yet seen.
      const { created } = await eventually(() =>
        stack.reports.file(filing(reportId), staff).catch((error: Error) => (error.name === 'EngineUnavailableError' ? undefined : Promise.reject(error))),
      );
      expect(created).toBe(true);
      running = false;
      await worker.stop();
      // Gone again: the case still reads, from its stored events, at once.
      const started = Date.now();
      expect(await stack.reports.get(reportId)).toMatchObject({ status: 'in-triage', version: 1 });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      if (running) await worker.stop();
    }
  }, 60_000);
});
