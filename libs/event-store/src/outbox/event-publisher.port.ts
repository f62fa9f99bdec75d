// The port through which the outbox relay hands stored events to a broker.

import { StoredEvent } from '../event-store.port';

export interface EventPublisher {
  /**
   * Publishes `events` in the given order and resolves only once the broker has acknowledged all of them; rejects
   * otherwise. The relay may call it again with the same events after a failure, so a publisher must tolerate
   * duplicates (an idempotent producer; consumers drop an event id they have seen).
   */
  publish(events: readonly StoredEvent[]): Promise<void>;
}
