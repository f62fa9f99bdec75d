// SqlDatabase on a real PostgreSQL server through a `pg` connection pool.

import { Pool, PoolClient } from 'pg';
import { SqlDatabase, SqlQueryable } from './sql-database';

export interface PostgresDatabaseOptions {
  connectionString: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(options: PostgresDatabaseOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    // An idle pooled connection that dies (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(text, params as unknown[]);
    return result.rows as Row[];
  }

  async exec(text: string): Promise<void> {
    await this.pool.query(text);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const result = await work(clientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function clientQueryable(client: PoolClient): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(text: string): Promise<void> {
      await client.query(text);
    },
  };
}
