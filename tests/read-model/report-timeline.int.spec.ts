// The timeline route's data path on the real pieces: a case's events stored in the event store, projected into
// the read model by the projector, read back by the reports service and worded by the domain, as the API answers.
import { reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { SqlEventStore } from '@engine/event-store';
import { ReadModel } from '@engine/read-model';
import { at, command, DAY, MINUTE, timer } from '../../libs/domain/testing/report-fixtures';
import { StoreProjector } from '../../apps/worker/src/projector/store-projector';
import { toTimeline } from '../../apps/api/src/reports/report-responses';
import { ReportNotFoundError } from '../../apps/api/src/reports/reports.service';
import { WorkflowReportsDependencies, WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { openProjectionStack } from './support/projection-stack';

describe("a report's timeline from the read model", () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let readModel: ReadModel;
  let reports: WorkflowReportsService;

  beforeAll(async () => {
    ({ database, eventStore, readModel } = await openProjectionStack());
    // Only the event store and the read model are on the timeline's path; Temporal is never asked.
    reports = new WorkflowReportsService({ eventStore, readModel } as unknown as WorkflowReportsDependencies);
  });
  afterAll(() => database.close());

  it('words each event the decider made, with who and when, oldest first', async () => {
    const events: ReportEvent[] = [];
    const decide = (c: Parameters<typeof reportDecider.decide>[0]) => events.push(...reportDecider.decide(c, fold(reportDecider, events)));
    decide(command.fileReport({ reportId: 't-1' }));
    decide(command.triageActionable('high'));
    decide(command.requestDeletion());
    const firstDeadline = (events[2].data as { deadline: string }).deadline;
    decide(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(Date.parse(firstDeadline) - Date.parse(at(0)))));
    await eventStore.append(
      reportStreamId('t-1'),
      0,
      events.map((event, i) => ({ eventId: reportEventId('t-1', i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
    );
    await new StoreProjector({ database, store: eventStore, storeSchema: eventStore.schema, readModel, batchSize: 100, idlePollMs: 20 }).catchUp();

    const timeline = toTimeline('t-1', await reports.timeline('t-1'));
    expect(timeline.entries.map(({ type, actor, summary }) => [type, actor, summary])).toEqual([
      ['ReportFiled', 'analyst.meyer', 'Report filed via the state police against telegram (policy version 1)'],
      ['ReportTriaged', 'analyst.meyer', expect.stringMatching(/^Triaged as call-to-murder, severity high; planned: deletion request/)],
      ['DeletionRequested', 'analyst.meyer', `Deletion request sent to the standard contact, due ${firstDeadline}`],
      ['DeadlineElapsed', 'system:timer', 'Deadline elapsed: the deletion request at the standard contact went unanswered'],
      ['RequestEscalated', 'system:timer', expect.stringMatching(/^Deadline elapsed: the deletion request escalated to the reminder, due /)],
    ]);
    expect(timeline.entries.map((entry) => entry.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(timeline.entries[0].occurredAt).toBe(at(0));
    expect(timeline.entries[2].occurredAt).toBe(at(20 * MINUTE));
    expect(Date.parse(timeline.entries[4].occurredAt)).toBeGreaterThan(Date.parse(at(DAY)));
  });

  it('a report the projection has not reached yet has an empty timeline; no such report is a 404', async () => {
    const filed = reportDecider.decide(command.fileReport({ reportId: 't-2' }), reportDecider.initialState());
    await eventStore.append(reportStreamId('t-2'), 0, filed.map((event, i) => ({ eventId: reportEventId('t-2', i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })));
    expect(await reports.timeline('t-2')).toEqual([]);
    await expect(reports.timeline('t-none')).rejects.toBeInstanceOf(ReportNotFoundError);
  });
});
