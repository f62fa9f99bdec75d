// An action under an Idempotency-Key that could not be answered in time (503: not applied, and never will be) is
// taken once when retried with the same key after the worker returns, and a further repeat answers the same.
import { reportStreamId } from '@engine/contracts';
import { WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { eventually, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';
import { filing, staff } from './report-filing';

/** The same services the API runs, with a short limit (as in action-time-limit.int.spec.ts). */
function limitedReports(stack: LifecycleStack): WorkflowReportsService {
  const { deps } = stack.reports as unknown as { deps: ConstructorParameters<typeof WorkflowReportsService>[0] };
  return new WorkflowReportsService({ ...deps, actionTimeoutMs: 2_000, actionAnswerMarginMs: 3_000 });
}

describe('an action under an Idempotency-Key after a 503', () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));

  it('is taken once when retried with the same key', async () => {
    const worker = await stack.startWorker();
    const reportId = `keyed-retry-${Date.now()}`;
    await stack.reports.file(filing(reportId), staff);
    await worker.stop();

    const reports = limitedReports(stack);
    const note = { text: 'Called the platform' };
    const options = { idempotencyKey: `note-${reportId}` };
    await expect(reports.act(reportId, 'AddNote', note, staff, options)).rejects.toMatchObject({ name: 'EngineUnavailableError' });

    const back = await stack.startWorker();
    try {
      const taken = await eventually(() =>
        reports.act(reportId, 'AddNote', note, staff, options).catch((error: Error) => (error.name === 'EngineUnavailableError' ? undefined : Promise.reject(error))),
      );
      expect(taken.version).toBe(2);
      expect(await reports.act(reportId, 'AddNote', note, staff, options)).toEqual(taken);
      const stored = await stack.eventStore.readStream(reportStreamId(reportId));
      expect(stored.map((event) => [event.type, event.data.text])).toEqual([
        ['ReportFiled', undefined],
        ['NoteAdded', 'Called the platform'],
      ]);
    } finally {
      await back.stop();
    }
  }, 90_000);
});
