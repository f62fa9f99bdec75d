// `npm run simulate -- --platform telegram --from 2026-02-01 --to 2026-03-01 (--version N | --rules file.json | --cells file.json)`:
// what-if for analysts — the platform's cases filed in the period run again under a candidate policy (libs/domain
// simulatePolicy, as POST /api/policies/:platform/simulations answers it), printed as a summary, or whole with --json.
// Reads the store and changes nothing. Uses DATABASE_URL, or the PGlite in DATA_DIR (default ./.data) while no engine
// runs on it. A date without a time is that day's start in Berlin; --to is excluded.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@engine/database';
import { berlinMidnight, GERMAN_STATES, GermanState, isInstant, policyCellChangeProblems, policyProblems } from '@engine/domain';
import type { EscalationPolicy, PolicyCellChanges } from '@engine/domain';
import { openEventStore, readReportHistories } from '@engine/event-store';
import { engineUsing } from '../../embedded/src/backup/engine-presence';
import { policyVersions } from '../../api/src/policies/event-sourced-policies.service';
import { CandidatePolicy, PolicySimulationReport, PolicySimulationRequestError, runPolicySimulation } from '../../api/src/policies/policy-simulations';

const HOUR_MS = 3_600_000;

const USAGE =
  'usage: npm run simulate -- --platform <name> --from <date|instant> --to <date|instant> (--version <n> | --rules <file.json> | --cells <file.json>) [--holiday-state BY|none] [--as-of <instant>] [--cases <n>] [--json]';

interface Options {
  platform: string;
  from: string;
  to: string;
  candidate: CandidatePolicy;
  asOf?: string;
  shownCases: number;
  json: boolean;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const dataDir = process.env.DATA_DIR || './.data';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    const running = await engineUsing(dataDir);
    // PGlite is one process's database: opening its files beside the engine could damage them.
    if (running) throw new Error(`${running}; stop it first (the PGlite database can be opened by one process only), or simulate on a backup of it`);
    if (!existsSync(join(dataDir, 'postgres'))) throw new Error(`there is no PGlite database in ${resolve(dataDir, 'postgres')} (set DATA_DIR, or DATABASE_URL for PostgreSQL)`);
  }
  const database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : join(dataDir, 'postgres') });
  try {
    const eventStore = await openEventStore(database, { schema: process.env.EVENT_STORE_SCHEMA || undefined });
    const started = Date.now();
    const report = await runPolicySimulation(
      {
        versions: (platform) => policyVersions(eventStore, platform),
        histories: (filter) => readReportHistories(database, eventStore.schema, filter),
        ...(options.asOf !== undefined && { now: () => new Date(options.asOf!) }),
      },
      options.platform,
      { candidate: options.candidate, from: options.from, to: options.to },
    );
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else console.log(summary(report, options.shownCases, Date.now() - started).join('\n'));
    return 0;
  } finally {
    await database.close();
  }
}

function parseArguments(args: string[]): Options {
  const values = new Map<string, string>();
  let json = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--json') json = true;
    else if (['--platform', '--from', '--to', '--version', '--rules', '--cells', '--holiday-state', '--as-of', '--cases'].includes(arg)) {
      const value = args[++index];
      if (value === undefined || value.startsWith('--')) fail(`${arg} needs a value`);
      values.set(arg, value);
    } else fail(`unknown argument ${arg}`);
  }
  const platform = values.get('--platform') ?? fail('--platform is required');
  const from = instantOf('--from', values.get('--from') ?? fail('--from is required'));
  const to = instantOf('--to', values.get('--to') ?? fail('--to is required'));
  const candidates = ['--version', '--rules', '--cells'].filter((name) => values.has(name));
  if (candidates.length !== 1) fail(`give exactly one of --version, --rules, --cells (given: ${candidates.join(', ') || 'none'})`);
  const holidayState = values.get('--holiday-state');
  // none: no state's holidays (as POST …/simulations with holidayState null); absent: the state in force.
  if (holidayState !== undefined && holidayState !== 'none' && !(GERMAN_STATES as readonly string[]).includes(holidayState)) {
    fail(`--holiday-state must be one of ${GERMAN_STATES.join(', ')}, or none`);
  }
  if (holidayState !== undefined && values.has('--version')) fail('--holiday-state goes with --rules or --cells; a version has its own');
  const holiday = holidayState === undefined ? {} : { holidayState: holidayState === 'none' ? null : (holidayState as GermanState) };
  let candidate: CandidatePolicy;
  if (values.has('--version')) {
    const version = Number(values.get('--version'));
    if (!Number.isInteger(version) || version < 1) fail('--version must be a whole number from 1');
    candidate = { version };
  } else if (values.has('--rules')) {
    const rules = readJson('--rules', values.get('--rules')!) as EscalationPolicy['rules'];
    const problems = policyProblems({ platform: platform, version: 1, rules }).filter((problem) => problem.startsWith('rules'));
    if (problems.length > 0) fail(`--rules: ${problems.join('; ')}`);
    candidate = { rules, ...holiday };
  } else {
    const cells = readJson('--cells', values.get('--cells')!) as PolicyCellChanges;
    const problems = policyCellChangeProblems(cells, 'cells');
    if (problems.length > 0) fail(`--cells: ${problems.join('; ')}`);
    candidate = { cells, ...holiday };
  }
  const asOf = values.has('--as-of') ? instantOf('--as-of', values.get('--as-of')!) : undefined;
  const shownCases = values.has('--cases') ? Number(values.get('--cases')) : 20;
  if (!Number.isInteger(shownCases) || shownCases < 0) fail('--cases must be a whole number');
  return { platform, from, to, candidate, ...(asOf !== undefined && { asOf }), shownCases, json };
}

