// The one way decided events become stored ones, and stored ones domain events again: every writer (the report
// and dossier workflows' activities, the policy and platform services) appends through `eventsToStore`.

import { Metadata } from '@engine/domain';
import { streamEventId } from '../topics';

/** A decided event as the event store's `append` takes it (its `NewEvent`). */
export interface EventToStore {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: object;
  metadata: Metadata;
  traceParent?: string;
}

export interface StreamPosition {
  streamId: string;
  /** The stream's version the decision was taken on: the first event is stored at `expectedVersion + 1`. */
  expectedVersion: number;
  /** The event id at a version: `<streamId>:<version>` unless the stream has its own (a report's, `reportEventId`). */
  eventId?: (version: number) => string;
  /** The events' schema version (default 1), or each event's own (a report's: `reportEventSchemaVersion`). */
  schemaVersion?: number | ((event: { type: string; data: object }) => number);
  /** The W3C `traceparent` of the span that stores them, when tracing is on. */
  traceParent?: string;
}

/**
 * Decided events, to be appended at the expected version: each with its deterministic id at its version, so that a
 * retried append can never store an event twice.
 */
export function eventsToStore(events: readonly { type: string; data: object; metadata: Metadata }[], at: StreamPosition): EventToStore[] {
  const eventId = at.eventId ?? ((version: number) => streamEventId(at.streamId, version));
  return events.map((event, index) => ({
    eventId: eventId(at.expectedVersion + index + 1),
    type: event.type,
    schemaVersion: typeof at.schemaVersion === 'function' ? at.schemaVersion(event) : (at.schemaVersion ?? 1),
    data: event.data,
    metadata: event.metadata,
    ...(at.traceParent && { traceParent: at.traceParent }),
  }));
}

/**
 * Stored events as the domain's events of a stream, to fold. The store keeps what the stream's writer appended
 * (checked as JSON, not by type), so the type is the caller's to name.
 */
export function storedAsDomainEvents<E>(stored: readonly { type: string; data: object; metadata: object }[]): E[] {
  return stored.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }) as unknown as E);
}
