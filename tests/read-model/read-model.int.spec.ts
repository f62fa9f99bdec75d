// The read model on a real database (PGlite), fed with lifecycle messages the decider produced.
import { ReportLifecycleMessage, reportEventId } from '@engine/contracts';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { ReadModel, ReadModelGapError } from '@engine/read-model';
import { PGliteDatabase } from '@engine/database';
import { at, command, DAY, HOUR, meta, MINUTE, timer } from '../../libs/domain/testing/report-fixtures';

/** Runs commands through the decider and returns the lifecycle messages a report's stream would carry. */
function messagesOf(reportId: string, commands: Parameters<typeof reportDecider.decide>[0][]): ReportLifecycleMessage[] {
  const events: ReportEvent[] = [];
  for (const c of commands) {
    const withId = c.type === 'FileReport' ? { ...c, data: { ...c.data, reportId } } : c;
    events.push(...reportDecider.decide(withId, fold(reportDecider, events)));
  }
  return events.map((event, i) => ({
    eventId: reportEventId(reportId, i + 1),
    type: event.type,
    schemaVersion: 1,
    reportId,
    streamVersion: i + 1,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.metadata.now,
  }) as ReportLifecycleMessage);
}

describe('the read model', () => {
  const dbReady = PGliteDatabase.open();
  let schemas = 0;
  let model: ReadModel;

  beforeEach(async () => {
    model = new ReadModel(await dbReady, `read_model_${++schemas}`);
    await model.migrate();
    await model.migrate();
  });
  afterAll(async () => (await dbReady).close());

  const removedAfterEscalation = (id: string) =>
    messagesOf(id, [
      command.fileReport(),
      command.triageActionable('high'),
      command.requestDeletion(),
      command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(20 * MINUTE + DAY)),
      command.respond({ clock: 'deletion', response: 'removed' }, meta(20 * MINUTE + DAY + 2 * HOUR)),
    ]);
  const waiting = (id: string) => messagesOf(id, [command.fileReport(), command.triageActionable('critical'), command.requestDeletion(), command.requestSubscriberData()]);

  it('summarises a case with its status, severity and next deadline', async () => {
    for (const m of waiting('r-1')) expect(await model.project(m)).toBe('applied');
    const summary = await model.summary('r-1');
    expect(summary).toMatchObject({ reportId: 'r-1', platform: 'telegram', status: 'active', severity: 'critical', nextDeadline: at(20 * MINUTE + HOUR), version: 4 });
    expect(summary?.state.status).toBe('active');
  });

  it('drops a duplicate and refuses a gap', async () => {
    const messages = waiting('r-1');
    await model.project(messages[0]);
    expect(await model.project(messages[0])).toBe('duplicate');
    await expect(model.project(messages[2])).rejects.toThrow(ReadModelGapError);
    expect((await model.summary('r-1'))?.version).toBe(1);
  });

  it('lists with filters, text search, overdue and paging, sorted by next deadline', async () => {
    for (const m of [...waiting('r-1'), ...removedAfterEscalation('r-2'), ...messagesOf('r-3', [command.fileReport({ excerpt: 'Threat against a mayor' })])]) await model.project(m);
    // r-1 waits for an answer; r-2 was answered and r-3 is in triage, so neither has a deadline and they come last.
    expect((await model.list()).items.map((r) => r.reportId)).toEqual(['r-1', 'r-2', 'r-3']);
    expect((await model.list({ status: 'in-triage' })).items.map((r) => r.reportId)).toEqual(['r-3']);
    expect((await model.list({ severity: 'critical' })).total).toBe(1);
    expect((await model.list({ text: 'MAYOR' })).items.map((r) => r.reportId)).toEqual(['r-3']);
    expect((await model.list({ overdueAt: at(2 * HOUR) })).items.map((r) => r.reportId)).toEqual(['r-1']);
    const page = await model.list({ limit: 1, offset: 1, sort: 'filedAt' });
    expect(page).toMatchObject({ total: 3 });
    expect(page.items).toHaveLength(1);
  });

  it('keeps a timeline with actor and time', async () => {
    for (const m of removedAfterEscalation('r-2')) await model.project(m);
    const timeline = await model.timeline('r-2');
    expect(timeline.map((e) => e.type)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'DeadlineElapsed', 'RequestEscalated', 'PlatformResponseRecorded']);
    expect(timeline[3]).toMatchObject({ actor: 'system:timer', occurredAt: at(20 * MINUTE + DAY), eventId: 'r-2:4' });
  });

  it('computes a platform scorecard', async () => {
    for (const m of [...waiting('r-1'), ...removedAfterEscalation('r-2')]) await model.project(m);
    const card = await model.scorecard('telegram', { from: at(-DAY), to: at(DAY) }, at(2 * HOUR));
    expect(card).toEqual({
      platform: 'telegram',
      period: { from: at(-DAY), to: at(DAY) },
      deletionRequests: { sent: 2, removed: 1, partiallyRemoved: 0, refused: 0, removedPercent: 50 },
      subscriberDataRequests: { sent: 1, answered: 0, supplied: 0, answeredPercent: 0, suppliedPercent: null },
      escalatedRequests: 1,
      medianHoursToEffect: 26,
      overdueNow: 1,
    });
  });
});