/** An ISO instant as given, or a date (YYYY-MM-DD) as the start of that day in Berlin. */
function instantOf(name: string, text: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) return new Date(berlinMidnight(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) / (24 * HOUR_MS))).toISOString();
  if (!isInstant(text)) fail(`${name} must be a date (2026-02-01) or an ISO 8601 instant with a time zone (2026-02-01T00:00:00+01:00)`);
  return new Date(text).toISOString();
}

/** A rules file: the table itself, or `{ "rules": …, "holidayState": … }` as GET /api/policies answers its policy. */
function readJson(name: string, file: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`${name}: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  const wrapped = parsed as { rules?: unknown; policy?: { rules?: unknown } };
  return wrapped?.policy?.rules ?? wrapped?.rules ?? parsed;
}

function fail(message: string): never {
  throw new UsageError(`${message}\n${USAGE}`);
}

class UsageError extends Error {}

const hours = (ms: number | null) => (ms === null ? '–' : ms >= 48 * HOUR_MS ? `${(ms / (24 * HOUR_MS)).toFixed(1)} d` : `${(ms / HOUR_MS).toFixed(1)} h`);
const shift = (ms: number | undefined) => (ms === undefined ? '' : ` (${ms < 0 ? '−' : '+'}${hours(Math.abs(ms))})`);

function summary(report: PolicySimulationReport, shownCases: number, tookMs: number): string[] {
  const { summary: totals, candidate } = report;
  const lines = [
    `simulate ${report.platform}: cases filed ${report.period.from} – ${report.period.to}, deadlines up to ${report.asOf}`,
    `  candidate: ${report.candidateSource === 'version' ? `version ${candidate.version}` : `${report.candidateSource} (as version ${candidate.version})`}, against what happened (version ${report.versionInForce} in force now)${candidate.holidayState ? `, holidays of ${candidate.holidayState}` : ''}`,
    `  ${totals.cases} cases in ${tookMs} ms; ${totals.casesChanged} would change, ${totals.casesWithRefusedActions} with a recorded action the candidate refuses`,
    `  app-store pressure: ${totals.appStorePressure.recorded} cases as recorded, ${totals.appStorePressure.simulated} under the candidate`,
    '',
    '  request          step                 reached (was → would)  earlier  later  not at all  new   median time to step (was → would)',
  ];
  for (const step of totals.steps) {
    lines.push(
      `  ${step.clock.padEnd(16)} ${step.step.padEnd(20)} ${`${step.reached.recorded} → ${step.reached.simulated}`.padEnd(22)} ${String(step.changes.earlier).padStart(7)} ${String(step.changes.later).padStart(6)} ${String(step.changes['not-at-all']).padStart(11)} ${String(step.changes['only-under-candidate']).padStart(4)}   ${hours(step.medianMsToStep.recorded)} → ${hours(step.medianMsToStep.simulated)}`,
    );
  }
  const changed = report.cases.filter((c) => c.changed);
  if (changed.length > 0 && shownCases > 0) {
    lines.push('', `  changed cases (${Math.min(shownCases, changed.length)} of ${changed.length}; --cases N for more, --json for all):`);
    for (const simulated of changed.slice(0, shownCases)) {
      const steps = simulated.steps.filter((s) => s.change !== 'unchanged').map((s) => `${s.clock} ${s.step} ${s.change}${shift(s.shiftMs)}`);
      const refused = simulated.refused.map((r) => `refused ${r.command} at ${r.at} (${r.code})`);
      lines.push(`    ${simulated.reportId} (${simulated.severity ?? 'untriaged'}, filed ${simulated.filedAt}): ${[...steps, ...refused].join('; ')}`);
    }
  }
  return lines;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof PolicySimulationRequestError;
    console.error(usage ? (error as Error).message : `simulate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(usage ? 2 : 1);
  },
);
