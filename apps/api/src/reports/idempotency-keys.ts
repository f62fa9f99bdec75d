// Remembers which report an `Idempotency-Key` filed, so that a retried POST returns it instead of a duplicate,
// and what an action taken under a key answered, so that a repeat answers the same without acting again.

import { createHash } from 'node:crypto';
import { applySchema, SqlDatabase } from '@engine/database';
import { IdempotencyKeyReusedError } from './reports.service';

export class IdempotencyKeys {
  constructor(
    private readonly database: SqlDatabase,
    private readonly schema = 'api',
  ) {}

  async migrate(): Promise<void> {
    await applySchema(this.database, this.schema, `
      CREATE SCHEMA IF NOT EXISTS ${this.schema};
      CREATE TABLE IF NOT EXISTS ${this.schema}.idempotency_keys (
        key TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        report_id TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      -- Added later (additive): an action's answer, once it was taken.
      ALTER TABLE ${this.schema}.idempotency_keys ADD COLUMN IF NOT EXISTS outcome JSONB;
      -- Which try of the action the key's update id names: a try the API gave up on (503) was never applied.
      ALTER TABLE ${this.schema}.idempotency_keys ADD COLUMN IF NOT EXISTS attempt INTEGER NOT NULL DEFAULT 0;`);
  }

  /**
   * The report id this key stands for: `proposedId` the first time, the earlier one after that. Throws
   * IdempotencyKeyReusedError when the key was used for a different request.
   */
  async claim(key: string, request: unknown, proposedId: string): Promise<{ reportId: string; firstUse: boolean; attempt: number; outcome?: unknown }> {
    const requestHash = createHash('sha256').update(stableJson(request)).digest('hex');
    const inserted = await this.database.query(
      `INSERT INTO ${this.schema}.idempotency_keys (key, request_hash, report_id) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, requestHash, proposedId],
    );
    const [row] = await this.database.query<{ request_hash: string; report_id: string; outcome: unknown; attempt: number }>(
      `SELECT request_hash, report_id, outcome, attempt FROM ${this.schema}.idempotency_keys WHERE key = $1`,
      [key],
    );
    if (row.request_hash !== requestHash) {
      throw new IdempotencyKeyReusedError(`The Idempotency-Key "${key}" was already used for a different request.`);
    }
    return { reportId: row.report_id, firstUse: inserted.length === 1, attempt: row.attempt, ...(row.outcome !== null && row.outcome !== undefined && { outcome: row.outcome }) };
  }

  /**
   * The try `attempt` under `key` ended without being applied (the API answered 503: it will not be applied
   * later either): a retry goes out under a fresh update id, which Temporal would otherwise answer with that
   * try's failure. Concurrent calls on the same try move it on once.
   */
  async abandonAttempt(key: string, attempt: number): Promise<void> {
    await this.database.query(`UPDATE ${this.schema}.idempotency_keys SET attempt = attempt + 1 WHERE key = $1 AND attempt = $2 AND outcome IS NULL`, [key, attempt]);
  }

  /** Keeps what the action taken under `key` answered (the first answer stays). */
  async recordOutcome(key: string, outcome: unknown): Promise<void> {
    await this.database.query(`UPDATE ${this.schema}.idempotency_keys SET outcome = $2 WHERE key = $1 AND outcome IS NULL`, [key, JSON.stringify(outcome)]);
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
