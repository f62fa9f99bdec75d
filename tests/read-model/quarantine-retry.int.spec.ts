// npm run quarantine -- retry, for the projector: held reports are projected again from the event store; what
// applies leaves the quarantine, what still cannot stays with its reason.
import { reportStreamId } from '@engine/contracts';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { PGliteDatabase } from '@engine/database';
import { EventQuarantine, openEventStore, SqlEventStore } from '@engine/event-store';
import { toLifecycleMessage } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { command } from '../../libs/domain/testing/report-fixtures';
import { projectOrQuarantine } from '../../apps/worker/src/projector/quarantining-projection';
import { retryProjectorQuarantine } from '../../apps/worker/src/projector/retry-quarantined';

const steps = [command.fileReport(), command.triageActionable('high'), command.requestDeletion(), command.requestSubscriberData()];

describe('retrying the projector quarantine', () => {
  let database: PGliteDatabase;
  let store: SqlEventStore;
  let readModel: ReadModel;
  let quarantine: EventQuarantine;

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    store = await openEventStore(database);
    readModel = new ReadModel(database);
    await readModel.migrate();
    quarantine = new EventQuarantine(database, store.schema);
    await quarantine.migrate();
  });
  afterAll(() => database.close());

  async function storeReport(reportId: string, change?: (event: ReportEvent, index: number) => ReportEvent) {
    const events: ReportEvent[] = [];
    for (const c of steps) events.push(...reportDecider.decide(c.type === 'FileReport' ? { ...c, data: { ...c.data, reportId } } : c, fold(reportDecider, events)));
    const stored = events.map((event, index) => (change ? change(event, index) : event));
    return store.append(
      reportStreamId(reportId),
      0,
      stored.map((event, index) => ({ eventId: `${reportId}-${index + 1}`, type: event.type, schemaVersion: 1, data: event.data as never, metadata: event.metadata as never })),
    );
  }

  it('projects a report held behind a gap (an event the relay quarantined) once the event is there, and releases it', async () => {
    const stored = await storeReport('r-gap');
    const deps = { readModel, quarantine };
    expect(await projectOrQuarantine(toLifecycleMessage(stored[0]), deps)).toBe('applied');
    // Version 2 never arrived (the relay set it aside): 3 is a gap, 4 is held behind it.
    expect(await projectOrQuarantine(toLifecycleMessage(stored[2]), deps)).toBe('quarantined');
    expect(await projectOrQuarantine(toLifecycleMessage(stored[3]), deps)).toBe('held');
    expect((await quarantine.counts()).projector).toBe(2);

    const outcome = await retryProjectorQuarantine({ store, readModel, quarantine });
    expect(outcome).toEqual({ released: 2, remaining: [] });
    expect((await readModel.summary('r-gap'))?.version).toBe(4);
  });

  it('keeps an event that still cannot be applied, with one more attempt, and what is behind it', async () => {
    const stored = await storeReport('r-year', (event, index) =>
      index === 2 ? ({ ...event, data: { ...(event.data as object), deadline: new Date(Date.UTC(21192, 0, 1)).toISOString() } } as ReportEvent) : event,
    );
    for (const event of stored) await projectOrQuarantine(toLifecycleMessage(event), { readModel, quarantine });
    const outcome = await retryProjectorQuarantine({ store, readModel, quarantine });
    expect(outcome.released).toBe(0);
    expect(outcome.remaining.map((entry) => [entry.version, entry.attempts])).toEqual([
      [3, 2],
      [4, 1],
    ]);
    expect((await readModel.summary('r-year'))?.version).toBe(2);
  });
});
