// The what-if simulation's data path on the real store: recorded cases appended to the event store (PGlite), the
// platform's cases of the period read back in one query, the candidate picked, the domain's simulation answered.
import { reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { defaultEscalationPolicy, ReportEvent } from '@engine/domain';
import { openEventStore, readReportHistories, SqlEventStore } from '@engine/event-store';
import { command, DAY, HOUR, MINUTE, T0 } from '../../libs/domain/testing/report-fixtures';
import { recordHistory, TimedAction } from '../../libs/domain/testing/recorded-histories';
import { runPolicySimulation, PolicySimulationRequestError } from '../../apps/api/src/policies/policy-simulations';
import { PolicyVersion } from '../../apps/api/src/policies/policies.service';

/** A high-severity case filed `filedAfter` ms after T0 on `platform`: deletion requested 20 min later; answered or not. */
function recordedCase(reportId: string, platform: string, filedAfter: number, answeredAfter?: number): ReportEvent[] {
  const start = T0 + filedAfter;
  const actions: TimedAction[] = [
    { at: start, make: (m) => command.fileReport({ reportId, platform, policy: defaultEscalationPolicy(platform) }, m) },
    { at: start + 10 * MINUTE, make: (m) => command.triageActionable('high', m) },
    { at: start + 20 * MINUTE, make: (m) => command.requestDeletion(m) },
    ...(answeredAfter === undefined ? [] : [{ at: start + answeredAfter, make: (m) => command.respond({ clock: 'deletion', response: 'removed' }, m) } as TimedAction]),
  ];
  return recordHistory(actions, T0 + 20 * DAY);
}

describe('a what-if simulation over the stored cases of a platform', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  const versionOne: PolicyVersion = { policy: defaultEscalationPolicy('telegram'), appliesTo: 'default', changedBy: 'system', changedAt: '1970-01-01T00:00:00.000Z', reason: 'defaults' };
  const deps = () => ({
    versions: async () => [versionOne],
    histories: (filter: Parameters<typeof readReportHistories>[2]) => readReportHistories(database, eventStore.schema, filter),
    now: () => new Date(T0 + 20 * DAY),
  });
  const period = { from: new Date(T0).toISOString(), to: new Date(T0 + 7 * DAY).toISOString() };

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    eventStore = await openEventStore(database);
    const cases: [string, ReportEvent[]][] = [
      ['tg-answered', recordedCase('tg-answered', 'telegram', 0, 30 * HOUR)],
      ['tg-silent', recordedCase('tg-silent', 'telegram', DAY)],
      ['tg-later', recordedCase('tg-later', 'telegram', 8 * DAY)], // outside the period
      ['vk-silent', recordedCase('vk-silent', 'vk', DAY)], // another platform
    ];
    for (const [id, events] of cases) {
      await eventStore.append(reportStreamId(id), 0, events.map((event, i) => ({ eventId: reportEventId(id, i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })));
    }
  });
  afterAll(() => database.close());

  it("reads exactly the platform's cases filed in the period, whole, in filing order (the platform's name in any case)", async () => {
    const histories = await readReportHistories(database, eventStore.schema, { platform: 'Telegram', ...period });
    expect(histories.map((h) => h.streamId)).toEqual([reportStreamId('tg-answered'), reportStreamId('tg-silent')]);
    expect(histories[1].events).toEqual(JSON.parse(JSON.stringify(recordedCase('tg-silent', 'telegram', DAY))));
  });

  it('the version in force changes nothing; a half-day first deadline brings both reminders 12 hours earlier', async () => {
    const same = await runPolicySimulation(deps(), 'telegram', { candidate: { version: 1 }, ...period });
    expect(same.summary).toMatchObject({ cases: 2, casesChanged: 0, appStorePressure: { recorded: 1, simulated: 1 } });

    const faster = await runPolicySimulation(deps(), 'telegram', { candidate: { cells: { high: { deletion: { 'standard-contact': { duration: 'PT12H', basis: 'calendar' } } } } }, ...period });
    expect(faster).toMatchObject({ platform: 'telegram', candidateSource: 'cells', versionInForce: 1, candidate: { version: 2 } });
    expect(faster.summary.casesChanged).toBe(2);
    const reminder = faster.summary.steps.find((s) => s.clock === 'deletion' && s.step === 'reminder');
    expect(reminder).toMatchObject({ reached: { recorded: 2, simulated: 2 }, changes: { earlier: 2 }, medianMsToStep: { recorded: DAY, simulated: 12 * HOUR } });
  });

  it('refuses a version that does not exist and a period that ends before it begins', async () => {
    await expect(runPolicySimulation(deps(), 'telegram', { candidate: { version: 4 }, ...period })).rejects.toThrow(new PolicySimulationRequestError('version', "The platform's policy has versions 1 to 1; there is no version 4."));
    await expect(runPolicySimulation(deps(), 'telegram', { candidate: { version: 1 }, from: period.to, to: period.from })).rejects.toBeInstanceOf(PolicySimulationRequestError);
  });
});
