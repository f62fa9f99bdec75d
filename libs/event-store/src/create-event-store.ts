// Opens the event store on PostgreSQL (when given a database URL) or on PGlite, and brings its schema up to date.

import { InvalidEventError } from './errors';
import { DEFAULT_SCHEMA, checkSchemaName, migrate } from './schema';
import { SqlEventStore } from './sql-event-store';
import { PGliteDatabase } from '@engine/database';
import { PostgresDatabase } from '@engine/database';
import { SqlDatabase } from '@engine/database';

export interface EventStoreOptions {
  /** A PostgreSQL connection string; when set, the store runs on that server. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing), used when no databaseUrl is given; in memory when neither is. */
  dataDir?: string;
  /** The PostgreSQL schema holding the tables; default `event_store`. */
  schema?: string;
  /** Connection pool size on PostgreSQL; default 10. */
  maxConnections?: number;
}

/** The options a process takes from its environment: DATABASE_URL, EVENT_STORE_DATA_DIR, EVENT_STORE_SCHEMA. */
export function eventStoreOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreOptions {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.EVENT_STORE_DATA_DIR || undefined,
    schema: env.EVENT_STORE_SCHEMA || undefined,
  };
}

/** Opens the store; close it (`store.close()`) to release the connection pool or the PGlite instance. */
export async function createEventStore(options: EventStoreOptions = {}): Promise<SqlEventStore> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() === '') {
    throw new InvalidEventError('databaseUrl is empty; leave it out to use PGlite');
  }
  const database: SqlDatabase = options.databaseUrl
    ? new PostgresDatabase({ connectionString: options.databaseUrl, maxConnections: options.maxConnections })
    : await PGliteDatabase.open(options.dataDir);
  try {
    await migrate(database, schema);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return new SqlEventStore(database, schema, { ownsDatabase: true });
}

/**
 * The event store in an already open database shared with other tables (PGlite is one connection, and a data
 * directory can be opened only once). Migrates the schema; closing the store leaves the database open.
 */
export async function openEventStore(database: SqlDatabase, options: { schema?: string } = {}): Promise<SqlEventStore> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  await migrate(database, schema);
  return new SqlEventStore(database, schema, { ownsDatabase: false });
}
