// The read model the API serves: case summaries, timelines and per-platform request figures, built by folding
// each report's lifecycle messages with the domain's own `evolve`, so list views and workflows cannot disagree.

import { evolve, foldRequestEvent, initialRequestFold, initialState, ladderExhausted, overdueSince, platformRequests, ReportEvent, ReportState, requestsAsOf, settleRequests } from '@engine/domain';
import type { CaseRequests, ClockKind, FiledReportState, PlatformRequestRecord } from '@engine/domain';
import type { ReportLifecycleMessage } from '@engine/contracts';
import { applySchema, SqlDatabase, SqlQueryable } from '@engine/database';

export type ProjectionOutcome = 'applied' | 'duplicate';

/** The projector's checkpoint in the event store (its place in the store's global order), next to the relay's. */
export const READ_MODEL_CHECKPOINT = 'read-model';

/** Every status of a case that is not closed (a case in the model is filed: never `not-filed`). */
export const OPEN_STATUSES = ['in-triage', 'active', 'paused'] as const satisfies readonly Exclude<ReportState['status'], 'closed' | 'not-filed'>[];

export class ReadModelGapError extends Error {
  override readonly name = 'ReadModelGapError';
}

export class ReadModel {
  constructor(
    private readonly db: SqlDatabase,
    readonly schema = 'read_model',
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  }

