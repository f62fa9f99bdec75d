// The inbox query against a reference: realistic cases (the read-model benchmark's generator, every event from the
// decider) projected one event at a time, then every filter, order and page the list offers compared with the same
// question answered in plain TypeScript over all rows. The indexes and the two-step page read must change nothing.
// Also: the cooperation report from the requests the model keeps per case equals the domain's fold of the histories,
// and the benchmark's bulk load writes exactly the rows the projector writes.

import { PGliteDatabase, PostgresDatabase, SqlDatabase } from '@engine/database';
import { cooperationReport, cooperationReportOfRequests, ladderExhausted } from '@engine/domain';
import type { ReportEvent } from '@engine/domain';
import { LIST_SORTS, ReadModel, ReportListFilter, ReportSummary } from '@engine/read-model';
import { BENCH_ASSIGNEES, generateCase, GeneratedCase, randomSource } from '../../bench/read-model/case-histories';
import { insertCases } from '../../bench/read-model/bulk-seed';
import { describePostgres } from '../event-store/support';
import { createTestDatabase } from '../support/test-database';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const nowIso = new Date(NOW).toISOString();

jest.setTimeout(60_000);

describe('the inbox query on a seeded set of cases [PGlite]', () => listSuite(async () => ({ db: await PGliteDatabase.open(), drop: async () => undefined })));
describePostgres('the inbox query on a seeded set of cases', () =>
  listSuite(async () => {
    const database = await createTestDatabase('list_order');
    return { db: new PostgresDatabase({ connectionString: database.url, maxConnections: 2 }), drop: database.drop };
  }),
);

