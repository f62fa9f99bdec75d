// The event store's port: what the rest of the engine may ask of the append-only event log.

/** A JSON value as stored (jsonb). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Who did it, when, and why. `actor` is required; the other fields are conventional. Any further keys are kept
 * as long as they are JSON (undefined-valued keys are dropped, as JSON.stringify does).
 */
export interface EventMetadata {
  readonly actor: string;
  /** ISO 8601 instant at which the action was taken (the domain calls it `now`; either is kept as given). */
  readonly time?: string;
  readonly now?: string;
  /** Ties the events of one back-office action or integration request together. */
  readonly correlationId?: string;
  /** The id of the message or event that caused this one. */
  readonly causationId?: string;
}

/** An event as handed to `append`. Typed `object` so domain interfaces fit without casts; checked to be JSON. */
export interface NewEvent {
  /** Deterministic and globally unique, chosen by the caller (e.g. `<streamId>:<version>`). */
  readonly eventId: string;
  readonly type: string;
  /** Positive integer: the version of this event type's schema. */
  readonly schemaVersion: number;
  readonly data: object;
  readonly metadata: EventMetadata;
  /**
   * The W3C `traceparent` of the span that stored the event, so that its publication continues the same trace.
   * Optional and outside the hash chain; a malformed value is not stored.
   */
  readonly traceParent?: string;
}

/** A stored event. */
export interface StoredEvent {
  /**
   * Position in the whole store, from a database sequence. A JavaScript number (safe up to 2^53, far beyond any
   * store this engine will hold). Unique and increasing per stream, but NOT in commit order across streams.
   */
  readonly globalPosition: number;
  /** The id (`xid8`, as a decimal string) of the transaction that wrote the event; see `ReadAllCursor`. */
  readonly transactionId: string;
  readonly streamId: string;
  /** 1 for a stream's first event, then +1 per event. */
  readonly version: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject & { actor: string };
  /** ISO 8601 instant at which the database recorded the event (its transaction's time). */
  readonly recordedAt: string;
  /** Hex sha256 of the previous event's hash (64 zeros for version 1) plus this event's canonical JSON. */
  readonly hash: string;
  readonly previousHash: string;
  /** Present when the event was stored while tracing was on (see NewEvent.traceParent). */
  readonly traceParent?: string;
}

/**
 * Where a reader of all streams stands: the (transaction id, global position) of the last event it has seen.
 *
 * Why not the global position alone: positions come from a sequence and transactions commit out of order, so a
 * lower position can become visible after a higher one. `readAll` therefore orders events by the writing
 * transaction's id and then by position, and returns only events of transactions older than the oldest one still
 * in progress. Every event that becomes visible later then sorts after every event already returned, so a reader
 * that resumes after its cursor skips nothing. Within one stream this order is the version order.
 */
export interface ReadAllCursor {
  readonly transactionId: string;
  readonly globalPosition: number;
}

/** Before the first event. */
export const START_OF_ALL: ReadAllCursor = Object.freeze({ transactionId: '0', globalPosition: 0 });

/** The cursor that points just after `event`. */
export function cursorAfter(event: Pick<StoredEvent, 'transactionId' | 'globalPosition'>): ReadAllCursor {
  return { transactionId: event.transactionId, globalPosition: event.globalPosition };
}

export type StreamVerification =
  | { readonly ok: true; readonly streamId: string; readonly version: number }
  | {
      readonly ok: false;
      readonly streamId: string;
      /** The first version whose stored hash, previous hash or version number does not check out. */
      readonly brokenAtVersion: number;
      readonly reason: string;
    };

export interface EventStore {
  /**
   * Appends `events` as versions expectedVersion+1… of `streamId`, atomically. `expectedVersion` is the stream's
   * current version (0 for a new stream). Re-appending the very same events (same ids and content) at the same
   * versions is a no-op that returns the stored events. Throws `ConcurrencyConflictError` when the stream is
   * elsewhere or a different event holds one of the versions, `DuplicateEventIdError` when an event id is already
   * used at another place, and `InvalidEventError` for bad input (nothing is written then).
   */
  append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<StoredEvent[]>;
  /** The stream's events from `fromVersion` (inclusive, default 1) in version order; [] for an unknown stream. */
  readStream(streamId: string, fromVersion?: number): Promise<StoredEvent[]>;
  /** The current version of a stream, 0 when it has no events. */
  streamVersion(streamId: string): Promise<number>;
  /** Up to `limit` events after `after`, in (transaction, position) order, never skipping a late commit. */
  readAll(after: ReadAllCursor, limit: number): Promise<StoredEvent[]>;
  /** Recomputes the stream's hash chain from its stored events. */
  verifyStream(streamId: string): Promise<StreamVerification>;
}
