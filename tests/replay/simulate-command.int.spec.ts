// `npm run simulate` (dist/apps/worker/src/simulate-policy.main.js) on a PGlite data directory as npm start leaves
// it: recorded cases in the store, a readable summary and --json, refusals of a bad command line with exit 2.
// Needs `npm run build`.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { reportEventId, reportStreamId } from '@engine/contracts';
import { defaultEscalationPolicy, Metadata, ReportEvent } from '@engine/domain';
import { createEventStore } from '@engine/event-store';
import { command, DAY, HOUR, MINUTE, T0 } from '../../libs/domain/testing/report-fixtures';
import { recordHistory } from '../../libs/domain/testing/recorded-histories';
import { repositoryRoot } from '../support/repository-root';

jest.setTimeout(120_000);

async function simulate(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repositoryRoot(), 'dist/apps/worker/src/simulate-policy.main.js'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A high-severity case filed on 2 March 2026 (+`filedAfter`): deletion requested 20 min later, answered or not. */
function recordedCase(reportId: string, filedAfter: number, answeredAfter?: number): ReportEvent[] {
  const start = T0 + filedAfter;
  return recordHistory(
    [
      { at: start, make: (m) => command.fileReport({ reportId }, m) },
      { at: start + 10 * MINUTE, make: (m) => command.triageActionable('high', m) },
      { at: start + 20 * MINUTE, make: (m) => command.requestDeletion(m) },
      ...(answeredAfter === undefined ? [] : [{ at: start + answeredAfter, make: (m: Metadata) => command.respond({ clock: 'deletion', response: 'removed' }, m) }]),
    ],
    T0 + 30 * DAY,
  );
}

describe('npm run simulate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'simulate-'));
  const cellsFile = join(dataDir, 'cells.json');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const store = await createEventStore({ dataDir: join(dataDir, 'postgres') });
    try {
      for (const [id, events] of [['cli-answered', recordedCase('cli-answered', 0, 30 * HOUR)], ['cli-silent', recordedCase('cli-silent', DAY)]] as const) {
        await store.append(reportStreamId(id), 0, events.map((event, i) => ({ eventId: reportEventId(id, i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })));
      }
    } finally {
      await store.close();
    }
    writeFileSync(cellsFile, JSON.stringify({ high: { deletion: { 'standard-contact': { duration: 'PT12H', basis: 'calendar' } } } }));
  });

  it('prints what a half-day first deadline would have changed, case by case', async () => {
    const { code, stdout } = await simulate(dataDir, ['--platform', 'telegram', '--from', '2026-03-01', '--to', '2026-04-01', '--cells', cellsFile, '--as-of', '2026-04-01T00:00:00Z']);
    expect(code).toBe(0);
    expect(stdout).toContain('simulate telegram: cases filed 2026-02-28T23:00:00.000Z – 2026-03-31T22:00:00.000Z');
    expect(stdout).toContain('2 cases in');
    expect(stdout).toMatch(/deletion\s+reminder\s+2 → 2\s+2\s+0\s+0\s+0\s+24\.0 h → 12\.0 h/);
    expect(stdout).toContain('cli-answered (high, filed 2026-03-02T09:00:00.000Z): deletion reminder earlier (−12.0 h)');
  });

  it('--json gives the whole simulation; the version in force changes nothing', async () => {
    const { code, stdout } = await simulate(dataDir, ['--platform', 'telegram', '--from', '2026-03-01T00:00:00+01:00', '--to', '2026-04-01', '--version', '1', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ platform: 'telegram', candidateSource: 'version', summary: { cases: 2, casesChanged: 0 } });
    expect(report.cases.map((c: { reportId: string }) => c.reportId)).toEqual(['cli-answered', 'cli-silent']);
    expect(report.candidate).toEqual(defaultEscalationPolicy('telegram'));
  });

  it('--holiday-state none tries the cells with no state\'s holidays; a state it does not know is refused', async () => {
    const { code, stdout } = await simulate(dataDir, ['--platform', 'telegram', '--from', '2026-03-01', '--to', '2026-04-01', '--cells', cellsFile, '--holiday-state', 'none', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).candidate).not.toHaveProperty('holidayState');
    const unknown = await simulate(dataDir, ['--platform', 'telegram', '--from', '2026-03-01', '--to', '2026-04-01', '--cells', cellsFile, '--holiday-state', 'XX']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--holiday-state must be one of BW, .*, or none/);
  });

  it.each([
    [['--platform', 'telegram', '--from', '2026-03-01', '--to', '2026-04-01'], /give exactly one of --version, --rules, --cells \(given: none\)/],
    [['--platform', 'telegram', '--from', 'March', '--to', '2026-04-01', '--version', '1'], /--from must be a date/],
    [['--platform', 'telegram', '--from', '2026-03-01', '--to', '2026-04-01', '--version', '9'], /there is no version 9/],
    [['--platform', 'telegram', '--from', '2026-04-01', '--to', '2026-03-01', '--version', '1'], /must end after it begins/],
    [['--frobnicate'], /unknown argument --frobnicate/],
  ])('refuses %j with exit 2 and the reason', async (args, reason) => {
    const { code, stderr } = await simulate(dataDir, args);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
  });
});
