// Read-model benchmark: the inbox query (GET /api/reports: filters, urgency order, paging) and a platform's
// scorecard and cooperation report for a year, as the read model grows. The model is seeded in bulk with the rows
// the projector writes for realistic case histories (bench/read-model/case-histories.ts), on PGlite and, when
// one answers, on PostgreSQL. Prints figures per size and how they grow; asserts nothing.
//
//   npm run bench:read-model -- [sizes=10000,100000] [iterations=40] [backends=pglite,postgres] [parts=list,scorecard,cooperation,projection]
//
// PostgreSQL: TEST_DATABASE_URL (or the engines' from scripts/engines/start.sh, else 127.0.0.1:5432); a fresh
// database is created there and dropped at the end.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGliteDatabase, PostgresDatabase, SqlDatabase } from '@engine/database';
import { cooperationReportOfRequests, reportingPeriods } from '@engine/domain';
import { ReadModel, ReportListFilter } from '@engine/read-model';
import { createTestDatabase, postgresReachable, testDatabaseUrl } from '../../tests/support/test-database';
import { generateCase, GeneratedCase, randomSource } from './case-histories';
import { insertCases } from './bulk-seed';

const [sizesArg = '10000,100000', iterationsArg = '40', backendsArg = 'pglite,postgres', partsArg = 'list,scorecard,cooperation,projection'] = process.argv.slice(2);
const sizes = sizesArg.split(',').map(Number).sort((a, b) => a - b);
const iterations = Number(iterationsArg);
const backends = backendsArg.split(',');
const parts = new Set(partsArg.split(','));

/** The instant the data set is generated up to and queried at (fixed, so every run sees the same data). */
const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const nowIso = new Date(NOW).toISOString();
const YEAR = { from: new Date(NOW - 365 * 24 * 3_600_000).toISOString(), to: nowIso };
const DEEP_OFFSET = 2_000;

/** What the back office asks for most: the inbox as it opens, and the filters its toolbar offers. */
const LIST_QUERIES: { name: string; filter: ReportListFilter }[] = [
  { name: 'inbox (no filter)', filter: {} },
  { name: 'platform=telegram', filter: { platform: 'telegram' } },
  { name: 'platform=vk (small)', filter: { platform: 'vk' } },
  { name: 'status=active', filter: { status: 'active' } },
  { name: 'status=in-triage', filter: { status: 'in-triage' } },
  { name: 'overdue=true', filter: { overdue: true, now: nowIso } },
  { name: 'overdue=false', filter: { overdue: false, now: nowIso } },
  { name: 'assignee=analyst.07', filter: { assignee: 'analyst.07' } },
  { name: 'assignee+status=active', filter: { assignee: 'analyst.07', status: 'active' } },
  { name: 'platform+overdue', filter: { platform: 'telegram', overdue: true, now: nowIso } },
  { name: 'severity=critical', filter: { severity: 'critical' } },
  { name: 'text="murder"', filter: { text: 'murder' } },
  { name: 'text=report id (rare)', filter: { text: 'r-bench-0001234' } },
  { name: 'sort=nextDeadline', filter: { sort: 'nextDeadline' } },
  { name: 'sort=filedAt', filter: { sort: 'filedAt' } },
];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value: number) => value.toFixed(1).padStart(8);

interface Figures {
  list: Map<string, { p50: number; p99: number; total: number }>;
  scorecard: Map<string, number>;
  cooperation: Map<string, number>;
  events: number;
}

