// The EventStore adapter over SQL, shared by PGlite and PostgreSQL.

import { toPlainJson } from './canonical-json';
import { SqlChainAnchorLog } from './chain-anchors';
import { CheckpointStore, SqlCheckpointStore } from './checkpoint-store';
import { ConcurrencyConflictError, DuplicateEventIdError, InvalidEventError } from './errors';
import {
  EventStore,
  JsonObject,
  NewEvent,
  ReadAllCursor,
  StoredEvent,
  StreamVerification,
} from './event-store.port';
import { chainHash, GENESIS_HASH, HashedEventContent } from './hash-chain';
import { checkSchemaName } from './schema';
import { constraintName, SqlDatabase, SqlQueryable, sqlState } from '@engine/database';

/** The most events one readAll call returns. */
export const MAX_READ_ALL_LIMIT = 10_000;
const VERIFY_PAGE_SIZE = 1_000;
const UNIQUE_VIOLATION = '23505';

interface EventRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  hash: string;
  previous_hash: string;
  trace_parent: string | null;
}

type ValidEvent = Omit<HashedEventContent, 'streamId' | 'version'> & { traceParent?: string };

/** version-traceid-parentid-flags, lower-case hex, as W3C Trace Context writes it. */
const TRACE_PARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export class SqlEventStore implements EventStore {
  private readonly events: string;
  private readonly columns: string;
  private readonly appendListeners = new Set<() => void>();

  /**
   * `database` is exposed for operations and tests; it bypasses the port. The schema must already be migrated
   * (createEventStore and openEventStore do that). `ownsDatabase`: whether close() closes the database too.
   */
  constructor(
    readonly database: SqlDatabase,
    readonly schema: string,
    private readonly ownership: { ownsDatabase: boolean } = { ownsDatabase: false },
  ) {
    checkSchemaName(schema);
    this.events = `"${schema}".events`;
    this.columns = `global_position::text AS global_position, transaction_id::text AS transaction_id, stream_id,
      version, event_id, type, schema_version, data::text AS data, metadata::text AS metadata,
      to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, hash, previous_hash, trace_parent`;
  }

  /** The relay checkpoints kept in this store's schema. */
  checkpointStore(): CheckpointStore {
    return new SqlCheckpointStore(this.database, this.schema);
  }

  /** The signed anchors of stream heads kept in this store's schema (chain-anchors.ts). */
  chainAnchorLog(): SqlChainAnchorLog {
    return new SqlChainAnchorLog(this.database, this.schema);
  }

  /** Closes the database if this store opened it (createEventStore); a shared database is left to its owner. */
  async close(): Promise<void> {
    if (this.ownership.ownsDatabase) await this.database.close();
  }

  /**
   * Calls `listener` after each append through this store object has committed new events, so that a reader in
   * the same process (the relay) looks at once instead of at its next poll. Answers the function that stops it.
   */
  onAppended(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    checkStreamId(streamId);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new InvalidEventError(`expectedVersion must be an integer >= 0, got ${String(expectedVersion)}`);
    }
    if (!Array.isArray(events)) throw new InvalidEventError('events must be an array');
    const valid = events.map((event, index) => validateEvent(event, index));
    const ids = new Set<string>();
    for (const event of valid) {
      if (ids.has(event.eventId)) throw new InvalidEventError(`event id "${event.eventId}" appears twice in one append`);
      ids.add(event.eventId);
    }

    try {
      const stored = await this.database.transaction((tx) => this.appendIn(tx, streamId, expectedVersion, valid));
      if (stored.length > 0) this.appended();
      return stored;
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      // An event id taken already (in another stream, or by a concurrent writer), or a concurrent append won.
      if (constraintName(error) === 'events_event_id_unique') {
        const taken = await this.findEventIds(this.database, [...ids]);
        if (taken[0]) throw new DuplicateEventIdError(taken[0].event_id, taken[0].stream_id, taken[0].version);
      }
      throw new ConcurrencyConflictError(streamId, expectedVersion, await this.streamVersion(streamId), 'a concurrent append won');
    }
  }

  private appended(): void {
    for (const listener of this.appendListeners) {
      try {
        listener();
      } catch {
        // A listener only wakes a reader early; the reader's own poll finds the events anyway.
      }
    }
  }

  private async appendIn(
    tx: SqlQueryable,
    streamId: string,
    expectedVersion: number,
    events: readonly ValidEvent[],
  ): Promise<StoredEvent[]> {
    // One writer per stream at a time. Taken before the first write, so the transaction id assigned at the insert
    // is higher than that of every earlier append to this stream: readAll's (transaction, position) order then
    // keeps each stream's version order.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`event-store:${this.schema}:${streamId}`]);
    const [head] = await tx.query<{ version: number; hash: string }>(
      `SELECT version, hash FROM ${this.events} WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`,
      [streamId],
    );
    const actualVersion = head?.version ?? 0;

    if (actualVersion !== expectedVersion) {
      const stored = await this.sameEventsAlreadyStored(tx, streamId, expectedVersion, events, actualVersion);
      if (stored) return stored;
      throw new ConcurrencyConflictError(streamId, expectedVersion, actualVersion, conflictDetail(expectedVersion, actualVersion, events.length));
    }
    if (events.length === 0) return [];
    // An event id used already (in another stream) is refused by the unique index: append() tells which one.

    let previousHash = head?.hash ?? GENESIS_HASH;
    const appended: StoredEvent[] = [];
    for (const [index, event] of events.entries()) {
      const content: HashedEventContent = { ...event, streamId, version: expectedVersion + index + 1 };
      const hash = chainHash(previousHash, content);
      const [row] = await tx.query<EventRow>(
        `INSERT INTO ${this.events} (stream_id, version, event_id, type, schema_version, data, metadata, previous_hash, hash, trace_parent)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10)
         RETURNING ${this.columns}`,
        [
          streamId,
          content.version,
          content.eventId,
          content.type,
          content.schemaVersion,
          JSON.stringify(content.data),
          JSON.stringify(content.metadata),
          previousHash,
          hash,
          event.traceParent ?? null,
        ],
      );
      appended.push(toStoredEvent(row));
      previousHash = hash;
    }
    return appended;
  }

  /**
   * A retried append finds its events already there: same ids and same content at the same versions. Then it
   * succeeds without writing. Anything else at those versions is somebody else's event.
   */
  private async sameEventsAlreadyStored(
    tx: SqlQueryable,
    streamId: string,
    expectedVersion: number,
    events: readonly ValidEvent[],
    actualVersion: number,
  ): Promise<StoredEvent[] | undefined> {
    if (events.length === 0 || actualVersion < expectedVersion + events.length) return undefined;
    const rows = await tx.query<EventRow>(
      `SELECT ${this.columns} FROM ${this.events} WHERE stream_id = $1 AND version > $2 AND version <= $3 ORDER BY version`,
      [streamId, expectedVersion, expectedVersion + events.length],
    );
    const stored = rows.map(toStoredEvent);
    const identical = stored.length === events.length && stored.every((storedEvent, index) => {
      const candidate = events[index];
      return (
        storedEvent.eventId === candidate.eventId &&
        chainHash(storedEvent.previousHash, { ...candidate, streamId, version: storedEvent.version }) === storedEvent.hash
      );
    });
    return identical ? stored : undefined;
  }

  private findEventIds(db: SqlQueryable, eventIds: string[]) {
    return db.query<{ event_id: string; stream_id: string; version: number }>(
      `SELECT event_id, stream_id, version FROM ${this.events} WHERE event_id = ANY($1::text[]) ORDER BY global_position`,
      [eventIds],
    );
  }

  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    checkStreamId(streamId);
    if (!Number.isSafeInteger(fromVersion) || fromVersion < 1) {
      throw new InvalidEventError(`fromVersion must be an integer >= 1, got ${String(fromVersion)}`);
    }
    const rows = await this.database.query<EventRow>(
      `SELECT ${this.columns} FROM ${this.events} WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
      [streamId, fromVersion],
    );
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    checkStreamId(streamId);
    const [row] = await this.database.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${this.events} WHERE stream_id = $1`,
      [streamId],
    );
    return row?.version ?? 0;
  }

  async readAll(after: ReadAllCursor, limit: number): Promise<StoredEvent[]> {
    checkCursor(after);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ_ALL_LIMIT) {
      throw new InvalidEventError(`limit must be an integer from 1 to ${MAX_READ_ALL_LIMIT}, got ${String(limit)}`);
    }
    // Only transactions older than the oldest one still running are final: nothing can appear among them later.
    // ORDER BY names the table's columns (e.), not the text-typed output columns of the same names.
    const rows = await this.database.query<EventRow>(
      `SELECT ${this.columns} FROM ${this.events} AS e
       WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
         AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY e.transaction_id, e.global_position
       LIMIT $3`,
      [after.transactionId, after.globalPosition, limit],
    );
    return rows.map(toStoredEvent);
  }

  /** How many stored events come after `after` (in readAll's order), committed or still in flight: a reader's lag. */
  async countAfter(after: ReadAllCursor): Promise<number> {
    checkCursor(after);
    const [row] = await this.database.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.events} AS e WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)`,
      [after.transactionId, after.globalPosition],
    );
    return Number(row.count);
  }

  /** How many events are stored in the streams whose id starts with `streamIdPrefix` (e.g. `report-`). */
  async countEvents(streamIdPrefix: string): Promise<number> {
    const [row] = await this.database.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.events} WHERE starts_with(stream_id, $1)`,
      [streamIdPrefix],
    );
    return Number(row.count);
  }

  /**
   * Detects events changed or removed behind the store's back (the table refuses it, but a superuser can switch
   * that off). A rewrite that recomputes every later hash passes here; verifyEventStore checks the anchors too.
   */
  async verifyStream(streamId: string): Promise<StreamVerification> {
    checkStreamId(streamId);
    let previousHash = GENESIS_HASH;
    let expectedVersion = 1;
    for (;;) {
      const rows = await this.database.query<EventRow>(
        `SELECT ${this.columns} FROM ${this.events} WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
        [streamId, expectedVersion, VERIFY_PAGE_SIZE],
      );
      for (const event of rows.map(toStoredEvent)) {
        const broken = (reason: string): StreamVerification => ({ ok: false, streamId, brokenAtVersion: expectedVersion, reason });
        if (event.version !== expectedVersion) return broken(`version ${expectedVersion} is missing (next stored is ${event.version})`);
        if (event.previousHash !== previousHash) return broken(`its previous hash is not the hash of version ${expectedVersion - 1}`);
        if (chainHash(previousHash, event) !== event.hash) return broken('its content does not match its stored hash');
        previousHash = event.hash;
        expectedVersion += 1;
      }
      if (rows.length < VERIFY_PAGE_SIZE) return { ok: true, streamId, version: expectedVersion - 1 };
    }
  }
}

function conflictDetail(expectedVersion: number, actualVersion: number, count: number): string | undefined {
  if (actualVersion < expectedVersion) return 'the stream is behind the expected version';
  if (count === 0) return undefined;
  return 'different events are stored at the versions being appended';
}

function checkStreamId(streamId: unknown): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new InvalidEventError('streamId must be a non-empty string');
  toPlainJson(streamId, 'streamId');
}

function checkCursor(cursor: ReadAllCursor): void {
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    typeof cursor.transactionId !== 'string' ||
    !/^\d{1,20}$/.test(cursor.transactionId) ||
    !Number.isSafeInteger(cursor.globalPosition) ||
    cursor.globalPosition < 0
  ) {
    throw new InvalidEventError(`invalid readAll cursor ${JSON.stringify(cursor)}: use START_OF_ALL or cursorAfter(event)`);
  }
}

function validateEvent(event: NewEvent, index: number): ValidEvent {
  const at = `events[${index}]`;
  if (typeof event !== 'object' || event === null) throw new InvalidEventError(`${at} must be an object`);
  if (typeof event.eventId !== 'string' || event.eventId.length === 0) throw new InvalidEventError(`${at}.eventId must be a non-empty string`);
  if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidEventError(`${at}.type must be a non-empty string`);
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1 || event.schemaVersion > 2 ** 31 - 1) {
    throw new InvalidEventError(`${at}.schemaVersion must be a positive integer`);
  }
  toPlainJson(event.eventId, `${at}.eventId`);
  toPlainJson(event.type, `${at}.type`);
  const data = toPlainJson(event.data, `${at}.data`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InvalidEventError(`${at}.data must be a JSON object`);
  const metadata = toPlainJson(event.metadata, `${at}.metadata`);
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvalidEventError(`${at}.metadata must be a JSON object`);
  }
  if (typeof metadata.actor !== 'string' || metadata.actor.length === 0) {
    throw new InvalidEventError(`${at}.metadata.actor must be a non-empty string`);
  }
  // A tracing glitch never refuses an event: a malformed trace parent is dropped, not an error.
  const traceParent = typeof event.traceParent === 'string' && TRACE_PARENT.test(event.traceParent) ? event.traceParent : undefined;
  return { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, data, metadata, ...(traceParent && { traceParent }) };
}

function toStoredEvent(row: EventRow): StoredEvent {
  const globalPosition = Number(row.global_position);
  if (!Number.isSafeInteger(globalPosition)) throw new Error(`global position ${row.global_position} exceeds 2^53`);
  return {
    globalPosition,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject & { actor: string },
    recordedAt: row.recorded_at,
    hash: row.hash,
    previousHash: row.previous_hash,
    ...(row.trace_parent !== null && row.trace_parent !== undefined && { traceParent: row.trace_parent }),
  };
}
