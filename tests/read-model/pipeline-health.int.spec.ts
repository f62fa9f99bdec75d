// /health's pipeline probe on a real database: relay and projector lag, each the events stored after its
// checkpoint in the store's global order; down once a component has lag and no progress for the stated time; degraded (still up)
// with quarantined events.
import { REPORTS_TOPIC, reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { cursorAfter, EventQuarantine, openEventStore, SqlEventStore } from '@engine/event-store';
import { READ_MODEL_CHECKPOINT, ReadModel } from '@engine/read-model';
import { EngineHealthProbes } from '../../apps/api/src/health/engine-health-probes';

describe('the pipeline health probe', () => {
  let store: SqlEventStore;
  let database: PGliteDatabase;
  let readModel: ReadModel;
  let now = Date.parse('2026-12-01T10:00:00Z');
  let probes: EngineHealthProbes;

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    store = await openEventStore(database);
    readModel = new ReadModel(database);
    await readModel.migrate();
    probes = new EngineHealthProbes({ temporal: {} as never, taskQueue: 'reports', database, eventStore: store, now: () => now, stallAfterMs: 60_000 });
  });
  afterAll(() => database.close());

  const note = (reportId: string, version: number) => ({
    eventId: reportEventId(reportId, version),
    type: version === 1 ? 'ReportFiled' : 'NoteAdded',
    schemaVersion: 1,
    data: {},
    metadata: { actor: 'analyst.meyer' },
  });

  it('is ok with no events, works before any worker created the quarantine table, and counts the events after each checkpoint', async () => {
    expect(await probes.pipeline()).toEqual({ up: true, detail: 'ok: relay lag 0; projector lag 0' });
    await store.append(reportStreamId('r-1'), 0, [note('r-1', 1), note('r-1', 2)]);
    // The projector reads the store, not the topic: its lag does not wait for the relay's.
    expect(await probes.pipeline()).toEqual({ up: true, detail: 'ok: relay lag 2; projector lag 2' });
  });

  it('is down when a component has lag and its checkpoint has not moved for the stated time', async () => {
    now += 61_000;
    expect(await probes.pipeline()).toEqual({ up: false, detail: 'down: relay lag 2 (stalled: no progress for 61 s); projector lag 2 (stalled: no progress for 61 s)' });
  });

  it('tells relay and projector apart: one moving leaves the other stalled, until it moves too', async () => {
    const [, second] = await store.readStream(reportStreamId('r-1'));
    await store.checkpointStore().save(REPORTS_TOPIC, cursorAfter(second));
    now += 1_000;
    expect(await probes.pipeline()).toEqual({ up: false, detail: 'down: relay lag 0; projector lag 2 (stalled: no progress for 62 s)' });
    await store.checkpointStore().save(READ_MODEL_CHECKPOINT, cursorAfter(second));
    now += 1_000;
    expect(await probes.pipeline()).toEqual({ up: true, detail: 'ok: relay lag 0; projector lag 0' });
  });

  it('is degraded, still up, with quarantined events (behind the checkpoint, so not lag)', async () => {
    const quarantine = new EventQuarantine(database, store.schema);
    await quarantine.migrate();
    const [first, second] = await store.readStream(reportStreamId('r-1'));
    await quarantine.record({ component: 'projector', eventId: first.eventId, streamId: first.streamId, version: 1, error: 'date/time field value out of range' });
    await quarantine.record({ component: 'projector', eventId: second.eventId, streamId: second.streamId, version: 2, error: 'held behind version 1' });
    now += 1_000;
    expect(await probes.pipeline()).toEqual({
      up: true,
      degraded: true,
      detail: 'degraded: relay lag 0; projector lag 0, 2 event(s) quarantined; list them with npm run quarantine',
    });
  });
});
