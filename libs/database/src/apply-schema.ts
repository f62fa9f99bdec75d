// Creating a library's tables when they are missing, safely from several processes starting at once.

import type { SqlDatabase } from './sql-database';

/**
 * Runs idempotent DDL (`CREATE … IF NOT EXISTS`) under a transaction-scoped advisory lock named `owner`:
 * two processes starting together (API and worker, several pods) take turns instead of racing on the catalog.
 */
export async function applySchema(database: SqlDatabase, owner: string, ddl: string): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`schema:${owner}`]);
    await tx.exec(ddl);
  });
}