  async migrate(): Promise<void> {
    const s = this.schema;
    // The later of the two overdue columns: without it, the rows of old are filled in once below.
    const overdueColumnsWereThere = await this.hasColumn('reports', 'ladder_exhausted');
    const searchTableWasThere = await this.hasColumn('report_search', 'search');
    await applySchema(this.db, s, `
      CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.reports (
        report_id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT,
        category TEXT,
        assignee TEXT,
        filed_at TIMESTAMPTZ NOT NULL,
        next_deadline TIMESTAMPTZ,
        policy_version INTEGER NOT NULL,
        version INTEGER NOT NULL,
        search TEXT NOT NULL,
        state JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
      -- For the metrics: open cases by status, and counts of one event type, without reading every row.
      CREATE INDEX IF NOT EXISTS reports_status ON ${s}.reports (status);
      CREATE TABLE IF NOT EXISTS ${s}.timeline (
        report_id TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        occurred_at TIMESTAMPTZ NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL,
        data JSONB NOT NULL,
        PRIMARY KEY (report_id, stream_version)
      );
      CREATE INDEX IF NOT EXISTS timeline_type ON ${s}.timeline (type);
      CREATE TABLE IF NOT EXISTS ${s}.platform_requests (
        report_id TEXT NOT NULL,
        clock TEXT NOT NULL,
        platform TEXT NOT NULL,
        requested_at TIMESTAMPTZ NOT NULL,
        escalated BOOLEAN NOT NULL DEFAULT false,
        answered_at TIMESTAMPTZ,
        response TEXT,
        PRIMARY KEY (report_id, clock, requested_at)
      );
      -- Since when a case is overdue unless someone acts (the domain's overdueSince): the list's overdue filter
      -- and its urgency order, and the scorecard's overdue count. Added later: additive, on tables of old.
      ALTER TABLE ${s}.reports ADD COLUMN IF NOT EXISTS overdue_since TIMESTAMPTZ;
      ALTER TABLE ${s}.reports ADD COLUMN IF NOT EXISTS ladder_exhausted BOOLEAN NOT NULL DEFAULT false;
      -- When the platform says it gave effect (its answer's effectGivenAt, else when the answer arrived); rows from
      -- before have none, and the scorecard falls back to answered_at for them.
      ALTER TABLE ${s}.platform_requests ADD COLUMN IF NOT EXISTS effect_at TIMESTAMPTZ;
      -- The list's pages read from indexes alone: one per order, and the urgency order again behind each filter the
      -- inbox offers (platform, status, assignee, severity), each carrying the other filters' columns. A page's ids
      -- are found without touching the wide rows (their state), and only the page's rows are read; counts of the
      -- matches read the same indexes.
      -- (They replace reports_urgency, reports_next_deadline, reports_platform_status and reports_overdue_since of old.)
      DROP INDEX IF EXISTS ${s}.reports_urgency;
      DROP INDEX IF EXISTS ${s}.reports_next_deadline;
      DROP INDEX IF EXISTS ${s}.reports_platform_status;
      DROP INDEX IF EXISTS ${s}.reports_overdue_since;
      CREATE INDEX IF NOT EXISTS reports_by_urgency ON ${s}.reports (${URGENCY_ORDER}) INCLUDE (platform, status, assignee, severity);
      CREATE INDEX IF NOT EXISTS reports_by_next_deadline ON ${s}.reports (${NEXT_DEADLINE_ORDER}) INCLUDE (platform, status, assignee, severity, overdue_since);
      CREATE INDEX IF NOT EXISTS reports_by_filed_at ON ${s}.reports (${FILED_AT_ORDER}) INCLUDE (platform, status, assignee, severity, overdue_since);
      CREATE INDEX IF NOT EXISTS reports_platform_by_urgency ON ${s}.reports (platform, ${URGENCY_ORDER}) INCLUDE (status, assignee, severity);
      CREATE INDEX IF NOT EXISTS reports_status_by_urgency ON ${s}.reports (status, ${URGENCY_ORDER}) INCLUDE (platform, assignee, severity);
      CREATE INDEX IF NOT EXISTS reports_assignee_by_urgency ON ${s}.reports (assignee, ${URGENCY_ORDER}) INCLUDE (platform, status, severity);
      CREATE INDEX IF NOT EXISTS reports_severity_by_urgency ON ${s}.reports (severity, ${URGENCY_ORDER}) INCLUDE (platform, status, assignee);
      -- Counts of the cases overdue (the list's filter, the scorecard's overdue now): a range of this index.
      CREATE INDEX IF NOT EXISTS reports_by_overdue_since ON ${s}.reports (overdue_since) INCLUDE (platform, status, assignee, severity);
      -- A platform's scorecard for a period: its requests' figures read from this index alone (and the cases that
      -- sent them, for the cooperation report).
      DROP INDEX IF EXISTS ${s}.platform_requests_by_platform;
      CREATE INDEX IF NOT EXISTS platform_requests_by_platform_period ON ${s}.platform_requests (platform, requested_at)
        INCLUDE (clock, response, escalated, answered_at, effect_at, report_id);
      -- Each case's requests as the cooperation report follows them (the domain's CaseRequests), kept event by event
      -- so that a report reads them instead of folding every case's history again. Cases projected before this
      -- table have no row: the report folds their histories (a rebuild fills it).
      -- What the list's text filter searches (id, excerpt, reference, locations: a case's facts, fixed at filing),
      -- apart from the wide rows, so that a search reads some 150 bytes a case instead of its whole row.
      CREATE TABLE IF NOT EXISTS ${s}.report_search (
        report_id TEXT PRIMARY KEY,
        search TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${s}.case_requests (
        report_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        requests JSONB NOT NULL
      );
    `);
    await this.indexSearchTrigrams();
    if (!overdueColumnsWereThere) await this.backfillOverdue();
    // Once, when the table is new: the cases projected before it.
    if (!searchTableWasThere) await this.db.exec(`INSERT INTO ${s}.report_search (report_id, search) SELECT report_id, search FROM ${s}.reports ON CONFLICT DO NOTHING`);
  }

  /**
   * A trigram index for the text filter (a substring anywhere: no B-tree helps), where the database has pg_trgm (a
   * contrib extension that a database owner may create; PGlite loads it at open). Where it has not (a server that
   * refuses it), the filter scans the narrow report_search table: slower, the same answers.
   */
  private async indexSearchTrigrams(): Promise<void> {
    const s = this.schema;
    try {
      await applySchema(this.db, `${s}:trigrams`, `
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS report_search_trigrams ON ${s}.report_search USING gin (search gin_trgm_ops);
      `);
    } catch {
      // no pg_trgm on this server, or no right to create it: the filter scans instead
    }
  }

