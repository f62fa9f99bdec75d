// Where each reader of all streams (the outbox relay, the projector) keeps its cursor, in the event store's own
// database.

import { InvalidEventError } from './errors';
import { ReadAllCursor, START_OF_ALL } from './event-store.port';
import { checkSchemaName } from './schema';
import { SqlQueryable } from '@engine/database';

export interface CheckpointStore {
  /** The saved cursor of `name`, or START_OF_ALL when it has none yet. */
  load(name: string): Promise<ReadAllCursor>;
  /** Saves `cursor` for `name`; a cursor behind the saved one is ignored, so a checkpoint never moves back. */
  save(name: string, cursor: ReadAllCursor): Promise<void>;
}

export class SqlCheckpointStore implements CheckpointStore {
  private readonly table: string;

  /** `database` may be a transaction: then `lock` and `save` take part in it. */
  constructor(
    private readonly database: SqlQueryable,
    schema: string,
  ) {
    this.table = `"${checkSchemaName(schema)}".relay_checkpoint`;
  }

  async load(name: string): Promise<ReadAllCursor> {
    checkName(name);
    const [row] = await this.database.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM ${this.table} WHERE name = $1`,
      [name],
    );
    return row ? { transactionId: row.transaction_id, globalPosition: Number(row.global_position) } : START_OF_ALL;
  }

  /**
   * Within a transaction: the saved cursor of `name`, its row locked until the transaction ends (created at
   * START_OF_ALL if need be), so that two readers of one checkpoint take their turns instead of both applying a batch.
   */
  async lock(name: string): Promise<ReadAllCursor> {
    checkName(name);
    await this.database.query(
      `INSERT INTO ${this.table} (name, transaction_id, global_position) VALUES ($1, '0'::xid8, 0) ON CONFLICT (name) DO NOTHING`,
      [name],
    );
    const [row] = await this.database.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position FROM ${this.table} WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return { transactionId: row.transaction_id, globalPosition: Number(row.global_position) };
  }

  /** Moves `name` back to START_OF_ALL (a rebuild); `save` alone never moves a checkpoint back. */
  async rewind(name: string): Promise<void> {
    checkName(name);
    await this.database.query(`UPDATE ${this.table} SET transaction_id = '0'::xid8, global_position = 0, updated_at = now() WHERE name = $1`, [name]);
  }

  async save(name: string, cursor: ReadAllCursor): Promise<void> {
    checkName(name);
    await this.database.query(
      `INSERT INTO ${this.table} AS saved (name, transaction_id, global_position) VALUES ($1, $2::xid8, $3::bigint)
       ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,
         global_position = excluded.global_position, updated_at = now()
       WHERE (saved.transaction_id, saved.global_position) < (excluded.transaction_id, excluded.global_position)`,
      [name, cursor.transactionId, cursor.globalPosition],
    );
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidEventError('a checkpoint name must be a non-empty string');
}
