// The Nest module provides the event store port and the relay checkpoints, and closes the store at shutdown.

import { Test } from '@nestjs/testing';
import { CheckpointStore, EVENT_STORE, EventStore, EventStoreModule, RELAY_CHECKPOINT_STORE } from '@engine/event-store';
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
});
