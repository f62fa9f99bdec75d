// The Nest module provides the event store port and the relay checkpoints, and closes the store at shutdown.

import { Test } from '@nestjs/testing';
import {
  CheckpointStore,
  EVENT_STORE,
  EventStore,
  EventStoreModule,
  openEventStore,
  RELAY_CHECKPOINT_STORE,
} from '@engine/event-store';
import { PGliteDatabase } from '@engine/database';
import { reportEvents } from './support';

jest.setTimeout(60_000);

describe('EventStoreModule', () => {
  it('provides a working EventStore and CheckpointStore (PGlite in memory) and closes them with the app', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ schema: 'nest_events' })] }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    const store = app.get<EventStore>(EVENT_STORE);
    const checkpoints = app.get<CheckpointStore>(RELAY_CHECKPOINT_STORE);

    const [event] = await store.append('report-nest', 0, reportEvents('report-nest', 1, 1));
    expect(await store.readStream('report-nest')).toEqual([event]);
    await checkpoints.save('nest', { transactionId: event.transactionId, globalPosition: event.globalPosition });
    expect(await checkpoints.load('nest')).toEqual({ transactionId: event.transactionId, globalPosition: event.globalPosition });

    await app.close();
    await expect(store.readStream('report-nest')).rejects.toThrow();
  });

  it('takes its options from a factory (forRootAsync)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [EventStoreModule.forRootAsync({ useFactory: async () => ({ schema: 'nest_async_events' }) })],
    }).compile();
    const app = await moduleRef.createNestApplication().init();
    const store = app.get<EventStore>(EVENT_STORE);
    expect(await store.streamVersion('report-none')).toBe(0);
    await app.close();
  });

  it('lives in a database shared with other tables (forDatabase), which it leaves open at shutdown', async () => {
    const database = await PGliteDatabase.open();
    try {
      await database.exec('CREATE TABLE read_model (id text PRIMARY KEY)');
      const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forDatabase(database)] }).compile();
      const app = await moduleRef.createNestApplication().init();
      const store = app.get<EventStore>(EVENT_STORE);
      await store.append('report-shared', 0, reportEvents('report-shared', 1, 2));
      await app.close();

      // Still open, and a second opening of the same schema finds its migrations applied and the events there.
      const reopened = await openEventStore(database);
      expect(await reopened.streamVersion('report-shared')).toBe(2);
      await reopened.close();
      expect(await database.query('SELECT count(*)::int AS n FROM read_model')).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  });
});
