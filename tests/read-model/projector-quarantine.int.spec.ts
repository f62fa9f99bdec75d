// The projector with a message it can never apply (a deadline in the year 21192, which PostgreSQL refuses as a
// timestamp): that message is quarantined, the report's later messages are held behind it, and every other
// report goes on. An outage is not quarantined: the projector retries it.
import { ReportLifecycleMessage, reportEventId, reportStreamId } from '@engine/contracts';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { EventQuarantine } from '@engine/event-store';
import { ReadModel } from '@engine/read-model';
import { PGliteDatabase } from '@engine/database';
import { command } from '../../libs/domain/testing/report-fixtures';
import { projectOrQuarantine } from '../../apps/worker/src/projector/quarantining-projection';

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

const steps = [command.fileReport(), command.triageActionable('high'), command.requestDeletion(), command.requestSubscriberData()];

describe('the projector with a poison message', () => {
  const dbReady = PGliteDatabase.open();
  let readModel: ReadModel;
  let quarantine: EventQuarantine;
  beforeAll(async () => {
    readModel = new ReadModel(await dbReady, 'read_model_quarantine');
    await readModel.migrate();
    quarantine = new EventQuarantine(await dbReady, 'event_store_quarantine');
    await quarantine.migrate();
  });
  afterAll(async () => (await dbReady).close());

  it('quarantines it, holds that report at the version before, and applies every other report', async () => {
    const bad = messagesOf('r-bad', steps);
    // What `P1000000W` in a policy gave before durations were bounded: a deadline JavaScript writes as +021192-…
    expect(bad[2].type).toBe('DeletionRequested');
    bad[2] = { ...bad[2], data: { ...(bad[2].data as object), deadline: new Date(Date.UTC(21192, 0, 1)).toISOString() } } as ReportLifecycleMessage;
    const good = messagesOf('r-good', steps);

    const outcomes = [];
    for (let i = 0; i < steps.length; i++) {
      outcomes.push(await projectOrQuarantine(bad[i], { readModel, quarantine }));
      outcomes.push(await projectOrQuarantine(good[i], { readModel, quarantine }));
    }
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied', 'quarantined', 'applied', 'held', 'applied']);
    // Delivered again (a rebalance), the quarantined message stays quarantined with its own reason.
    expect(await projectOrQuarantine(bad[2], { readModel, quarantine })).toBe('held');

    expect(await quarantine.list('projector')).toEqual([
      expect.objectContaining({ eventId: bad[2].eventId, streamId: reportStreamId('r-bad'), version: 3, error: expect.stringMatching(/date|time|range/i), attempts: 1 }),
      expect.objectContaining({ eventId: bad[3].eventId, version: 4, error: 'held behind version 3 of this report, which is quarantined' }),
    ]);
    const { items } = await readModel.list({});
    const byId = Object.fromEntries(items.map((item) => [item.reportId, item]));
    expect(byId['r-good'].version).toBe(4);
    expect(byId['r-bad'].version).toBe(2);
  });

  it('lets an outage through to be retried, quarantining nothing', async () => {
    const before = await quarantine.counts();
    const outage = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const [first] = messagesOf('r-outage', steps);
    await expect(projectOrQuarantine(first, { readModel: { project: () => Promise.reject(outage) }, quarantine })).rejects.toBe(outage);
    expect(await quarantine.counts()).toEqual(before);
  });
});
