// An action that cannot be answered in time (the worker stopped after the API sent it) answers 503 within the
// stated limit, and is not applied when the worker comes back: nothing half-done remains.
import { reportStreamId } from '@engine/contracts';
import { WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { eventually, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';
import { filing, staff } from './report-filing';

const LIMIT_MS = 2_000;
const MARGIN_MS = 1_000;

describe('an action the worker cannot answer in time', () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));

  it('answers 503 within the limit, and is refused, not applied, when the worker returns', async () => {
    const worker = await stack.startWorker();
    const reportId = `time-limit-${Date.now()}`;
    await stack.reports.file(filing(reportId), staff);
    await worker.stop();

    // The same services the API runs, with a short limit; Temporal still lists the stopped worker as polling.
    const reports = new WorkflowReportsService({ ...(stack.reports as unknown as { deps: ConstructorParameters<typeof WorkflowReportsService>[0] }).deps, actionTimeoutMs: LIMIT_MS, actionAnswerMarginMs: MARGIN_MS });
    const started = Date.now();
    await expect(reports.act(reportId, 'AddNote', { text: 'Sent while no worker runs' }, staff)).rejects.toMatchObject({
      name: 'EngineUnavailableError',
      message: `Report ${reportId}: the action was not answered within 2 s, so it was not applied and will not be. Try again; if it persists, check the worker.`,
    });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(LIMIT_MS + MARGIN_MS - 100);
    expect(waited).toBeLessThan(LIMIT_MS + MARGIN_MS + 2_000);

    const back = await stack.startWorker();
    try {
      // The returning worker meets the pending update after its limit and refuses it; the case goes on.
      const next = await eventually(() =>
        reports.act(reportId, 'AddNote', { text: 'After the worker returned' }, staff).catch((error: Error) => (error.name === 'EngineUnavailableError' ? undefined : Promise.reject(error))),
      );
      expect(next.version).toBe(2);
      const stored = await stack.eventStore.readStream(reportStreamId(reportId));
      expect(stored.map((event) => [event.type, event.data.text])).toEqual([
        ['ReportFiled', undefined],
        ['NoteAdded', 'After the worker returned'],
      ]);
    } finally {
      await back.stop();
    }
  }, 90_000);
});