  private async hasColumn(table: string, column: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3',
      [this.schema, table, column],
    );
    return rows.length > 0;
  }

  /** Rows projected before the columns existed get them from their stored state (only active cases can be overdue). */
  private async backfillOverdue(): Promise<void> {
    const rows = await this.db.query<{ report_id: string; state: ReportState }>(`SELECT report_id, state FROM ${this.schema}.reports WHERE status = 'active'`);
    for (const row of rows) {
      const since = overdueSince(row.state);
      if (since === undefined) continue;
      await this.db.query(`UPDATE ${this.schema}.reports SET overdue_since = $2, ladder_exhausted = $3 WHERE report_id = $1`, [row.report_id, since, ladderExhausted(row.state)]);
    }
  }

  /**
   * Applies one message. Idempotent: a message at or below the report's stored version is a duplicate. A message
   * that skips a version means history this model needs is missing: refused (the projector quarantines it).
   */
  project(message: ReportLifecycleMessage): Promise<ProjectionOutcome> {
    return this.db.transaction((tx) => this.projectWithin(tx, message));
  }

  /** `project` within the caller's transaction (the projector's batch, with its checkpoint). */
  async projectWithin(tx: SqlQueryable, message: ReportLifecycleMessage): Promise<ProjectionOutcome> {
    const s = this.schema;
    const [row] = await tx.query<{ version: number; state: ReportState }>(
      `SELECT version, state FROM ${s}.reports WHERE report_id = $1 FOR UPDATE`,
      [message.reportId],
    );
    const version = row?.version ?? 0;
    if (message.streamVersion <= version) return 'duplicate';
    if (message.streamVersion !== version + 1) {
      throw new ReadModelGapError(`report ${message.reportId}: expected event ${version + 1}, got ${message.streamVersion}`);
    }
    const event = { type: message.type, data: message.data, metadata: message.metadata } as ReportEvent;
    const state = evolve(row?.state ?? initialState(), event);
    if (state.status === 'not-filed') throw new ReadModelGapError(`report ${message.reportId}: stream does not start with ReportFiled`);
    const values = reportRow(state, message.recordedAt);
    await this.upsertSummary(tx, values);
    if (message.streamVersion === 1) {
      await tx.query(`INSERT INTO ${s}.report_search (report_id, search) VALUES ($1, $2) ON CONFLICT (report_id) DO UPDATE SET search = $2`, [message.reportId, values[SEARCH_COLUMN]]);
    }
    await tx.query(
      `INSERT INTO ${s}.timeline (report_id, stream_version, event_id, type, actor, occurred_at, recorded_at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [message.reportId, message.streamVersion, message.eventId, message.type, message.metadata.actor, message.metadata.now, message.recordedAt, JSON.stringify(message.data)],
    );
    await this.trackRequests(tx, event, state);
    await this.followRequests(tx, message.reportId, row?.state ?? initialState(), event, state);
    return 'applied';
  }

  /** Keeps the case's requests as the cooperation report follows them (only once it sent one: clocks stay once made). */
  private async followRequests(tx: SqlQueryable, reportId: string, before: ReportState, event: ReportEvent, state: FiledReportState): Promise<void> {
    if (Object.keys(state.clocks).length === 0) return;
    const s = this.schema;
    const [kept] = await tx.query<{ requests: CaseRequests }>(`SELECT requests FROM ${s}.case_requests WHERE report_id = $1`, [reportId]);
    const requests = settleRequests(foldRequestEvent(kept?.requests ?? initialRequestFold(), reportId, before, event), state);
    await tx.query(
      `INSERT INTO ${s}.case_requests (report_id, version, requests) VALUES ($1, $2, $3)
       ON CONFLICT (report_id) DO UPDATE SET version = $2, requests = $3`,
      [reportId, state.version, JSON.stringify(requests)],
    );
  }

  private async upsertSummary(tx: SqlQueryable, values: unknown[]): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.reports (${REPORT_COLUMNS.join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (report_id) DO UPDATE SET status = $3, severity = $4, category = $5, assignee = $6, next_deadline = $8,
         policy_version = $9, version = $10, search = $11, state = $12, updated_at = $13, overdue_since = $14, ladder_exhausted = $15`,
      values,
    );
  }

  /** Keeps one row per request to the platform, for the cooperation scorecards. */
  private async trackRequests(tx: SqlQueryable, event: ReportEvent, state: FiledReportState): Promise<void> {
    const s = this.schema;
    const change = requestChange(event, state);
    if (!change) return;
    const latest = `requested_at = (SELECT max(requested_at) FROM ${s}.platform_requests WHERE report_id = $1 AND clock = $2)`;
    switch (change.kind) {
      case 'requested':
        await tx.query(
          `INSERT INTO ${s}.platform_requests (report_id, clock, platform, requested_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          [change.reportId, change.clock, change.platform, change.requestedAt],
        );
        return;
      case 'escalated':
        await tx.query(`UPDATE ${s}.platform_requests SET escalated = true WHERE report_id = $1 AND clock = $2 AND ${latest}`, [change.reportId, change.clock]);
        return;
      case 'answered':
        await tx.query(
          `UPDATE ${s}.platform_requests SET answered_at = $3, response = $4, effect_at = $5 WHERE report_id = $1 AND clock = $2 AND ${latest}`,
          [change.reportId, change.clock, change.answeredAt, change.response, change.effectAt],
        );
        return;
      default: {
        const _exhaustive: never = change;
        return _exhaustive;
      }
    }
  }

  async summary(reportId: string): Promise<ReportSummary | undefined> {
    const [row] = await this.db.query<SummaryRow>(`SELECT * FROM ${this.schema}.reports WHERE report_id = $1`, [reportId]);
    return row && toSummary(row);
  }

  async list(filter: ReportListFilter = {}): Promise<{ items: ReportSummary[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.platform) add('platform = ?', filter.platform);
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.assignee) add('assignee = ?', filter.assignee);
    if (filter.text) {
      add(`report_id IN (SELECT report_id FROM ${this.schema}.report_search WHERE search LIKE ?)`, `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (filter.overdue !== undefined) {
      const now = filter.now ?? new Date().toISOString();
      if (filter.overdue) add('overdue_since <= ?', now);
      else add('(overdue_since IS NULL OR overdue_since > ?)', now);
    }
    const s = this.schema;
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const order = LIST_ORDERS[filter.sort ?? 'urgency'];
    // The page's ids first, from an index alone (the rows are wide: each holds the case's state), then its rows.
    const page = `SELECT report_id FROM ${s}.reports ${clause} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    const [[{ total }], rows] = await Promise.all([
      this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${s}.reports ${clause}`, params),
      this.db.query<SummaryRow>(`SELECT r.* FROM (${page}) page JOIN ${s}.reports r USING (report_id) ORDER BY ${order}`, [
        ...params,
        filter.limit ?? 50,
        filter.offset ?? 0,
      ]),
    ]);
    return { items: rows.map(toSummary), total };
  }

  async timeline(reportId: string): Promise<TimelineEntry[]> {
    const rows = await this.db.query<{ stream_version: number; event_id: string; type: string; actor: string; occurred_at: Date | string; recorded_at: Date | string; data: unknown }>(
      `SELECT * FROM ${this.schema}.timeline WHERE report_id = $1 ORDER BY stream_version`,
      [reportId],
    );
    return rows.map((row) => ({
      streamVersion: row.stream_version,
      eventId: row.event_id,
      type: row.type,
      actor: row.actor,
      occurredAt: new Date(row.occurred_at).toISOString(),
      recordedAt: new Date(row.recorded_at).toISOString(),
      data: row.data,
    }));
  }

  /** How a platform answered the requests sent to it in a period, and how many cases are overdue now. */
  async scorecard(platform: string, period: { from: string; to: string }, now: string): Promise<PlatformScorecard> {
    const s = this.schema;
    const [figures] = await this.db.query<Record<string, number | null>>(
      `SELECT
         count(*) FILTER (WHERE clock = 'deletion')::int AS deletion_requests,
         count(*) FILTER (WHERE clock = 'deletion' AND response = 'removed')::int AS removed,
         count(*) FILTER (WHERE clock = 'deletion' AND response = 'partially-removed')::int AS partially_removed,
         count(*) FILTER (WHERE clock = 'deletion' AND response = 'refused')::int AS deletion_refused,
         count(*) FILTER (WHERE clock = 'subscriber-data')::int AS data_requests,
         count(*) FILTER (WHERE clock = 'subscriber-data' AND response IS NOT NULL)::int AS data_answered,
         count(*) FILTER (WHERE clock = 'subscriber-data' AND response = 'data-supplied')::int AS data_supplied,
         count(*) FILTER (WHERE escalated)::int AS escalated,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(effect_at, answered_at) - requested_at))
           FILTER (WHERE response IN ('removed', 'data-supplied')) AS median_seconds_to_effect
       FROM ${s}.platform_requests
       WHERE platform = $1 AND requested_at >= $2 AND requested_at < $3`,
      [platform, period.from, period.to],
    );
    const [{ overdue }] = await this.db.query<{ overdue: number }>(
      `SELECT count(*)::int AS overdue FROM ${s}.reports WHERE platform = $1 AND overdue_since <= $2`,
      [platform, now],
    );
    const n = (key: string) => Number(figures[key] ?? 0);
    const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
    return {
      platform,
      period,
      deletionRequests: { sent: n('deletion_requests'), removed: n('removed'), partiallyRemoved: n('partially_removed'), refused: n('deletion_refused'), removedPercent: ratio(n('removed'), n('deletion_requests')) },
      subscriberDataRequests: {
        sent: n('data_requests'),
        answered: n('data_answered'),
        supplied: n('data_supplied'),
        answeredPercent: ratio(n('data_answered'), n('data_requests')),
        suppliedPercent: ratio(n('data_supplied'), n('data_answered')),
      },
      escalatedRequests: n('escalated'),
      ...timeToEffect(figures.median_seconds_to_effect),
      overdueNow: overdue,
    };
  }

  /**
   * The requests of each case of a platform that sent one in [from, to), followed up to `asOf`: what the domain's
   * cooperation report counts. Read as the projector keeps them; a case projected before it kept them (no row) is
   * folded from its timeline, as before.
   */
  async platformRequests(platform: string, period: { from: string; to: string }, asOf: string): Promise<PlatformRequestRecord[]> {
    const s = this.schema;
    const rows = await this.db.query<{ report_id: string; requests: CaseRequests | null }>(
      `SELECT sent.report_id, kept.requests
       FROM (SELECT DISTINCT report_id FROM ${s}.platform_requests WHERE platform = $1 AND requested_at >= $2 AND requested_at < $3) sent
       LEFT JOIN ${s}.case_requests kept USING (report_id)`,
      [platform, period.from, period.to],
    );
    const missing = rows.filter((row) => row.requests === null).map((row) => row.report_id);
    const folded = missing.length === 0 ? [] : (await this.histories(missing)).flatMap((history) => platformRequests(history, asOf));
    return [...rows.flatMap((row) => (row.requests === null ? [] : requestsAsOf(row.requests, asOf))), ...folded];
  }

  /** The events of the given cases, oldest first, as the domain folds them. */
  private async histories(reportIds: string[]): Promise<{ reportId: string; events: ReportEvent[] }[]> {
    const rows = await this.db.query<{ report_id: string; type: string; actor: string; occurred_at: Date | string; data: unknown }>(
      `SELECT report_id, type, actor, occurred_at, data FROM ${this.schema}.timeline WHERE report_id = ANY($1::text[]) ORDER BY report_id, stream_version`,
      [reportIds],
    );
    return groupHistories(rows);
  }

  /** How many events the model has applied (each report's version is the number of its events applied). */
  async projectedEventCount(): Promise<number> {
    const [row] = await this.db.query<{ count: string }>(`SELECT coalesce(sum(version), 0)::text AS count FROM ${this.schema}.reports`);
    return Number(row.count);
  }

  /** How many cases the model holds. */
  async caseCount(): Promise<number> {
    const [row] = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${this.schema}.reports`);
    return row.count;
  }

  /** How many events of a type the model has seen, over all reports. */
  async count(eventType: string): Promise<number> {
    const [row] = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${this.schema}.timeline WHERE type = $1`, [eventType]);
    return row.count;
  }

  /** Each platform that has cases, by name: its open cases and all its cases. */
  async casesByPlatform(): Promise<{ platform: string; openCases: number; totalCases: number }[]> {
    return this.db.query<{ platform: string; openCases: number; totalCases: number }>(
      `SELECT platform, (count(*) FILTER (WHERE status = ANY($1::text[])))::int AS "openCases", count(*)::int AS "totalCases"
       FROM ${this.schema}.reports GROUP BY platform ORDER BY platform`,
      [OPEN_STATUSES],
    );
  }

  /**
   * Cases not closed, by status (statuses without cases are left out). Only the open cases' index entries are
   * read: closed cases, which pile up over the years, cost nothing.
   */
  async openCasesByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM ${this.schema}.reports WHERE status = ANY($1::text[]) GROUP BY status`,
      [OPEN_STATUSES],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.count]));
  }

  /**
   * Reclaims the space of rows that updates left behind and refreshes the planner's statistics, as PostgreSQL's
   * autovacuum does on a server. PGlite has no autovacuum: without this, its pages are never marked all-visible,
   * so the list's index-only reads fetch every row after all, and its plans rest on no statistics. Only the tables
   * the list, the scorecard and the cooperation report read by index (the timeline is read by its key), one
   * statement each: PGlite is one connection, and the requests waiting meanwhile run between two statements.
   */
  async maintain({ analyze = true }: { analyze?: boolean } = {}): Promise<void> {
    const s = this.schema;
    for (const table of ['reports', 'platform_requests', 'case_requests', 'report_search']) await this.db.exec(`VACUUM ${s}.${table}`);
    if (!analyze) return;
    // Statistics of the columns the plans filter and order on only: sampling the cases' states would cost most.
    await this.db.exec(`ANALYZE ${s}.reports (platform, status, severity, assignee, filed_at, next_deadline, overdue_since, ladder_exhausted)`);
    await this.db.exec(`ANALYZE ${s}.platform_requests (platform, requested_at, clock, response)`);
    await this.db.exec(`ANALYZE ${s}.report_search`);
  }

  /** Empties the model, for a rebuild from the store's beginning (within the rebuild's transaction when given). */
  async reset(tx: SqlQueryable = this.db): Promise<void> {
    await tx.exec(`TRUNCATE ${this.schema}.reports, ${this.schema}.timeline, ${this.schema}.platform_requests, ${this.schema}.case_requests, ${this.schema}.report_search`);
  }
}

export interface ReportListFilter {
  status?: string;
  platform?: string;
  severity?: string;
  assignee?: string;
  text?: string;
  /** Only cases overdue at `now` (true), or only cases not overdue then (false); see the domain's overdueSince. */
  overdue?: boolean;
  /** The instant `overdue` is judged at; default the current time. */
  now?: string;
  /** urgency (default): most overdue first, then the soonest deadline; nextDeadline: soonest running deadline first. */
  sort?: ListSort;
  limit?: number;
  offset?: number;
}

export interface ReportSummary {
  reportId: string;
  platform: string;
  status: string;
  severity: string | null;
  category: string | null;
  assignee: string | null;
  filedAt: string;
  nextDeadline: string | null;
  /** Since when the case is (or, if nobody acts, will be) overdue; null when it cannot be. */
  overdueSince: string | null;
  policyVersion: number;
  version: number;
  state: ReportState;
}

export interface TimelineEntry {
  streamVersion: number;
  eventId: string;
  type: string;
  actor: string;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
}

export interface PlatformScorecard {
  platform: string;
  period: { from: string; to: string };
  deletionRequests: { sent: number; removed: number; partiallyRemoved: number; refused: number; removedPercent: number | null };
  subscriberDataRequests: { sent: number; answered: number; supplied: number; answeredPercent: number | null; suppliedPercent: number | null };
  escalatedRequests: number;
  /** The median time from request to effect, in hours to three significant digits (minutes-long spans stay visible). */
  medianHoursToEffect: number | null;
  /** The same median in whole seconds, exact enough for the shortest spans. */
  medianSecondsToEffect: number | null;
  overdueNow: number;
}

interface SummaryRow {
  report_id: string;
  platform: string;
  status: string;
  severity: string | null;
  category: string | null;
  assignee: string | null;
  filed_at: Date | string;
  next_deadline: Date | string | null;
  overdue_since: Date | string | null;
  policy_version: number;
  version: number;
  state: ReportState;
}

function toSummary(row: SummaryRow): ReportSummary {
  return {
    reportId: row.report_id,
    platform: row.platform,
    status: row.status,
    severity: row.severity,
    category: row.category,
    assignee: row.assignee,
    filedAt: new Date(row.filed_at).toISOString(),
    nextDeadline: row.next_deadline === null ? null : new Date(row.next_deadline).toISOString(),
    overdueSince: row.overdue_since === null ? null : new Date(row.overdue_since).toISOString(),
    policyVersion: row.policy_version,
    version: row.version,
    state: row.state,
  };
}

/** The columns of `reports`, in the order `reportRow` gives their values. */
export const REPORT_COLUMNS = [
  'report_id', 'platform', 'status', 'severity', 'category', 'assignee', 'filed_at', 'next_deadline', 'policy_version', 'version', 'search', 'state',
  'updated_at', 'overdue_since', 'ladder_exhausted',
] as const;

const SEARCH_COLUMN = REPORT_COLUMNS.indexOf('search');

/** A case's row in `reports` as the projector writes it after an event recorded at `recordedAt` (bulk loads use it too). */
export function reportRow(state: FiledReportState, recordedAt: string): unknown[] {
  const running = state.status === 'active' ? Object.values(state.clocks).filter((clock) => clock.status === 'running') : [];
  const nextDeadline = running.length > 0 ? running.map((clock) => clock.deadline).sort()[0] : null;
  const { report } = state;
  const search = [report.reportId, report.excerpt, report.reporterReference, ...report.contentLocations.flatMap((l) => [l.url ?? '', l.channel ?? ''])]
    .join(' ')
    .toLowerCase();
  return [
    report.reportId, report.platform, state.status, state.assessment?.severity ?? null, state.assessment?.category ?? null,
    state.assignee ?? null, report.filedAt, nextDeadline, state.policy.version, state.version, search, JSON.stringify(state), recordedAt,
    overdueSince(state) ?? null, ladderExhausted(state),
  ];
}

/** What an event changes in the rows of requests to the platform: a new request, or the latest one of its clock. */
export type RequestChange =
  | { kind: 'requested'; reportId: string; clock: ClockKind; platform: string; requestedAt: string }
  | { kind: 'escalated'; reportId: string; clock: ClockKind }
  | { kind: 'answered'; reportId: string; clock: ClockKind; answeredAt: string; response: string; effectAt: string | null };

export function requestChange(event: ReportEvent, state: FiledReportState): RequestChange | undefined {
  const reportId = state.report.reportId;
  switch (event.type) {
    case 'DeletionRequested':
    case 'SubscriberDataRequested':
      return { kind: 'requested', reportId, clock: event.type === 'DeletionRequested' ? 'deletion' : 'subscriber-data', platform: state.report.platform, requestedAt: event.metadata.now };
    case 'RequestEscalated':
      return { kind: 'escalated', reportId, clock: event.data.clock };
    case 'PlatformResponseRecorded': {
      // The times the platform's answer states, as the cooperation report counts them; else when it was recorded.
      const answeredAt = event.data.receivedAt ?? event.metadata.now;
      const effective = event.data.response === 'removed' || event.data.response === 'data-supplied';
      return { kind: 'answered', reportId, clock: event.data.clock, answeredAt, response: event.data.response, effectAt: effective ? (event.data.effectGivenAt ?? answeredAt) : null };
    }
    default:
      return undefined; // other events change no request figures
  }
}

/** Timeline rows, ordered by report and version, as each report's events. */
function groupHistories(rows: { report_id: string; type: string; actor: string; occurred_at: Date | string; data: unknown }[]): { reportId: string; events: ReportEvent[] }[] {
  const histories = new Map<string, ReportEvent[]>();
  for (const row of rows) {
    const event = { type: row.type, data: row.data, metadata: { actor: row.actor, now: new Date(row.occurred_at).toISOString() } } as ReportEvent;
    const events = histories.get(row.report_id) ?? [];
    events.push(event);
    histories.set(row.report_id, events);
  }
  return [...histories].map(([reportId, events]) => ({ reportId, events }));
}

export const LIST_SORTS = ['urgency', 'nextDeadline', 'filedAt'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

// A case overdue the longest (a request that ran through its whole ladder) first; cases that cannot be overdue last.
const URGENCY_ORDER = 'ladder_exhausted DESC, overdue_since ASC NULLS LAST, filed_at DESC, report_id';
const NEXT_DEADLINE_ORDER = 'next_deadline ASC NULLS LAST, filed_at DESC, report_id';
const FILED_AT_ORDER = 'filed_at DESC, report_id';
/** Each order is an index's key (see migrate), so a page is read from the index, not sorted. */
const LIST_ORDERS: Record<ListSort, string> = { urgency: URGENCY_ORDER, nextDeadline: NEXT_DEADLINE_ORDER, filedAt: FILED_AT_ORDER };

/** The median time to effect in hours (three significant digits, so ten minutes is 0.167, not 0) and in seconds. */
function timeToEffect(medianSeconds: number | string | null): Pick<PlatformScorecard, 'medianHoursToEffect' | 'medianSecondsToEffect'> {
  if (medianSeconds === null) return { medianHoursToEffect: null, medianSecondsToEffect: null };
  const seconds = Number(medianSeconds);
  return { medianHoursToEffect: Number((seconds / 3600).toPrecision(3)), medianSecondsToEffect: Math.round(seconds) };
}
