// The sent-messages log: every delivery attempt with its outcome, for staff to read and for retries to check.

import { DeliveryChannelKind, DeliveryReceipt, OutboundMessage } from './platform-gateway';
import { applySchema, SqlDatabase } from '@engine/database';

export interface SentMessageAttempt {
  messageId: string;
  attempt: number;
  platform: string;
  recipient: string;
  reportId: string | null;
  channel: DeliveryChannelKind;
  address: string | null;
  subject: string;
  body: string;
  payload: Record<string, unknown>;
  status: 'recorded' | 'delivered' | 'failed';
  error: string | null;
  attemptedAt: string;
}

/** One message and how its delivery went, over all its attempts (what staff read about a case). */
export interface SentMessageSummary {
  messageId: string;
  /** What the message was (`deletion-request`, `reminder`, `high-level-contact`…), from its payload. */
  kind: string | null;
  platform: string;
  recipient: string;
  reportId: string | null;
  subject: string;
  /** The channel and address of the latest attempt. */
  channel: DeliveryChannelKind;
  address: string | null;
  attempts: number;
  /** `delivered`/`recorded`: the latest attempt succeeded (none follows a success); `failing`: none succeeded yet. */
  status: 'recorded' | 'delivered' | 'failing';
  /** The latest failed attempt's error, also when a later attempt succeeded. */
  lastError: string | null;
  firstAttemptAt: string;
  lastAttemptAt: string;
}

export class SentMessagesLog {
  constructor(
    private readonly sql: SqlDatabase,
    private readonly schema = 'platform_gateway',
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  }

  private get table(): string {
    return `${this.schema}.sent_messages`;
  }

  async migrate(): Promise<void> {
    await applySchema(this.sql, this.schema, `CREATE SCHEMA IF NOT EXISTS ${this.schema};
    CREATE TABLE IF NOT EXISTS ${this.table} (
      id BIGSERIAL PRIMARY KEY,
      message_id TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      platform TEXT NOT NULL,
      recipient TEXT NOT NULL,
      report_id TEXT,
      channel TEXT NOT NULL,
      address TEXT,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      payload JSONB NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('recorded', 'delivered', 'failed')),
      error TEXT,
      attempted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (message_id, attempt)
    );
    CREATE INDEX IF NOT EXISTS sent_messages_report ON ${this.table} (report_id);`);
  }

  /** The successful attempt of a message, if there was one: a retry must not send it again. */
  async succeeded(messageId: string): Promise<DeliveryReceipt | undefined> {
    const rows = await this.sql.query<{ channel: DeliveryChannelKind; attempt: number; status: 'recorded' | 'delivered' }>(
      `SELECT channel, attempt, status FROM ${this.table} WHERE message_id = $1 AND status <> 'failed' ORDER BY attempt LIMIT 1`,
      [messageId],
    );
    const row = rows[0];
    return row && { messageId, channel: row.channel, attempt: row.attempt, status: row.status };
  }

  async record(
    message: OutboundMessage,
    outcome: { channel: DeliveryChannelKind; address?: string; status: SentMessageAttempt['status']; error?: string },
  ): Promise<number> {
    const rows = await this.sql.query<{ attempt: number }>(
      `INSERT INTO ${this.table} (message_id, attempt, platform, recipient, report_id, channel, address, subject, body, payload, status, error)
       SELECT $1, COALESCE(MAX(attempt), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM ${this.table} WHERE message_id = $1
       RETURNING attempt`,
      [
        message.messageId,
        message.platform,
        message.recipient,
        message.reportId ?? null,
        outcome.channel,
        outcome.address ?? null,
        message.subject,
        message.body,
        JSON.stringify(message.payload),
        outcome.status,
        outcome.error ?? null,
      ],
    );
    return rows[0].attempt;
  }

  /** Each message sent for a report, oldest first, its attempts folded into one line (however many retries). */
  async messagesForReport(reportId: string): Promise<SentMessageSummary[]> {
    const rows = await this.sql.query<Record<string, unknown>>(
      `WITH attempts AS (
         SELECT *,
           count(*) OVER (PARTITION BY message_id) AS attempts,
           min(attempted_at) OVER (PARTITION BY message_id) AS first_attempt_at,
           min(id) OVER (PARTITION BY message_id) AS first_id,
           row_number() OVER (PARTITION BY message_id ORDER BY attempt DESC) AS newest
         FROM ${this.table} WHERE report_id = $1
       )
       SELECT a.message_id, a.payload->>'kind' AS kind, a.platform, a.recipient, a.report_id, a.subject, a.channel, a.address,
         a.attempts::int AS attempts, a.status, a.first_attempt_at, a.attempted_at AS last_attempt_at,
         (SELECT f.error FROM ${this.table} f WHERE f.message_id = a.message_id AND f.status = 'failed' ORDER BY f.attempt DESC LIMIT 1) AS last_error
       FROM attempts a WHERE a.newest = 1
       ORDER BY a.first_id`,
      [reportId],
    );
    return rows.map((row) => ({
      messageId: row.message_id as string,
      kind: (row.kind as string | null) ?? null,
      platform: row.platform as string,
      recipient: row.recipient as string,
      reportId: row.report_id as string | null,
      subject: row.subject as string,
      channel: row.channel as DeliveryChannelKind,
      address: row.address as string | null,
      attempts: row.attempts as number,
      status: row.status === 'failed' ? 'failing' : (row.status as 'recorded' | 'delivered'),
      lastError: (row.last_error as string | null) ?? null,
      firstAttemptAt: new Date(row.first_attempt_at as string).toISOString(),
      lastAttemptAt: new Date(row.last_attempt_at as string).toISOString(),
    }));
  }

  /** Attempts, newest first, optionally for one report or one platform. */
  async list(filter: { reportId?: string; platform?: string; limit?: number } = {}): Promise<SentMessageAttempt[]> {
    const rows = await this.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.table}
       WHERE ($1::text IS NULL OR report_id = $1) AND ($2::text IS NULL OR platform = $2)
       ORDER BY id DESC LIMIT $3`,
      [filter.reportId ?? null, filter.platform ?? null, filter.limit ?? 100],
    );
    return rows.map((row) => ({
      messageId: row.message_id as string,
      attempt: row.attempt as number,
      platform: row.platform as string,
      recipient: row.recipient as string,
      reportId: row.report_id as string | null,
      channel: row.channel as DeliveryChannelKind,
      address: row.address as string | null,
      subject: row.subject as string,
      body: row.body as string,
      payload: row.payload as Record<string, unknown>,
      status: row.status as SentMessageAttempt['status'],
      error: row.error as string | null,
      attemptedAt: new Date(row.attempted_at as string).toISOString(),
    }));
  }
}
