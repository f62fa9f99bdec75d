// Stored events that a reader of the store (the outbox relay, the projector) cannot process and will never be
// able to as they are: recorded here and skipped, so one bad event does not hold up every event behind it.
// Kept in the event store's schema and database, so /health and the metrics of any process can count them.

import { applySchema, SqlDatabase, SqlQueryable } from '@engine/database';
import { checkSchemaName } from './schema';

/** Who quarantined an event: the relay could not publish it; the projector could not apply it to the read model. */
export type QuarantineComponent = 'relay' | 'projector';
export const QUARANTINE_COMPONENTS: readonly QuarantineComponent[] = ['relay', 'projector'];

export interface QuarantinedEvent {
  component: QuarantineComponent;
  eventId: string;
  streamId: string;
  version: number;
  /** Why it failed, the last time it was tried (no event data: it may hold report text). */
  error: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** How many times it was tried and failed (or held back, for a projector stream blocked before it). */
  attempts: number;
}

interface QuarantineRow {
  component: QuarantineComponent;
  event_id: string;
  stream_id: string;
  version: number;
  error: string;
  first_seen_at: string;
  last_seen_at: string;
  attempts: number;
}

export class EventQuarantine {
  private readonly table: string;

  /** `database` may be a transaction (the projector's batch): then every call but `migrate` takes part in it. */
  constructor(
    private readonly database: SqlDatabase | SqlQueryable,
    private readonly schema: string,
  ) {
    this.table = `"${checkSchemaName(schema)}".quarantined_events`;
  }

  async migrate(): Promise<void> {
    if (!('transaction' in this.database)) throw new Error('the quarantine table is created with the database, not within a transaction');
    await applySchema(this.database, `${this.schema}.quarantined_events`, `
      CREATE SCHEMA IF NOT EXISTS "${this.schema}";
      CREATE TABLE IF NOT EXISTS ${this.table} (
        component     text        NOT NULL CHECK (component IN ('relay', 'projector')),
        event_id      text        NOT NULL,
        stream_id     text        NOT NULL,
        version       integer     NOT NULL,
        error         text        NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now(),
        attempts      integer     NOT NULL DEFAULT 1,
        PRIMARY KEY (component, event_id)
      );
      CREATE INDEX IF NOT EXISTS quarantined_events_stream ON ${this.table} (component, stream_id, version);
    `);
  }

  /** Records (or counts one more attempt of) an event that `component` skips. */
  async record(entry: { component: QuarantineComponent; eventId: string; streamId: string; version: number; error: string }): Promise<void> {
    await this.database.query(
      `INSERT INTO ${this.table} (component, event_id, stream_id, version, error) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (component, event_id) DO UPDATE SET error = excluded.error, last_seen_at = now(), attempts = ${this.table}.attempts + 1`,
      [entry.component, entry.eventId, entry.streamId, entry.version, printable(entry.error)],
    );
  }

  /** The lowest quarantined version of `streamId` for `component`, if any: where that stream is blocked. */
  async blockedAt(component: QuarantineComponent, streamId: string): Promise<number | undefined> {
    const [row] = await this.database.query<{ version: number | null }>(
      `SELECT min(version) AS version FROM ${this.table} WHERE component = $1 AND stream_id = $2`,
      [component, streamId],
    );
    return row?.version ?? undefined;
  }

  async list(component?: QuarantineComponent): Promise<QuarantinedEvent[]> {
    const rows = await this.database.query<QuarantineRow>(
      `SELECT component, event_id, stream_id, version, error, attempts,
         to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_seen_at,
         to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_seen_at
       FROM ${this.table} WHERE $1::text IS NULL OR component = $1 ORDER BY component, stream_id, version`,
      [component ?? null],
    );
    return rows.map((row) => ({
      component: row.component,
      eventId: row.event_id,
      streamId: row.stream_id,
      version: row.version,
      error: row.error,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      attempts: row.attempts,
    }));
  }

  /**
   * Quarantined entries per component (zero included), for /health and the metrics. `storedEventsOnly`: only
   * events of the store (not unreadable topic messages, recorded at version 0), e.g. to subtract them from a lag.
   */
  async counts(options: { storedEventsOnly?: boolean } = {}): Promise<Record<QuarantineComponent, number>> {
    const rows = await this.database.query<{ component: QuarantineComponent; count: string }>(
      `SELECT component, count(*) AS count FROM ${this.table} ${options.storedEventsOnly ? 'WHERE version >= 1' : ''} GROUP BY component`,
    );
    const counts = { relay: 0, projector: 0 };
    for (const row of rows) counts[row.component] = Number(row.count);
    return counts;
  }

  /** Forgets the given events of `component` (after they were retried successfully). */
  async release(component: QuarantineComponent, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.database.query(`DELETE FROM ${this.table} WHERE component = $1 AND event_id = ANY($2::text[])`, [component, [...eventIds]]);
  }
}

/** An error message as the table can keep it (a driver's message may itself quote the offending NUL). */
function printable(message: string): string {
  return message.replaceAll('\u0000', '\\u0000').slice(0, 2_000);
}
