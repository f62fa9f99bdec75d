// The replay route's data path on the real store: a case's events appended to the event store (PGlite), read
// back and folded to a version or an instant by the reports service, answered as the route answers.
import { reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { openEventStore, SqlEventStore } from '@engine/event-store';
import { at, command, DAY, MINUTE, timer } from '../../libs/domain/testing/report-fixtures';
import { toReportStateAt } from '../../apps/api/src/reports/report-responses';
import { ReportHistoryPointNotFoundError, ReportNotFoundError } from '../../apps/api/src/reports/reports.service';
import { WorkflowReportsDependencies, WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';

describe('a case replayed from the event store', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let reports: WorkflowReportsService;
  const events: ReportEvent[] = [];

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    eventStore = await openEventStore(database);
    // Only the event store is on the replay's path; Temporal and the read model are never asked.
    reports = new WorkflowReportsService({ eventStore } as unknown as WorkflowReportsDependencies);
    const decide = (c: Parameters<typeof reportDecider.decide>[0]) => events.push(...reportDecider.decide(c, fold(reportDecider, events)));
    decide(command.fileReport({ reportId: 'replay-1' }));
    decide(command.triageActionable('high'));
    decide(command.requestDeletion());
    const due = Date.parse((events[2].data as { deadline: string }).deadline);
    decide(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(due - Date.parse(at(0)))));
    await eventStore.append(
      reportStreamId('replay-1'),
      0,
      events.map((event, i) => ({ eventId: reportEventId('replay-1', i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
    );
  });
  afterAll(() => database.close());

  it('each version folds as the decider folds that prefix, up to the case as it is now', async () => {
    expect(events).toHaveLength(5);
    for (let version = 1; version <= events.length; version++) {
      const replayed = await reports.stateAt('replay-1', { atVersion: version });
      expect(replayed.state).toEqual(fold(reportDecider, events.slice(0, version)));
      expect(replayed).toMatchObject({ version, latestVersion: 5, occurredAt: events[version - 1].metadata.now });
    }
    expect((await reports.stateAt('replay-1', { atVersion: 5 })).state).toEqual(await reports.get('replay-1'));
  });

  it('by instant: before the deadline the request waits at the standard contact; after it, the reminder', async () => {
    const before = toReportStateAt(await reports.stateAt('replay-1', { at: at(DAY) }), { at: at(DAY) });
    expect(before.asOf).toEqual({ version: 3, occurredAt: at(20 * MINUTE), requestedAt: at(DAY), latestVersion: 5 });
    expect(before.clocks.deletion).toMatchObject({ status: 'running', step: 'standard-contact', escalated: false });
    const after = toReportStateAt(await reports.stateAt('replay-1', { at: at(2 * DAY) }), { at: at(2 * DAY) });
    expect(after.clocks.deletion).toMatchObject({ step: 'reminder', escalated: true });
  });

  it('a point outside the history is a 404 with the reason; an unknown report is a 404', async () => {
    await expect(reports.stateAt('replay-1', { atVersion: 6 })).rejects.toThrow(new ReportHistoryPointNotFoundError('replay-1', 'Report replay-1 has versions 1 to 5; there is no version 6.'));
    await expect(reports.stateAt('replay-1', { at: at(-MINUTE) })).rejects.toThrow(/was filed at 2026-03-02T09:00:00.000Z; at 2026-03-02T08:59:00.000Z it did not exist yet/);
    await expect(reports.stateAt('nobody', { atVersion: 1 })).rejects.toBeInstanceOf(ReportNotFoundError);
  });
});
