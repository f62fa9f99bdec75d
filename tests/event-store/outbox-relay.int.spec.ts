// The outbox relay core on both databases: order, retries with capped backoff, checkpoints, restarts.

import {
  CheckpointStore,
  cursorAfter,
  EventPublisher,
  OutboxRelay,
  OutboxRelayOptions,
  RelayFailure,
  SqlEventStore,
  START_OF_ALL,
  StoredEvent,
} from '@engine/event-store';
import { Backend, describePostgres, eventually, pgliteBackend, postgresBackend, readAllAfter, reportEvent, reportEvents } from './support';

jest.setTimeout(90_000);

/** A broker stand-in: refuses the first `failures` calls (after half-delivering them), then acknowledges. */
class FlakyPublisher implements EventPublisher {
  /** Batches the publisher acknowledged, in acknowledgement order. */
  readonly acknowledged: StoredEvent[][] = [];
  /** Everything that reached the broker, including the halves of refused batches. */
  readonly received: StoredEvent[] = [];
  calls = 0;

  constructor(private failuresLeft = 0) {}

  async publish(events: readonly StoredEvent[]): Promise<void> {
    this.calls += 1;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      this.received.push(...events.slice(0, Math.ceil(events.length / 2)));
      throw new Error('broker unreachable');
    }
    this.received.push(...events);
    this.acknowledged.push([...events]);
  }

  get acknowledgedIds(): string[] {
    return this.acknowledged.flat().map((event) => event.eventId);
  }
}

