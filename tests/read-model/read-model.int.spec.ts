// The read model on a real database (PGlite), fed with lifecycle messages the decider produced.
import { ReportLifecycleMessage, reportEventId } from '@engine/contracts';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { ReadModel, ReadModelGapError } from '@engine/read-model';
import { PGliteDatabase } from '@engine/database';
import { at, command, DAY, HOUR, meta, MINUTE, timer, uniformPolicy } from '../../libs/domain/testing/report-fixtures';

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
    expect((await model.list({ overdue: true, now: at(2 * HOUR) })).items.map((r) => r.reportId)).toEqual(['r-1']);
    expect((await model.list({ overdue: false, now: at(2 * HOUR) })).items.map((r) => r.reportId)).toEqual(['r-2', 'r-3']);
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
      medianSecondsToEffect: 26 * 3600,
      overdueNow: 1,
    });
  });

  it("measures the time to effect from the times the platform's answer states, not when staff recorded it", async () => {
    // Requested at filing; the answer recorded 26 h later says it arrived at 3 h and the content went at 2 h.
    const statedTimes = messagesOf('r-stated', [
      command.fileReport(),
      command.triageActionable('critical'),
      command.requestDeletion(),
      command.respond({ clock: 'deletion', response: 'removed', receivedAt: at(3 * HOUR), effectGivenAt: at(2 * HOUR) }, meta(26 * HOUR)),
    ]);
    for (const m of statedTimes) await model.project(m);
    const card = await model.scorecard('telegram', { from: at(-DAY), to: at(DAY) }, at(30 * HOUR));
    const requestedAt = statedTimes.find((m) => m.type === 'DeletionRequested')!.metadata.now;
    expect(card.medianSecondsToEffect).toBe((Date.parse(at(2 * HOUR)) - Date.parse(requestedAt)) / 1000);
  });
});

describe('overdue in the read model', () => {
  const dbReady = PGliteDatabase.open();
  let schemas = 0;
  let model: ReadModel;

  beforeEach(async () => {
    model = new ReadModel(await dbReady, `read_model_overdue_${++schemas}`);
    await model.migrate();
  });
  afterAll(async () => (await dbReady).close());

  const hourly = uniformPolicy(1, 'PT1H');
  const steps = ['standard-contact', 'reminder', 'high-level-contact', 'app-store-pressure'] as const;
  /** A deletion request sent 20 minutes in, every step an hour, each deadline passing unanswered: exhausted at 4h20. */
  const exhausted = (id: string) =>
    messagesOf(id, [
      command.fileReport({ policy: hourly }),
      command.triageActionable('high'),
      command.requestDeletion(),
      ...steps.map((step, i) => command.elapse({ clock: 'deletion', step }, timer(20 * MINUTE + (i + 1) * HOUR))),
    ]);
  /** A deletion request waiting, due at 1h20 + offset. */
  const waiting = (id: string, offset = 0) =>
    messagesOf(id, [command.fileReport({ policy: hourly }), command.triageActionable('high'), command.requestDeletion(meta(20 * MINUTE + offset))]);
  /** Answered ten minutes after the request. */
  const quicklyRemoved = (id: string) =>
    messagesOf(id, [
      command.fileReport({ policy: hourly }),
      command.triageActionable('high'),
      command.requestDeletion(),
      command.respond({ clock: 'deletion', response: 'removed' }, meta(30 * MINUTE)),
    ]);
  const ids = async (filter: Parameters<ReadModel['list']>[0]) => (await model.list(filter)).items.map((r) => r.reportId);

  it('a request that ran through its whole ladder is overdue, the most overdue of all, and counted in the scorecard', async () => {
    for (const m of [...waiting('due-later', 10 * DAY), ...exhausted('exhausted'), ...waiting('due-soon'), ...messagesOf('triage', [command.fileReport()])]) {
      await model.project(m);
    }
    const summary = await model.summary('exhausted');
    expect(summary).toMatchObject({ nextDeadline: null, overdueSince: at(20 * MINUTE + 4 * HOUR) });
    // Before: an exhausted ladder had no next deadline, so it was never overdue and came last.
    // At 5h: the exhausted ladder and due-soon (due 1h20, its timer not yet heard of) are overdue.
    expect(await ids({ overdue: true, now: at(5 * HOUR) })).toEqual(['exhausted', 'due-soon']);
    expect(await ids({ overdue: false, now: at(5 * HOUR) })).toEqual(['due-later', 'triage']);
    // Most overdue first (the exhausted ladder even before an earlier passed deadline), then the soonest deadline;
    // a case that cannot be overdue last.
    expect(await ids({})).toEqual(['exhausted', 'due-soon', 'due-later', 'triage']);
    expect(await ids({ sort: 'urgency', overdue: true, now: at(30 * DAY) })).toEqual(['exhausted', 'due-soon', 'due-later']);
    expect((await model.scorecard('telegram', { from: at(-DAY), to: at(DAY) }, at(5 * HOUR))).overdueNow).toBe(2);
    expect((await model.scorecard('telegram', { from: at(-DAY), to: at(DAY) }, at(30 * DAY))).overdueNow).toBe(3);
  });

  it('a ten-minute time to effect is not rounded away', async () => {
    for (const m of quicklyRemoved('quick')) await model.project(m);
    const card = await model.scorecard('telegram', { from: at(-DAY), to: at(DAY) }, at(HOUR));
    expect(card).toMatchObject({ medianHoursToEffect: 0.167, medianSecondsToEffect: 600, overdueNow: 0 });
  });

  it('fills the column for rows projected before it existed (the migration is additive and can run again)', async () => {
    for (const m of exhausted('old')) await model.project(m);
    const db = await dbReady;
    await db.exec(`ALTER TABLE ${model.schema}.reports DROP COLUMN overdue_since, DROP COLUMN ladder_exhausted`);
    await model.migrate();
    await model.migrate();
    expect((await model.summary('old'))?.overdueSince).toBe(at(20 * MINUTE + 4 * HOUR));
    for (const m of waiting('new')) await model.project(m);
    // Filled in, ladder_exhausted too: the run-out ladder still comes first.
    expect(await ids({})).toEqual(['old', 'new']);
  });
});
