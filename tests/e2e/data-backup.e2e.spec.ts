// npm start's data directory backed up while the engine runs and filings go on, then restored into a fresh
// directory: every case acknowledged before the backup began is there with the same state and events, its pending
// deadline still fires, and the restored event store verifies (chain:verify). Restore refuses a running engine's
// directory and a non-empty one.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { filingBody, shortFirstDeadlinePolicy, TRIAGE_BODY } from '../fault/support/case-load';
import { describeStandInOnly } from '../support/engines';
import { eventually } from '../support/eventually';
import { repositoryRoot } from '../support/repository-root';
import { EngineProcess, freeEnginePorts, httpClient, startEngine, TOKENS } from './engine-process';

const PLATFORM = 'telegram';
/** Long enough to outlast the backup and the restore, short enough to fire on the restored engine. */
const FIRST_DEADLINE = 'PT75S';

interface Run {
  code: number;
  output: string;
}

async function runProgram(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repositoryRoot(), script), ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const backup = (dataDir: string, target: string) => runProgram('dist/apps/embedded/src/data-backup.main.js', [target], { DATA_DIR: dataDir });
const restore = (dataDir: string, from: string, ...args: string[]) => runProgram('dist/apps/embedded/src/data-restore.main.js', [from, ...args], { DATA_DIR: dataDir });
const verify = (dataDir: string) => runProgram('dist/apps/worker/src/verify-chain.main.js', [], { DATA_DIR: dataDir, DATABASE_URL: '' });

type Events = { type: string; eventId: string; streamVersion: number; data: unknown }[];

// The backup covers npm start's fully embedded engine; on the real engines there is nothing of it to back up.
describeStandInOnly('data:backup while the engine runs, and data:restore', () => {
  const root = mkdtempSync(join(tmpdir(), 'engine-backup-'));
  const original = join(root, 'original');
  const restored = join(root, 'restored');
  const backupDir = join(root, 'backup');
  let engine: EngineProcess | undefined;
  afterAll(async () => {
    await engine?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it('restores every case acknowledged before the backup, with its events and its pending deadline', async () => {
    engine = await startEngine(original, await freeEnginePorts());
    let http = httpClient(engine.baseUrl);
    expect((await http.put(`/api/policies/${PLATFORM}`, shortFirstDeadlinePolicy(PLATFORM, FIRST_DEADLINE), TOKENS.admin)).status).toBe(200);

    // Cases acknowledged before the backup: filed, some triaged, some with a deletion request (a deadline pending).
    const filed: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await http.post('/api/reports', filingBody(PLATFORM, `before-${i}`));
      expect(answer.status).toBe(201);
      filed.push(answer.body.report.reportId as string);
    }
    for (const id of filed.slice(0, 4)) expect((await http.post(`/api/reports/${id}/triage`, TRIAGE_BODY)).status).toBe(200);
    const waitingOnDeadline = filed.slice(0, 2);
    for (const id of waitingOnDeadline) expect((await http.post(`/api/reports/${id}/deletion-request`)).status).toBe(200);
    const before = new Map<string, { state: unknown; events: Events }>();
    for (const id of filed) {
      const state = (await http.get(`/api/reports/${id}`)).body;
      const events = (await http.get(`/api/reports/${id}/events`)).body.events as Events;
      before.set(id, { state, events });
    }

    // Filings go on during the backup.
    let filing = true;
    let filedDuring = 0;
    const load = (async () => {
      for (let i = 0; filing; i++) {
        if ((await http.post('/api/reports', filingBody(PLATFORM, `during-${i}`))).status === 201) filedDuring += 1;
      }
    })();
    await eventually(async () => (filedDuring >= 3 ? true : undefined), 30_000, 'filings to be under way');
    const taken = await backup(original, backupDir);
    const filedWhileBacking = filedDuring;
    await eventually(async () => (filedDuring >= filedWhileBacking + 2 ? true : undefined), 30_000, 'filings to go on after the backup');
    filing = false;
    await load;
    expect(taken.output).toMatch(/backed up .* the running engine paused its writes for \d+ ms/);
    expect(taken.code).toBe(0);

    // Restore refuses the running engine's directory, and a non-empty directory unless told.
    const intoRunning = await restore(original, backupDir, '--replace');
    expect(intoRunning.code).not.toBe(0);
    expect(intoRunning.output).toMatch(/an engine is running on .*stop it before restoring/);
    const verifyRunning = await verify(original); // PGlite's files belong to the running engine
    expect(verifyRunning.output).toMatch(/an engine is running on .*stop it first/);
    expect(verifyRunning.code).not.toBe(0);
    expect(await engine.stop()).toBe(0);
    engine = undefined;
    mkdirSync(restored);
    writeFileSync(join(restored, 'something'), 'kept');
    const intoOccupied = await restore(restored, backupDir);
    expect(intoOccupied.code).not.toBe(0);
    expect(intoOccupied.output).toMatch(/is not empty; restore into a new directory, or pass --replace/);
    rmSync(restored, { recursive: true });

    const restoring = await restore(restored, backupDir);
    expect(restoring.output).toMatch(/checksums verified/);
    expect(restoring.code).toBe(0);
    const verified = await verify(restored);
    expect(verified.output).toMatch(/OK: every stream is intact and matches its anchors/);
    expect(Number(/(\d+) anchors with/.exec(verified.output)?.[1])).toBeGreaterThan(0);
    expect(verified.output).toMatch(/signatures checked/);
    expect(verified.code).toBe(0);

    engine = await startEngine(restored, await freeEnginePorts());
    http = httpClient(engine.baseUrl);
    for (const [id, { state, events }] of before) {
      const now = await http.get(`/api/reports/${id}/events`);
      expect(now.body.integrity).toEqual({ verified: true });
      // Only the deadlines may have moved on since.
      const later = (now.body.events as Events).slice(events.length).filter((event) => !['DeadlineElapsed', 'RequestEscalated'].includes(event.type));
      expect({ id, events: (now.body.events as Events).slice(0, events.length), later }).toEqual({ id, events, later: [] });
      if (now.body.events.length === events.length) expect({ id, state: (await http.get(`/api/reports/${id}`)).body }).toEqual({ id, state });
    }
    // The deadlines pending at the backup fire on the restored engine: its workflows and timers came back.
    await eventually(async () => {
      for (const id of waitingOnDeadline) {
        const events = (await http.get(`/api/reports/${id}/events`)).body.events as Events;
        if (!events.some((event) => event.type === 'DeadlineElapsed')) return undefined;
      }
      return true;
    }, 120_000, 'the deadlines pending at the backup to fire after the restore', 1_000);
    // Every case in the restored store reads, those filed during the backup included.
    const list = await eventually(async () => {
      const answer = await http.get('/api/reports?limit=200');
      return answer.status === 200 && answer.body.total >= filed.length ? answer.body : undefined;
    }, 30_000, 'the restored read model');
    for (const item of list.items as { reportId: string }[]) expect((await http.get(`/api/reports/${item.reportId}`)).status).toBe(200);
    expect(await engine.stop()).toBe(0);
    engine = undefined;
  }, 400_000);
});