async function main(): Promise<void> {
  console.log(`read-model benchmark: sizes ${sizes.join(', ')} cases; ${iterations} runs per query; now = ${nowIso}`);
  console.log(`machine: ${(await import('node:os')).cpus().length} cores (shared), node ${process.version}`);
  for (const backend of backends) {
    if (backend === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-read-model-'));
      const db = await PGliteDatabase.open(dataDir);
      try {
        await run('PGlite', db);
      } finally {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    } else if (backend === 'postgres') {
      if (!(await postgresReachable())) {
        console.log(`\nPostgreSQL: not reachable at ${testDatabaseUrl()}; skipped (set TEST_DATABASE_URL)`);
        continue;
      }
      const database = await createTestDatabase('bench_read_model');
      const db = new PostgresDatabase({ connectionString: database.url, maxConnections: 2 });
      try {
        const [{ server_version: version }] = await db.query<{ server_version: string }>('SHOW server_version');
        await run(`PostgreSQL ${version}`, db);
      } finally {
        await db.close();
        await database.drop();
      }
    } else {
      throw new Error(`unknown backend ${backend} (pglite, postgres)`);
    }
  }
}

async function run(label: string, db: SqlDatabase): Promise<void> {
  const readModel = new ReadModel(db);
  await readModel.migrate();
  const bySize = new Map<number, Figures>();
  let seeded = 0;
  let events = 0;
  for (const size of sizes) {
    const started = performance.now();
    let refused = 0;
    while (seeded < size) {
      const batch: GeneratedCase[] = [];
      for (const end = Math.min(size, seeded + 1_000); seeded < end; seeded++) batch.push(generateCase(seeded, NOW, randomSource(seeded + 1)));
      events += batch.reduce((sum, c) => sum + c.messages.length, 0);
      refused += batch.reduce((sum, c) => sum + c.refusedCommands, 0);
      await insertCases(db, readModel.schema, batch);
    }
    // What autovacuum does soon after a load this size (PGlite has none: the projector does it there).
    const maintained = performance.now();
    await readModel.maintain();
    const maintenance = performance.now() - maintained;
    const seconds = (performance.now() - started) / 1000;
    const [open] = await db.query<{ open: number; overdue: number }>(
      `SELECT count(*) FILTER (WHERE status <> 'closed')::int AS open, count(*) FILTER (WHERE overdue_since <= $1)::int AS overdue FROM ${readModel.schema}.reports`,
      [nowIso],
    );
    console.log(`\n== ${label}: ${size.toLocaleString('en')} cases, ${events.toLocaleString('en')} events (${open.open.toLocaleString('en')} open, ${open.overdue.toLocaleString('en')} overdue; seeded in ${seconds.toFixed(0)} s, ${refused} generated commands refused by the decider; VACUUM ANALYZE ${(maintenance / 1000).toFixed(1)} s)`);
    bySize.set(size, await measure(readModel, events));
    if (parts.has('projection')) await measureProjection(readModel, db);
  }
  printGrowth(label, bySize);
}

/** What the indexes and kept requests cost the projector: cases projected event by event, then taken out again. */
async function measureProjection(readModel: ReadModel, db: SqlDatabase): Promise<void> {
  const cases = Array.from({ length: 300 }, (_, i) => generateCase(9_000_000 + i, NOW, randomSource(9_000_000 + i)));
  const messages = cases.flatMap((c) => c.messages);
  const started = performance.now();
  for (const message of messages) await readModel.project(message);
  const seconds = (performance.now() - started) / 1000;
  console.log(`  projection: ${messages.length} events of 300 cases, one transaction each: ${(messages.length / seconds).toFixed(0)} events/s (${((seconds * 1000) / messages.length).toFixed(2)} ms an event)`);
  const s = readModel.schema;
  for (const table of ['reports', 'timeline', 'platform_requests', 'case_requests', 'report_search']) await db.query(`DELETE FROM ${s}.${table} WHERE report_id LIKE 'R-bench-9%'`);
  // What the projector's maintenance on PGlite then costs (everything waits for it there: one connection).
  const maintained = performance.now();
  await readModel.maintain();
  console.log(`  maintenance after those events (VACUUM ANALYZE, as the projector runs it on PGlite): ${(performance.now() - maintained).toFixed(0)} ms`);
}

async function measure(readModel: ReadModel, events: number): Promise<Figures> {
  const figures: Figures = { list: new Map(), scorecard: new Map(), cooperation: new Map(), events };
  console.log(`  inbox query (ReadModel.list, limit 50)         page 1: p50 / p99 ms      page at offset ${DEEP_OFFSET}: p50 / p99 ms   matches`);
  for (const { name, filter } of parts.has('list') ? LIST_QUERIES : []) {
    const line = [`  ${name.padEnd(40)}`];
    let total = 0;
    for (const offset of [0, DEEP_OFFSET]) {
      const times: number[] = [];
      for (let i = 0; i < iterations + 2; i++) {
        const started = performance.now();
        const page = await readModel.list({ ...filter, limit: 50, offset });
        if (i >= 2) times.push(performance.now() - started); // two warm-up runs
        total = page.total;
      }
      const p50 = percentile(times, 50);
      const p99 = percentile(times, 99);
      figures.list.set(`${name}@${offset}`, { p50, p99, total });
      line.push(`${ms(p50)} / ${ms(p99)}        `);
    }
    console.log(`${line.join('')}${String(total).padStart(9)}`);
  }
  const runs = Math.max(3, Math.floor(iterations / 8));
  for (const platform of parts.has('scorecard') ? ['telegram', 'vk'] : []) {
    const times: number[] = [];
    let sent = 0;
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      const card = await readModel.scorecard(platform, YEAR, nowIso);
      if (i >= 1) times.push(performance.now() - started);
      sent = card.deletionRequests.sent + card.subscriberDataRequests.sent;
    }
    figures.scorecard.set(platform, percentile(times, 50));
    console.log(`  scorecard ${platform}, a year (${sent} requests): median ${ms(percentile(times, 50))} ms, max ${ms(Math.max(...times))} ms`);
  }
  for (const platform of parts.has('cooperation') ? ['telegram', 'vk'] : []) {
    const times: number[] = [];
    let folded = 0;
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const started = performance.now();
      folded = await cooperationReportOf(readModel, platform);
      times.push(performance.now() - started);
    }
    figures.cooperation.set(platform, percentile(times, 50));
    console.log(`  cooperation report ${platform}, a year against the year before (${folded} requests): median ${ms(percentile(times, 50))} ms`);
  }
  return figures;
}

