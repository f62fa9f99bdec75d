// The event store's PostgreSQL schema, applied idempotently at start (same SQL on PGlite and PostgreSQL).

import { InvalidEventError } from './errors';
import { SqlDatabase } from '@engine/database';

export const DEFAULT_SCHEMA = 'event_store';

/** A lower-case SQL identifier, so it can be written into statements without any quoting surprises. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidEventError(`Schema name "${schema}" must match ${SCHEMA_NAME} (lower-case letters, digits, _)`);
  }
  return schema;
}

interface Migration {
  version: number;
  description: string;
  sql: (schema: string) => string;
}

// Append new migrations at the end; never edit one that has shipped.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'append-only events with a per-stream hash chain; relay checkpoints',
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS "${s}".events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id       text        NOT NULL CHECK (stream_id <> ''),
        version         integer     NOT NULL CHECK (version >= 1),
        event_id        text        NOT NULL CHECK (event_id <> ''),
        type            text        NOT NULL CHECK (type <> ''),
        schema_version  integer     NOT NULL CHECK (schema_version >= 1),
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        -- The writing transaction, so readers of all streams can tell which positions are final (see readAll).
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        previous_hash   text        NOT NULL,
        hash            text        NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version),
        CONSTRAINT events_event_id_unique UNIQUE (event_id)
      );
      CREATE INDEX IF NOT EXISTS events_transaction_position ON "${s}".events (transaction_id, global_position);

      -- Append-only is enforced by the database: rows may be inserted, never changed or removed.
      CREATE OR REPLACE FUNCTION "${s}".refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        RAISE EXCEPTION 'the event store is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING HINT = 'Correct a stored event by appending a new event.';
      END
      $body$;
      CREATE OR REPLACE TRIGGER events_refuse_update_delete
        BEFORE UPDATE OR DELETE ON "${s}".events FOR EACH ROW EXECUTE FUNCTION "${s}".refuse_event_change();
      CREATE OR REPLACE TRIGGER events_refuse_truncate
        BEFORE TRUNCATE ON "${s}".events FOR EACH STATEMENT EXECUTE FUNCTION "${s}".refuse_event_change();

      CREATE TABLE IF NOT EXISTS "${s}".relay_checkpoint (
        name            text        PRIMARY KEY,
        transaction_id  xid8        NOT NULL,
        global_position bigint      NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    description: 'the trace an event was stored in (W3C traceparent), kept outside the hash chain',
    // Operational, not part of the record: not hashed, not compared when an append is retried (a retry runs in
    // another span), and NULL for every event stored before or with tracing off.
    sql: (s) => `ALTER TABLE "${s}".events ADD COLUMN IF NOT EXISTS trace_parent text;`,
  },
  {
    version: 3,
    description: 'the chain anchor log: stream heads signed outside the events table (see chain-anchors.ts)',
    sql: (s) => `
      CREATE TABLE IF NOT EXISTS "${s}".chain_anchors (
        sequence     bigint      PRIMARY KEY CHECK (sequence >= 1),
        anchored_at  timestamptz NOT NULL DEFAULT now(),
        -- [{streamId, version, hash}] sorted by stream id: the heads reached by one relay batch.
        heads        jsonb       NOT NULL,
        -- Names the HMAC key (a digest of it), so a verifier with another key says so instead of "forged".
        key_id       text        NOT NULL,
        previous_mac text        NOT NULL,
        mac          text        NOT NULL
      );
      CREATE OR REPLACE TRIGGER chain_anchors_refuse_update_delete
        BEFORE UPDATE OR DELETE ON "${s}".chain_anchors FOR EACH ROW EXECUTE FUNCTION "${s}".refuse_event_change();
      CREATE OR REPLACE TRIGGER chain_anchors_refuse_truncate
        BEFORE TRUNCATE ON "${s}".chain_anchors FOR EACH STATEMENT EXECUTE FUNCTION "${s}".refuse_event_change();
    `,
  },
];

/**
 * Brings `schema` up to the newest migration. Safe to run from several processes at once: they take turns on an
 * advisory lock, and each migration is applied in the same transaction that records it.
 */
export async function migrate(database: SqlDatabase, schema: string): Promise<void> {
  checkSchemaName(schema);
  await database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`event-store-migrations:${schema}`]);
    await tx.exec(`
      CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
        version     integer     PRIMARY KEY,
        description text        NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      );
    `);
    const applied = new Set(
      (await tx.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`)).map((row) => row.version),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql(schema));
      await tx.query(`INSERT INTO "${schema}".schema_migrations (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
  });
}
