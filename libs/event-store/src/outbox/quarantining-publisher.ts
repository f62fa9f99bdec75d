// Wraps the relay's publisher so that an event the destination refuses for what it is (too large, malformed)
// is quarantined and skipped instead of blocking the relay for ever; outages still fail the batch, which the
// relay retries as before.

import type { StoredEvent } from '../event-store.port';
import type { EventQuarantine } from '../quarantine';
import type { EventPublisher } from './event-publisher.port';

export interface QuarantiningPublisherOptions {
  publisher: EventPublisher;
  quarantine: Pick<EventQuarantine, 'record'>;
  /** True when publishing failed because of the events themselves: it would fail the same way every time. */
  isPoison: (error: unknown) => boolean;
  /** Told of each event quarantined (for the logs). */
  onQuarantined?: (event: StoredEvent, error: unknown) => void;
}

export class QuarantiningPublisher implements EventPublisher {
  constructor(private readonly options: QuarantiningPublisherOptions) {}

  async publish(events: readonly StoredEvent[]): Promise<void> {
    const { publisher, isPoison } = this.options;
    try {
      await publisher.publish(events);
      return;
    } catch (error) {
      if (!isPoison(error) || events.length === 0) throw error;
    }
    // Which events? One at a time, in order: the others are published (at least once, as always: consumers drop
    // duplicates by event id), the poison ones recorded. An outage meanwhile fails the batch as a whole.
    for (const event of events) {
      try {
        await publisher.publish([event]);
      } catch (error) {
        if (!isPoison(error)) throw error;
        await this.options.quarantine.record({
          component: 'relay',
          eventId: event.eventId,
          streamId: event.streamId,
          version: event.version,
          error: error instanceof Error ? error.message : String(error),
        });
        this.options.onQuarantined?.(event, error);
      }
    }
  }
}