/** What ReadModelPlatformsService.cooperationReport does, without the dossier's stream (none in this data set). */
async function cooperationReportOf(readModel: ReadModel, platform: string): Promise<number> {
  const periods = reportingPeriods({ from: YEAR.from, to: YEAR.to }, nowIso);
  const requests = await readModel.platformRequests(platform, { from: periods.previous.from, to: periods.current.to }, nowIso);
  const report = cooperationReportOfRequests({ platform, period: periods.current, previousPeriod: periods.previous, requests, dossierEvents: [], asOf: nowIso });
  return report.current.requests.deletion + report.current.requests.subscriberData;
}

function printGrowth(label: string, bySize: Map<number, Figures>): void {
  const [smallest, ...larger] = [...bySize.keys()];
  if (larger.length === 0) return;
  const base = bySize.get(smallest)!;
  console.log(`\n  ${label}: growth against ${smallest.toLocaleString('en')} cases (inbox: ×p50/×p99, page 1 and deep page; scorecard and report: ×median)`);
  for (const size of larger) {
    const figures = bySize.get(size)!;
    const ratios = [...figures.list].map(([key, value]) => {
      const before = base.list.get(key)!;
      return `${key.replace(`@${DEEP_OFFSET}`, '@deep').replace('@0', '')} ×${(value.p50 / before.p50).toFixed(1)}/×${(value.p99 / before.p99).toFixed(1)}`;
    });
    console.log(`  ${size.toLocaleString('en')} cases (${(size / smallest).toFixed(0)}× the cases, ${(figures.events / base.events).toFixed(1)}× the events):`);
    console.log(`    ${ratios.join('; ')}`);
    console.log(`    scorecard ${[...figures.scorecard].map(([p, v]) => `${p} ×${(v / base.scorecard.get(p)!).toFixed(1)}`).join(', ')}; cooperation report ${[...figures.cooperation].map(([p, v]) => `${p} ×${(v / base.cooperation.get(p)!).toFixed(1)}`).join(', ')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
