// The engine's one PostgreSQL: a server when DATABASE_URL is set, otherwise PGlite in a data directory.
// Everything that keeps tables (event store, read model, sent-messages log) shares the instance opened here:
// PGlite is a single connection and a data directory can be opened only once.

import { PGliteDatabase } from './pglite-database';
import { PostgresDatabase } from './postgres-database';
import type { SqlDatabase } from './sql-database';

export interface DatabaseOptions {
  /** A PostgreSQL connection string; when set, the engine uses that server. */
  databaseUrl?: string;
  /** PGlite data directory when no URL is given; in memory when neither is. */
  dataDir?: string;
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<SqlDatabase> {
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    const database = new PostgresDatabase({ connectionString: options.databaseUrl, maxConnections: options.maxConnections });
    await database.query('SELECT 1'); // fail at start, with the server's reason, not at the first request
    return database;
  }
  return PGliteDatabase.open(options.dataDir);
}
