// Shared helpers for the event-store integration specs: the two backends, unique schemas and event factories.

import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { Client } from 'pg';
import { createEventStore, cursorAfter, EventStore, JsonObject, JsonValue, NewEvent, ReadAllCursor, SqlEventStore, START_OF_ALL, StoredEvent } from '@engine/event-store';

import { testDatabaseUrl } from '../support/test-database';

/** TEST_DATABASE_URL, else the PostgreSQL that `npm run engines:start` started, else the local default. */
export const TEST_DATABASE_URL = testDatabaseUrl();

export interface PostgresAvailability {
  available: boolean;
  reason?: string;
}

/**
 * Whether PostgreSQL answers at TEST_DATABASE_URL. Synchronous (a short child process) because jest registers
 * describe blocks synchronously and the PostgreSQL variant must be registered, skipped or failed up front.
 */
export function postgresAvailability(): PostgresAvailability {
  const probe = `
    const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('select 1')).then(() => client.end()).then(
      () => process.exit(0),
      (error) => { console.error(error.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', probe, TEST_DATABASE_URL], { encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return { available: true };
  return { available: false, reason: (result.stderr || result.error?.message || 'no answer').trim() };
}

/**
 * Registers `suite` for PostgreSQL when it is reachable. Otherwise: under CI=true a failing test (PostgreSQL is
 * required there); elsewhere a visibly skipped block and a warning.
 */
export function describePostgres(title: string, suite: () => void): void {
  const availability = postgresAvailability();
  if (availability.available) {
    describe(`${title} [PostgreSQL]`, suite);
  } else if (process.env.CI === 'true') {
    test(`${title} [PostgreSQL]: the database must be reachable under CI`, () => {
      throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is unreachable: ${availability.reason}`);
    });
  } else {
    console.warn(`SKIPPED ${title} on PostgreSQL: ${TEST_DATABASE_URL} is unreachable (${availability.reason})`);
    describe.skip(`${title} [PostgreSQL] SKIPPED: ${TEST_DATABASE_URL} unreachable`, () => test('not run', () => undefined));
  }
}

/** A schema name no other run uses, so runs on a shared server never see each other's events. */
export function uniqueSchema(prefix = 'es_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A backend under test: opens stores on one database, all in the same schema. */
export interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  open(): Promise<SqlEventStore>;
  /** Releases what `open` created (the schema on PostgreSQL). */
  cleanUp(): Promise<void>;
}

export function pgliteBackend(): Backend {
  return { name: 'PGlite', open: () => createEventStore(), cleanUp: async () => undefined };
}

export function postgresBackend(): Backend {
  const schema = uniqueSchema();
  return {
    name: 'PostgreSQL',
    open: () => createEventStore({ databaseUrl: TEST_DATABASE_URL, schema, maxConnections: 4 }),
    cleanUp: () => dropSchema(schema),
  };
}

/** A report event as the workflows append them: id `<stream>:<version>`. */
export function reportEvent(streamId: string, version: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: `${streamId}:${version}`,
    type: 'ReportTriaged',
    schemaVersion: 1,
    data: { reportId: streamId, severity: 'high', tags: ['csam', 'urgent'], nested: { b: 2, a: 1 } },
    metadata: { actor: 'alice', time: '2026-11-24T08:00:00.000Z', correlationId: `corr-${version}`, causationId: `cmd-${version}` },
    ...overrides,
  };
}

export function reportEvents(streamId: string, fromVersion: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => reportEvent(streamId, fromVersion + index));
}

/** Polls until `check` passes: visibility in readAll can trail a commit while other sessions hold transactions. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every event readAll returns after `after`, following the cursor page by page. */
export async function readAllAfter(store: EventStore, after: ReadAllCursor = START_OF_ALL, pageSize = 500): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll(cursor, pageSize);
    if (page.length === 0) return events;
    events.push(...page);
    cursor = cursorAfter(page[page.length - 1]);
  }
}

// JSON as jsonb keeps it (no NUL, no unpaired surrogates, finite numbers), with the awkward corners well represented.
const jsonString = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'ü', '😀', '"\\', 'a\nb')).filter((text) => !text.includes('\u0000'));
const jsonNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, -1.5, 0.1),
);
export const jsonObject: fc.Arbitrary<JsonObject> = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), jsonNumber, jsonString, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(jsonString, tie('value'), { maxKeys: 4 }),
})).object;