function relaySuite(makeBackend: () => Backend): void {
  let backend: Backend;
  let store: SqlEventStore;
  let checkpoints: CheckpointStore;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    backend = makeBackend();
    store = await backend.open();
    checkpoints = store.checkpointStore();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  afterAll(async () => {
    await store?.close();
    await backend?.cleanUp();
  });

  function relay(options: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, 'name' | 'publisher'>): OutboxRelay {
    const created = new OutboxRelay({ store, checkpoints, idlePollMs: 20, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options });
    relays.push(created);
    return created;
  }

  async function allIds(): Promise<string[]> {
    return (await readAllAfter(store)).map((event) => event.eventId);
  }

  it('publishes every stored event once, in order, after broker failures, backing off exponentially up to the cap', async () => {
    const streams = ['report-relay-a', 'report-relay-b', 'report-relay-c'];
    for (let round = 0; round < 5; round += 1) {
      for (const [index, stream] of streams.entries()) {
        const count = index + 1;
        await store.append(stream, await store.streamVersion(stream), reportEvents(stream, (await store.streamVersion(stream)) + 1, count));
      }
    }
    const expected = await allIds();
    expect(expected).toHaveLength(30);

    const publisher = new FlakyPublisher(4);
    const failures: RelayFailure[] = [];
    const running = relay({ name: 'ordered', publisher, batchSize: 8, onFailure: (failure) => failures.push(failure) });
    running.start();
    await eventually(async () => publisher.acknowledgedIds.length, (count) => count >= expected.length);
    await running.stop();

    // Acknowledged batches, end to end, are exactly the store's order: nothing lost, nothing twice, nothing reordered.
    expect(publisher.acknowledgedIds).toEqual(expected);
    expect(publisher.acknowledged.every((batch) => batch.length <= 8)).toBe(true);
    expect(failures.map((failure) => [failure.stage, failure.attempt, failure.retryInMs])).toEqual([
      ['publish', 1, 5],
      ['publish', 2, 10],
      ['publish', 3, 20],
      ['publish', 4, 20],
    ]);
    expect((failures[0].error as Error).message).toBe('broker unreachable');
    // Refused batches were retried whole: the broker saw duplicates (dropped by event id downstream), never gaps.
    expect([...new Set(publisher.received.map((event) => event.eventId))]).toEqual(expected);
    const last = (await readAllAfter(store)).at(-1) as StoredEvent;
    expect(await checkpoints.load('ordered')).toEqual(cursorAfter(last));
    expect(running.published).toBe(30);
  });

  it('resumes after its checkpoint when restarted and publishes only what is new', async () => {
    const stream = 'report-relay-restart';
    await store.append(stream, 0, reportEvents(stream, 1, 3));
    const firstRun = relay({ name: 'restart', publisher: new FlakyPublisher() });
    while ((await firstRun.runOnce()) > 0);

    const publisher = new FlakyPublisher();
    const secondRun = relay({ name: 'restart', publisher });
    expect(await secondRun.runOnce()).toBe(0);
    expect(publisher.calls).toBe(0);

    await store.append(stream, 3, reportEvents(stream, 4, 2));
    expect(await secondRun.runOnce()).toBe(2);
    expect(publisher.acknowledgedIds).toEqual([`${stream}:4`, `${stream}:5`]);
  });

  it('retries a failed checkpoint write before moving on, and a relay stopped before its checkpoint re-publishes that batch', async () => {
    const stream = 'report-relay-checkpoint';
    const startCursor = cursorAfter((await readAllAfter(store)).at(-1) ?? { ...START_OF_ALL });
    await checkpoints.save('checkpoint-failures', startCursor);
    await checkpoints.save('checkpoint-down', startCursor);
    await store.append(stream, 0, reportEvents(stream, 1, 2));

    let saveFailures = 2;
    const failures: RelayFailure[] = [];
    const flakyCheckpoints: CheckpointStore = {
      load: (name) => checkpoints.load(name),
      save: async (name, cursor) => {
        if (saveFailures-- > 0) throw new Error('database unreachable');
        await checkpoints.save(name, cursor);
      },
    };
    const publisher = new FlakyPublisher();
    const retrying = relay({ name: 'checkpoint-failures', publisher, checkpoints: flakyCheckpoints, onFailure: (f) => failures.push(f) });
    expect(await retrying.runOnce()).toBe(2);
    expect(failures.map((failure) => failure.stage)).toEqual(['checkpoint', 'checkpoint']);
    expect(await checkpoints.load('checkpoint-failures')).toEqual(cursorAfter((await store.readStream(stream))[1]));

    // The checkpoint store stays down: the relay is stopped after publishing but before it could record that.
    const downCheckpoints: CheckpointStore = {
      load: (name) => checkpoints.load(name),
      save: async () => {
        throw new Error('database unreachable');
      },
    };
    const firstPublisher = new FlakyPublisher();
    const stuck = relay({ name: 'checkpoint-down', publisher: firstPublisher, checkpoints: downCheckpoints });
    stuck.start();
    await eventually(async () => firstPublisher.acknowledgedIds.length, (count) => count === 2);
    await stuck.stop();
    expect(await checkpoints.load('checkpoint-down')).toEqual(startCursor);

    const secondPublisher = new FlakyPublisher();
    const restarted = relay({ name: 'checkpoint-down', publisher: secondPublisher });
    expect(await restarted.runOnce()).toBe(2);
    expect(secondPublisher.acknowledgedIds).toEqual([`${stream}:1`, `${stream}:2`]);
  });

  it('stops promptly while backing off and leaves the checkpoint where it was', async () => {
    await store.append('report-relay-stop', 0, [reportEvent('report-relay-stop', 1)]);
    const publisher = new FlakyPublisher(Number.MAX_SAFE_INTEGER);
    const failures: RelayFailure[] = [];
    const blocked = relay({
      name: 'stop-during-backoff',
      publisher,
      retry: { initialDelayMs: 10, maxDelayMs: 60_000 },
      onFailure: (failure) => failures.push(failure),
    });
    blocked.start();
    await eventually(async () => failures.length, (count) => count >= 4);
    await blocked.stop();
    expect(blocked.running).toBe(false);
    expect(failures.map((failure) => failure.retryInMs).slice(0, 4)).toEqual([10, 20, 40, 80]);
    expect(await checkpoints.load('stop-during-backoff')).toEqual(START_OF_ALL);
  });

  it('wake() makes a caught-up relay look at once instead of at its next poll', async () => {
    const publisher = new FlakyPublisher();
    const idle = relay({ name: 'wake', publisher, idlePollMs: 600_000 });
    while ((await idle.runOnce()) > 0);
    idle.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const callsBefore = publisher.calls;
    await store.append('report-relay-wake', 0, [reportEvent('report-relay-wake', 1)]);
    idle.wake();
    const ids = await eventually(async () => publisher.acknowledgedIds, (acknowledged) => acknowledged.includes('report-relay-wake:1'), 10_000);
    expect(ids).toContain('report-relay-wake:1');
    expect(publisher.calls).toBe(callsBefore + 1);
  });

  it('never moves a checkpoint backwards', async () => {
    const events = await store.append('report-relay-monotonic', 0, reportEvents('report-relay-monotonic', 1, 2));
    await checkpoints.save('monotonic', cursorAfter(events[1]));
    await checkpoints.save('monotonic', cursorAfter(events[0]));
    expect(await checkpoints.load('monotonic')).toEqual(cursorAfter(events[1]));
  });

  it('refuses bad settings', () => {
    const publisher = new FlakyPublisher();
    expect(() => new OutboxRelay({ name: '', store, checkpoints, publisher })).toThrow(/name/);
    expect(() => new OutboxRelay({ name: 'x', store, checkpoints, publisher, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new OutboxRelay({ name: 'x', store, checkpoints, publisher, retry: { factor: 0.5 } })).toThrow(/factor/);
  });
}

describe('outbox relay [PGlite]', () => relaySuite(pgliteBackend));
describePostgres('outbox relay', () => {
  relaySuite(postgresBackend);

  describe('with concurrent writers', () => {
    const backend = postgresBackend();
    let store: SqlEventStore;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
      await backend.cleanUp();
    });

    it('publishes every event exactly once per acknowledged batch, each report in order, while appends commit concurrently', async () => {
      const publisher = new FlakyPublisher(2);
      const running = new OutboxRelay({
        name: 'concurrent',
        store,
        checkpoints: store.checkpointStore(),
        publisher,
        batchSize: 7,
        idlePollMs: 5,
        retry: { initialDelayMs: 5, maxDelayMs: 20 },
      });
      running.start();
      const writers = 8;
      const eventsPerWriter = 20;
      try {
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            const stream = `report-concurrent-${writer}`;
            for (let version = 1; version <= eventsPerWriter; version += 1) {
              await store.append(stream, version - 1, [reportEvent(stream, version)]);
            }
          }),
        );
        await eventually(async () => publisher.acknowledgedIds.length, (count) => count >= writers * eventsPerWriter);
      } finally {
        await running.stop();
      }
      if (publisher.acknowledgedIds.length < writers * eventsPerWriter) {
        // readAll waits for the oldest open transaction on the whole server; name it if that is what held us up.
        const open = await store.database.query(
          `SELECT pid, datname, state, backend_xid::text, now() - xact_start AS age, left(query, 100) AS query
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
        );
        const stored = (await readAllAfter(store)).length;
        throw new Error(`published ${publisher.acknowledgedIds.length} of ${stored} readable events; open transactions: ${JSON.stringify(open)}`);
      }
      const ids = publisher.acknowledgedIds;
      expect(ids).toHaveLength(writers * eventsPerWriter);
      expect(new Set(ids).size).toBe(ids.length);
      for (let writer = 0; writer < writers; writer += 1) {
        const versions = ids.filter((id) => id.startsWith(`report-concurrent-${writer}:`)).map((id) => Number(id.split(':')[1]));
        expect(versions).toEqual(Array.from({ length: eventsPerWriter }, (_, index) => index + 1));
      }
    });
  });
});
