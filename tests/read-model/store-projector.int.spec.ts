// The projector reading the event store's global order (no Kafka): each batch applied to the read model with its
// checkpoint in one transaction; a poison event quarantined in that same batch, its report held, the others
// projected; two projectors on one checkpoint never apply a batch twice; a rebuild starts over from position 0.
import { reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { fold, ReportEvent, reportDecider } from '@engine/domain';
import { EventQuarantine, SqlEventStore } from '@engine/event-store';
import { READ_MODEL_CHECKPOINT, ReadModel } from '@engine/read-model';
import { command } from '../../libs/domain/testing/report-fixtures';
import { rebuildReadModel } from '../../apps/worker/src/projector/rebuild-read-model';
import { StoreProjector } from '../../apps/worker/src/projector/store-projector';
import { openProjectionStack } from './support/projection-stack';

const steps = [command.fileReport(), command.triageActionable('high'), command.requestDeletion(), command.requestSubscriberData()];

function eventsOf(reportId: string): ReportEvent[] {
  const events: ReportEvent[] = [];
  for (const c of steps) {
    const withId = c.type === 'FileReport' ? { ...c, data: { ...c.data, reportId } } : c;
    events.push(...reportDecider.decide(withId, fold(reportDecider, events)));
  }
  return events;
}

async function store(eventStore: SqlEventStore, reportId: string, events: ReportEvent[]): Promise<void> {
  await eventStore.append(
    reportStreamId(reportId),
    0,
    events.map((event, i) => ({ eventId: reportEventId(reportId, i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
  );
}

describe('the projector reading the event store', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let readModel: ReadModel;
  const projector = (batchSize = 100) => new StoreProjector({ database, store: eventStore, storeSchema: eventStore.schema, readModel, batchSize, idlePollMs: 20 });
  const versions = async () => Object.fromEntries((await readModel.list({ limit: 100 })).items.map((item) => [item.reportId, item.version]));

  beforeAll(async () => {
    ({ database, eventStore, readModel } = await openProjectionStack());
  });
  afterAll(() => database.close());

  it('projects every report, quarantines a poison event in its batch, holds its report, and moves its checkpoint past them', async () => {
    const bad = eventsOf('r-bad');
    // A deadline PostgreSQL refuses as a timestamp: the statement fails inside the batch's transaction.
    bad[2] = { ...bad[2], data: { ...(bad[2].data as object), deadline: new Date(Date.UTC(21192, 0, 1)).toISOString() } } as ReportEvent;
    await store(eventStore, 'r-bad', bad);
    await store(eventStore, 'r-good', eventsOf('r-good'));
    const first = projector();
    expect(await first.catchUp()).toBe(8);
    expect(await versions()).toEqual({ 'r-bad': 2, 'r-good': 4 });
    expect(await new EventQuarantine(database, eventStore.schema).list('projector')).toEqual([
      expect.objectContaining({ streamId: reportStreamId('r-bad'), version: 3, error: expect.stringMatching(/date|time|range/i) }),
      expect.objectContaining({ streamId: reportStreamId('r-bad'), version: 4, error: 'held behind version 3 of this report, which is quarantined' }),
    ]);
    // The checkpoint is past everything: nothing of the store is left to project.
    expect(await eventStore.countAfter(await eventStore.checkpointStore().load(READ_MODEL_CHECKPOINT))).toBe(0);
    expect(first.projected).toBe(8);
  });

  it('never applies a batch twice when two projectors run on one checkpoint (the second finds it moved and goes on)', async () => {
    await store(eventStore, 'r-twice', eventsOf('r-twice'));
    await store(eventStore, 'r-thrice', eventsOf('r-thrice'));
    const one = projector(3);
    const other = projector(3);
    // Both read from the same checkpoint before either applies.
    await Promise.all([one.catchUp(), other.catchUp()]);
    expect(one.projected + other.projected).toBe(8);
    expect(await versions()).toMatchObject({ 'r-twice': 4, 'r-thrice': 4 });
  });

  it('rebuilds from position 0 of the store, a running projector following: the same case list, the poison event quarantined again', async () => {
    const before = await readModel.list({ limit: 100 });
    // A projector running, caught up and idle, follows the rewound checkpoint.
    const running = projector();
    await running.catchUp();
    running.start();
    try {
      await rebuildReadModel({ database, storeSchema: eventStore.schema, readModel });
      const behind = async () => eventStore.countAfter(await eventStore.checkpointStore().load(READ_MODEL_CHECKPOINT));
      for (let waited = 0; (await behind()) > 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await running.stop();
    }
    expect(running.projected).toBe(16); // every report event of the store, once
    expect(await readModel.list({ limit: 100 })).toEqual(before);
    expect((await new EventQuarantine(database, eventStore.schema).list('projector')).map((entry) => entry.version)).toEqual([3, 4]);
  });
});

describe('the projector on PGlite, which has no autovacuum', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let readModel: ReadModel;

  beforeAll(async () => {
    ({ database, eventStore, readModel } = await openProjectionStack());
  });
  afterAll(() => database.close());

  it('vacuums and analyses the read model on PGlite (no autovacuum there) once enough events were applied, so index-only reads stay index-only', async () => {
    const allVisible = async () => (await database.query<{ pages: number }>(`SELECT relallvisible AS pages FROM pg_class WHERE oid = 'read_model.reports'::regclass`))[0].pages;
    const maintained: ({ ms: number } | { error: unknown })[] = [];
    const maintaining = new StoreProjector({
      database, store: eventStore, storeSchema: eventStore.schema, readModel, batchSize: 4, idlePollMs: 20, maintenanceMinEvents: 8, onMaintained: (outcome) => maintained.push(outcome),
    });
    const before = await allVisible();
    for (const id of ['r-vacuum-1', 'r-vacuum-2']) await store(eventStore, id, eventsOf(id));
    await maintaining.catchUp();
    expect(maintained).toEqual([{ ms: expect.any(Number) }]);
    expect(await allVisible()).toBeGreaterThan(before);
    // Off where a server's autovacuum does it.
    const onServer = new StoreProjector({ database, store: eventStore, storeSchema: eventStore.schema, readModel, maintainReadModel: false, maintenanceMinEvents: 1, onMaintained: (outcome) => maintained.push(outcome) });
    await store(eventStore, 'r-vacuum-3', eventsOf('r-vacuum-3'));
    await onServer.catchUp();
    expect(maintained).toHaveLength(1);
  });
});
