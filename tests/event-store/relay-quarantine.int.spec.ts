// A stored event the destination refuses for what it is (here: too large for the broker) is quarantined and
// skipped, and the relay goes on with every other event; an outage is retried and quarantines nothing.

import { EventPublisher, EventQuarantine, OutboxRelay, QuarantiningPublisher, SqlEventStore, StoredEvent } from '@engine/event-store';
import { isRecordRefusedByKafka } from '@engine/kafka';
import { KafkaJSProtocolError } from 'kafkajs';
import { Backend, pgliteBackend, readAllAfter, reportEvents } from './support';

/** A broker stand-in refusing the events whose ids it is given as too large; down for the first `outages` calls. */
class RefusingPublisher implements EventPublisher {
  readonly acknowledged: string[] = [];
  constructor(
    private readonly tooLarge: ReadonlySet<string>,
    private outages = 0,
  ) {}

  async publish(events: readonly StoredEvent[]): Promise<void> {
    if (this.outages > 0) {
      this.outages -= 1;
      throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    }
    if (events.some((event) => this.tooLarge.has(event.eventId))) {
      throw new KafkaJSProtocolError({ type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false, message: 'The request included a message larger than the max message size the server will accept' } as never);
    }
    this.acknowledged.push(...events.map((event) => event.eventId));
  }
}

describe('the relay with a poison event', () => {
  let backend: Backend;
  let store: SqlEventStore;
  let quarantine: EventQuarantine;

  beforeAll(async () => {
    backend = pgliteBackend();
    store = await backend.open();
    quarantine = new EventQuarantine(store.database, store.schema);
    await quarantine.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await backend?.cleanUp();
  });

  function relayWith(name: string, publisher: EventPublisher) {
    return new OutboxRelay({
      name,
      store,
      checkpoints: store.checkpointStore(),
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      publisher: new QuarantiningPublisher({ publisher, quarantine, isPoison: isRecordRefusedByKafka }),
    });
  }

  it('quarantines it with where, why and when, publishes every other event in order, and moves its checkpoint on', async () => {
    await store.append('report-poison-a', 0, reportEvents('report-poison-a', 1, 3));
    await store.append('report-poison-b', 0, reportEvents('report-poison-b', 1, 2));
    const all = await readAllAfter(store);
    const poison = all.find((event) => event.streamId === 'report-poison-a' && event.version === 2)!;
    const publisher = new RefusingPublisher(new Set([poison.eventId]), 2);
    const relay = relayWith('poison-test', publisher);

    expect(await relay.runOnce()).toBe(5);
    expect(await relay.runOnce()).toBe(0);

    expect(publisher.acknowledged).toEqual(all.filter((event) => event !== poison).map((event) => event.eventId));
    expect(await quarantine.list()).toEqual([
      {
        component: 'relay',
        eventId: poison.eventId,
        streamId: 'report-poison-a',
        version: 2,
        error: expect.stringContaining('larger than the max message size'),
        firstSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        attempts: 1,
      },
    ]);
    expect(await quarantine.counts()).toEqual({ relay: 1, projector: 0 });
    await quarantine.release('relay', [poison.eventId]);
  });

  it('retries an outage without quarantining anything', async () => {
    await store.append('report-poison-c', 0, reportEvents('report-poison-c', 1, 2));
    const publisher = new RefusingPublisher(new Set(), 3);
    const relay = relayWith('outage-test', publisher);
    expect(await relay.runOnce()).toBeGreaterThan(0);
    expect(publisher.acknowledged).toContain((await store.readStream('report-poison-c'))[1].eventId);
    expect(await quarantine.counts()).toEqual({ relay: 0, projector: 0 });
  });
});
