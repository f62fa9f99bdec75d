// SqlDatabase on PGlite (PostgreSQL compiled to WebAssembly): a data directory on disk, or memory when none.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgliteTemplate } from './pglite-template';
import { SqlDatabase, SqlQueryable } from './sql-database';

export class PGliteDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;
  /** PGlite is one connection: every query and transaction waits its turn here, so none interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * How the data was there: an existing data directory, or a new database unpacked from the build's template, or
   * made by initdb (no template built for the PGlite installed).
   */
  readonly origin: 'existing' | 'template' | 'initdb';

  private constructor(
    private readonly db: PGlite,
    origin: PGliteDatabase['origin'],
  ) {
    this.origin = origin;
  }

  /**
   * Opens (creating if need be) the database in `dataDir`, or an in-memory one when `dataDir` is undefined. A new one
   * is unpacked from the template `npm run build` made, when there is one, instead of running initdb.
   */
  static async open(dataDir?: string): Promise<PGliteDatabase> {
    const isNew = dataDir === undefined || (!dataDir.includes('://') && !existsSync(join(dataDir, 'PG_VERSION')));
    const template = isNew ? pgliteTemplate() : undefined;
    // pg_trgm, as on a PostgreSQL server: the read model's text filter (a substring anywhere) uses a trigram index.
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(template && { loadDataDir: template }) });
    return new PGliteDatabase(db, !isNew ? 'existing' : template ? 'template' : 'initdb');
  }

  query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.exclusive(async () => (await this.db.query<Row>(text, params as unknown[])).rows);
  }

  exec(text: string): Promise<void> {
    return this.exclusive(async () => {
      await this.db.exec(text);
    });
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.db.transaction((tx) => work(transactionQueryable(tx))));
  }

  /**
   * Runs `copy` when no query or transaction is in flight, right after a CHECKPOINT, so that the data directory's
   * files hold every committed transaction and nothing half-done; every query waits until `copy` has settled.
   */
  snapshotWhileIdle<T>(copy: () => T | Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.db.exec('CHECKPOINT');
      return copy();
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.db.closed) await this.db.close();
    });
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function transactionQueryable(tx: Transaction): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      return (await tx.query<Row>(text, params as unknown[])).rows;
    },
    async exec(text: string): Promise<void> {
      await tx.exec(text);
    },
  };
}
