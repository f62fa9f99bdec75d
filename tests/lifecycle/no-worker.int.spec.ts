// With no worker serving the task queue, the API's actions and reads answer at once that the engine cannot
// serve (503), instead of waiting without an answer, and nothing is sent that a returning worker would apply.
import { eventually, LifecycleStack, startLifecycleStack } from './lifecycle-stack';

const staff = { username: 'analyst.meyer', role: 'staff' as const };

const filing = {
  platform: 'telegram',
  channel: 'state-police' as const,
  contentLocations: [{ url: 'https://t.me/examplechannel/4711' }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash: 'sha256:9f2c',
  seenAt: '2026-03-01T20:15:00.000Z',
  reporterReference: 'LKA-BW-2026-123',
};

describe('no worker on the task queue', () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);

  it('refuses filing, actions and reads at once with the reason, and starts nothing', async () => {
    const unavailable = { name: 'EngineUnavailableError', message: expect.stringContaining(`No worker serves task queue "${stack.taskQueue}"`) };
    const started = Date.now();
    await expect(stack.reports.file({ ...filing, reportId: `no-worker-${Date.now()}` }, staff)).rejects.toMatchObject(unavailable);
    await expect(stack.reports.act('no-worker-1', 'AddNote', { text: 'x' }, staff)).rejects.toMatchObject(unavailable);
    await expect(stack.reports.get('no-worker-1')).rejects.toMatchObject(unavailable);
    expect(Date.now() - started).toBeLessThan(5_000);
    const { count } = await stack.client.workflow.count(`TaskQueue = "${stack.taskQueue}"`);
    expect(count).toBe(0);
  }, 30_000);

  it('serves again once a worker polls', async () => {
    const worker = await stack.startWorker();
    try {
      const reportId = `with-worker-${Date.now()}`;
      // Until the new worker's first poll reaches the server, it is not yet seen.
      const { created } = await eventually(() =>
        stack.reports.file({ ...filing, reportId }, staff).catch((error: Error) => (error.name === 'EngineUnavailableError' ? undefined : Promise.reject(error))),
      );
      expect(created).toBe(true);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
