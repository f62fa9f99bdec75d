// What staff rely on, on the real workflow (#11 §5): an action decided on a version the case has left is refused
// and changes nothing, also when two staff members act at the same moment; an action under an Idempotency-Key
// is taken once; a request triage did not choose needs a re-triage; a duplicate names a filed report; notes and
// assignment go on after closing.
import { reportStreamId } from '@engine/contracts';
import { filing, staff } from './report-filing';
import { useLifecycleStack } from './use-lifecycle-stack';

const other = { username: 'analyst.weber', role: 'staff' as const };
const actionable = (deletionRequest: boolean) => ({
  decision: 'actionable',
  category: 'call-to-murder',
  severity: 'high',
  actions: { deletionRequest, subscriberDataRequest: false, referToProsecution: true },
});

describe('staff actions on the report workflow', () => {
  const stack = useLifecycleStack();
  let n = 0;
  const newReport = async () => {
    const reportId = `staff-${Date.now()}-${++n}`;
    await stack().reports.file(filing(reportId), staff);
    return reportId;
  };
  const storedTypes = async (reportId: string) => (await stack().eventStore.readStream(reportStreamId(reportId))).map((event) => event.type);

  it('refuses an action on a stale version with the current one, storing nothing; of two on one version, one wins', async () => {
    const reportId = await newReport();
    const seen = (await stack().reports.get(reportId)).version;
    await stack().reports.act(reportId, 'AssignCase', { assignee: 'alex' }, other, { expectedVersion: seen });
    await expect(stack().reports.act(reportId, 'AssignCase', { assignee: 'sam' }, staff, { expectedVersion: seen })).rejects.toMatchObject({
      name: 'StaleVersionError',
      currentVersion: seen + 1,
    });
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'CaseAssigned']);

    // Both read version 2 and send at once: the check runs with the decision, so exactly one is applied.
    const results = await Promise.allSettled([
      stack().reports.act(reportId, 'AddNote', { text: 'mine' }, staff, { expectedVersion: seen + 1 }),
      stack().reports.act(reportId, 'AddNote', { text: 'theirs' }, other, { expectedVersion: seen + 1 }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ name: 'StaleVersionError', currentVersion: seen + 2 });
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'CaseAssigned', 'NoteAdded']);
  }, 60_000);

  it('takes an action once under an Idempotency-Key, answers the repeat alike, and refuses the key for another body', async () => {
    const reportId = await newReport();
    const key = `note-${reportId}`;
    const first = await stack().reports.act(reportId, 'AddNote', { text: 'Called the platform' }, staff, { idempotencyKey: key });
    const repeat = await stack().reports.act(reportId, 'AddNote', { text: 'Called the platform' }, staff, { idempotencyKey: key });
    expect(repeat).toEqual(first);
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'NoteAdded']);
    await expect(stack().reports.act(reportId, 'AddNote', { text: 'Something else' }, staff, { idempotencyKey: key })).rejects.toMatchObject({
      name: 'IdempotencyKeyReusedError',
    });
    // Without a key, the same note twice is two notes, as asked.
    await stack().reports.act(reportId, 'AddNote', { text: 'Called the platform' }, staff);
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'NoteAdded', 'NoteAdded']);
  }, 60_000);

  it('sends a request triage did not choose only after a re-triage chose it', async () => {
    const reportId = await newReport();
    await stack().reports.act(reportId, 'TriageReport', actionable(false), staff);
    await expect(stack().reports.act(reportId, 'RequestDeletion', {}, staff)).rejects.toMatchObject({ name: 'IllegalStepError', code: 'request-not-chosen-at-triage' });
    const retriaged = await stack().reports.act(
      reportId,
      'RetriageReport',
      { category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true }, reason: 'The content must go' },
      staff,
    );
    expect(retriaged).toMatchObject({ status: 'active', assessment: { category: 'threat', severity: 'critical', actions: { deletionRequest: true } } });
    const requested = await stack().reports.act(reportId, 'RequestDeletion', {}, staff);
    expect(requested.status === 'active' && requested.clocks.deletion?.status).toBe('running');
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'ReportTriaged', 'ReportRetriaged', 'DeletionRequested']);
  }, 60_000);

  it('marks a duplicate only of a filed report, and takes notes and assignment after closing', async () => {
    const original = await newReport();
    const reportId = await newReport();
    await expect(stack().reports.act(reportId, 'MarkDuplicate', { duplicateOf: `${original}-typo` }, staff)).rejects.toMatchObject({
      name: 'IllegalStepError',
      code: 'original-report-not-found',
    });
    expect(await storedTypes(reportId)).toEqual(['ReportFiled']);
    await stack().reports.act(reportId, 'MarkDuplicate', { duplicateOf: original }, staff);
    await stack().reports.act(reportId, 'AddNote', { text: 'Reporter informed' }, staff);
    const closed = await stack().reports.act(reportId, 'AssignCase', { assignee: 'alex' }, staff);
    expect(closed).toMatchObject({ status: 'closed', assignee: 'alex' });
    expect(await storedTypes(reportId)).toEqual(['ReportFiled', 'ReportMarkedDuplicate', 'ReportClosed', 'NoteAdded', 'CaseAssigned']);
  }, 60_000);
});