function listSuite(open: () => Promise<{ db: SqlDatabase; drop: () => Promise<void> }>): void {
  const opened = open();
  const dbReady = opened.then(({ db }) => db);
  const cases: GeneratedCase[] = Array.from({ length: 140 }, (_, i) => generateCase(i, NOW, randomSource(i + 1)));
  let model: ReadModel;
  let all: (ReportSummary & { ladderExhausted: boolean; search: string })[];

  beforeAll(async () => {
    const db = await dbReady;
    model = new ReadModel(db, 'projected');
    await model.migrate();
    for (const { messages } of cases) for (const message of messages) await model.project(message);
    const searches = new Map((await db.query<{ report_id: string; search: string }>('SELECT report_id, search FROM projected.reports')).map((row) => [row.report_id, row.search]));
    all = (await model.list({ sort: 'filedAt', limit: 1_000 })).items.map((summary) => ({ ...summary, ladderExhausted: ladderExhausted(summary.state), search: searches.get(summary.reportId)! }));
  }, 120_000);
  afterAll(async () => {
    const { db, drop } = await opened;
    await db.close();
    await drop();
  });

  it('has cases of every kind the filters pick', () => {
    expect(all).toHaveLength(cases.length);
    for (const status of ['in-triage', 'active', 'closed']) expect(all.some((c) => c.status === status)).toBe(true);
    expect(all.some((c) => c.ladderExhausted)).toBe(true);
    expect(all.some((c) => c.overdueSince !== null && c.overdueSince <= nowIso)).toBe(true);
    expect(all.some((c) => c.overdueSince !== null && c.overdueSince > nowIso)).toBe(true);
  });

  const filters: ReportListFilter[] = [
    {},
    { platform: 'telegram' },
    { status: 'active' },
    { status: 'in-triage' },
    { severity: 'high' },
    { assignee: BENCH_ASSIGNEES[6] },
    { assignee: BENCH_ASSIGNEES[3], status: 'closed' },
    { overdue: true, now: nowIso },
    { overdue: false, now: nowIso },
    { platform: 'x', overdue: true, now: nowIso },
    { text: 'MURDER' },
    { text: 'r-bench-0000042' },
    { text: '100%_' },
  ];

  it.each(LIST_SORTS)('gives every filter the same matches, order and pages as the reference (sort %s)', async (sort) => {
    for (const filter of filters) {
      const expected = reference({ ...filter, sort });
      for (const [offset, limit] of [[0, 50], [0, 7], [7, 7], [45, 10], [expected.length - 3, 5], [expected.length + 5, 5]]) {
        const page = await model.list({ ...filter, sort, offset: Math.max(0, offset), limit });
        expect({ filter, offset, total: page.total, ids: page.items.map((item) => item.reportId) }).toEqual({
          filter, offset, total: expected.length, ids: expected.slice(Math.max(0, offset), Math.max(0, offset) + limit),
        });
      }
    }
  });

  it('has the rows the projector writes when the benchmark loads the same cases in bulk', async () => {
    const db = await dbReady;
    const bulk = new ReadModel(db, 'bulk');
    await bulk.migrate();
    await insertCases(db, 'bulk', cases);
    for (const [table, order] of [['reports', 'report_id'], ['timeline', 'report_id, stream_version'], ['platform_requests', 'report_id, clock, requested_at'], ['case_requests', 'report_id'], ['report_search', 'report_id']]) {
      const rowsOf = (schema: string) => db.query(`SELECT * FROM ${schema}.${table} ORDER BY ${order}`);
      expect(await rowsOf('bulk')).toEqual(await rowsOf('projected'));
    }
  });

  it.each(['telegram', 'x', 'vk'])("counts %s's cooperation report from the requests it keeps as the domain does from the case histories", async (platform) => {
    const period = { label: '2026', from: '2025-12-01T00:00:00.000Z', to: nowIso };
    const previousPeriod = { label: '2025', from: '2024-12-01T00:00:00.000Z', to: period.from };
    const asOf = new Date(NOW + 3_600_000).toISOString();
    const histories = cases
      .filter(({ state }) => state.report.platform === platform)
      .map(({ state, messages }) => ({ reportId: state.report.reportId, events: messages.map(({ type, data, metadata }) => ({ type, data, metadata }) as ReportEvent) }));
    const expected = cooperationReport({ platform, period, previousPeriod, reports: histories, dossierEvents: [], asOf });
    expect(expected.current.requests.total + expected.previous.requests.total).toBeGreaterThan(0);
    const kept = await model.platformRequests(platform, { from: previousPeriod.from, to: period.to }, asOf);
    expect(cooperationReportOfRequests({ platform, period, previousPeriod, requests: kept, dossierEvents: [], asOf })).toEqual(expected);
    // Cases projected before the model kept their requests are folded from their timelines: the same figures.
    const db = await dbReady;
    const [{ forgotten }] = await db.query<{ forgotten: number }>(
      `WITH gone AS (DELETE FROM projected.case_requests WHERE report_id IN (SELECT report_id FROM projected.reports WHERE platform = $1 AND version % 2 = 0) RETURNING 1) SELECT count(*)::int AS forgotten FROM gone`,
      [platform],
    );
    expect(forgotten).toBeGreaterThan(0);
    const mixed = await model.platformRequests(platform, { from: previousPeriod.from, to: period.to }, asOf);
    expect(cooperationReportOfRequests({ platform, period, previousPeriod, requests: mixed, dossierEvents: [], asOf })).toEqual(expected);
  });

  it('finds the cases projected before the search had a table of its own (the migration fills it once)', async () => {
    const db = await dbReady;
    await db.exec('DROP TABLE projected.report_search');
    await model.migrate();
    await model.migrate();
    // pg_trgm is there on both (PGlite loads it at open): a trigram index serves the search.
    const indexes = (await db.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'projected' AND tablename = 'report_search'`)).map((row) => row.name);
    expect(indexes).toContain('report_search_trigrams');
    for (const text of ['murder', 'r-bench-0000042', 'lka-by']) {
      expect((await model.list({ text, limit: 200 })).items.map((item) => item.reportId)).toEqual(reference({ text }));
    }
  });

  /** The list's documented answer, computed over all rows. */
  function reference(filter: ReportListFilter): string[] {
    const matches = all.filter(
      (c) =>
        (filter.status === undefined || c.status === filter.status) &&
        (filter.platform === undefined || c.platform === filter.platform) &&
        (filter.severity === undefined || c.severity === filter.severity) &&
        (filter.assignee === undefined || c.assignee === filter.assignee) &&
        (filter.text === undefined || c.search.includes(filter.text.toLowerCase())) &&
        (filter.overdue === undefined || filter.overdue === (c.overdueSince !== null && Date.parse(c.overdueSince) <= NOW)),
    );
    const byFiledDesc = (a: ReportSummary, b: ReportSummary) => compare(b.filedAt, a.filedAt) || compare(a.reportId, b.reportId);
    const nullsLast = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : compare(a, b));
    const orders = {
      urgency: (a: (typeof all)[number], b: (typeof all)[number]) => Number(b.ladderExhausted) - Number(a.ladderExhausted) || nullsLast(a.overdueSince, b.overdueSince) || byFiledDesc(a, b),
      nextDeadline: (a: (typeof all)[number], b: (typeof all)[number]) => nullsLast(a.nextDeadline, b.nextDeadline) || byFiledDesc(a, b),
      filedAt: byFiledDesc,
    };
    return matches.sort(orders[filter.sort ?? 'urgency']).map((c) => c.reportId);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
