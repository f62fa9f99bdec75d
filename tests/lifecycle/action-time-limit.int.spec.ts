// An action that cannot be answered in time (the worker stopped after the API sent it) answers 503 within the
// stated limit, and is not applied when the worker comes back: nothing half-done remains.
import { reportStreamId } from '@engine/contracts';
import { WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { eventually, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';
import { filing, staff } from './report-filing';

const LIMIT_MS = 2_000;
/** More than the workflow's ACTION_STORE_GRACE_MS (2.5 s), as the API's own margin is. */
const MARGIN_MS = 3_000;

const NOT_ANSWERED = (reportId: string) => `Report ${reportId}: the action was not answered within 2 s, so it was not applied and will not be. Try again; if it persists, check the worker.`;

/** The same services the API runs, with a short limit. */
function limitedReports(stack: LifecycleStack): WorkflowReportsService {
  const { deps } = stack.reports as unknown as { deps: ConstructorParameters<typeof WorkflowReportsService>[0] };
  return new WorkflowReportsService({ ...deps, actionTimeoutMs: LIMIT_MS, actionAnswerMarginMs: MARGIN_MS });
}

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

    // Temporal still lists the stopped worker as polling: the API sends the action.
    const reports = limitedReports(stack);
    const started = Date.now();
    await expect(reports.act(reportId, 'AddNote', { text: 'Sent while no worker runs' }, staff)).rejects.toMatchObject({
      name: 'EngineUnavailableError',
      message: NOT_ANSWERED(reportId),
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

  it('answers 503 when the database is down while storing, and the action is not stored once it is back', async () => {
    const worker = await stack.startWorker();
    const reports = limitedReports(stack);
    try {
      const reportId = `time-limit-db-${Date.now()}`;
      await reports.file(filing(reportId), staff);
      // The database refuses connections for 6 s from the first append of the action on: the activity retries
      // (1 s, 2 s, 4 s apart), and its attempt after the limit plus the grace finds it too late to store.
      const append = stack.eventStore.append.bind(stack.eventStore);
      let downUntil = 0;
      stack.eventStore.append = async (...args: Parameters<typeof append>) => {
        downUntil ||= Date.now() + 6_000;
        if (Date.now() < downUntil) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return append(...args);
      };
      try {
        await expect(reports.act(reportId, 'AddNote', { text: 'Stored while the database is down' }, staff)).rejects.toMatchObject({ name: 'EngineUnavailableError', message: NOT_ANSWERED(reportId) });
        const next = await eventually(() =>
          reports.act(reportId, 'AddNote', { text: 'After the database returned' }, staff).catch((error: Error) => (error.name === 'EngineUnavailableError' ? undefined : Promise.reject(error))),
          30_000,
        );
        expect(next.version).toBe(2);
      } finally {
        stack.eventStore.append = append;
      }
      const stored = await stack.eventStore.readStream(reportStreamId(reportId));
      expect(stored.map((event) => [event.type, event.data.text])).toEqual([
        ['ReportFiled', undefined],
        ['NoteAdded', 'After the database returned'],
      ]);
      // The worker warns of each failed attempt, forwarded on its own schedule: collected until quiet for 1 s.
      const warnings: string[] = [];
      let lastNew = Date.now();
      await eventually(async () => {
        const fresh = takeWarnings();
        if (fresh.length > 0) {
          warnings.push(...fresh);
          lastNew = Date.now();
        }
        return Date.now() - lastNew > 1_000 ? true : undefined;
      });
      expect(new Set(warnings)).toEqual(new Set(['WARN Activity failed']));
    } finally {
      await worker.stop();
    }
  }, 90_000);
});
