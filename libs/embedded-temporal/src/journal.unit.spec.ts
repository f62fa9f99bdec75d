import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { FileJournal, type JournalStore } from './journal';

/** A replayed run as its events and last snapshot (the events read back from the journal). */
function replayed(journal: JournalStore, runs: ReturnType<typeof FileJournal.open>['runs'], runId: string) {
  const run = runs.get(runId)!;
  return { events: journal.readEvents(runId), snapshot: run.snapshot, eventCount: run.eventCount };
}

/**
 * What the disk does with the journal's next writes: a number is how many of the bytes asked it takes (a short
 * write), an error code fails the write. Writes beyond the list are the real ones.
 */
const mockDisk: { writes: (((asked: number) => number) | string)[] } = { writes: [] };
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof fs>('node:fs');
  type WriteCallback = (error: NodeJS.ErrnoException | null, written: number) => void;
  const write = (fd: number, data: Buffer, offset: number, length: number, position: null, callback: WriteCallback) => {
    const next = mockDisk.writes.shift();
    if (next === undefined) return actual.write(fd, data, offset, length, position, callback);
    if (typeof next === 'string') return process.nextTick(() => callback(Object.assign(new Error(`${next}: write failed`), { code: next }), 0));
    const written = actual.writeSync(fd, data, offset, Math.min(length, next(length)));
    process.nextTick(() => callback(null, written));
  };
  return { ...actual, write };
});

const journalFile = (dir: string) => path.join(dir, 'journal.jsonl');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Rounds of appends to 30 runs with snapshots of 200–600 bytes, some rounds followed by a pause; drawn from a fixed
 * seed, so that a failure can be replayed.
 */
const appendRounds = fc.sample(
  fc.array(
    fc.record({
      appends: fc.array(fc.record({ run: fc.nat(29), events: fc.nat(2), padding: fc.integer({ min: 200, max: 599 }) }), { minLength: 1, maxLength: 20 }),
      pause: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
    }),
    { minLength: 60, maxLength: 60 },
  ),
  { seed: 14, numRuns: 1 },
)[0];

describe('FileJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays every acknowledged record, merging events and keeping the last snapshot per run', async () => {
    const { journal } = FileJournal.open(dir);
    await Promise.all([
      journal.append({ r: 'run-1', e: ['a', 'b'], s: { v: 1 } }),
      journal.append({ r: 'run-2', e: ['x'], s: { v: 1 } }),
      journal.append({ r: 'run-1', e: ['c'], s: { v: 2 } }),
    ]);
    await journal.close();
    const reopened = FileJournal.open(dir);
    expect(replayed(reopened.journal, reopened.runs, 'run-1')).toEqual({ events: ['a', 'b', 'c'], snapshot: { v: 2 }, eventCount: 3 });
    expect(replayed(reopened.journal, reopened.runs, 'run-2')).toEqual({ events: ['x'], snapshot: { v: 1 }, eventCount: 1 });
    await reopened.journal.close();
  });

  it.each([
    ['a line of the current format', 'run-1\t1\t{"v":2}\t["b"'],
    ['a line of the earlier format', '{"r":"run-1","e":["b"'],
  ])('drops a torn last line (never acknowledged), cuts it off and keeps appending after it: %s', async (_name, torn) => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    await journal.close();
    const intact = fs.statSync(journalFile(dir)).size;
    fs.appendFileSync(journalFile(dir), torn);
    const second = FileJournal.open(dir);
    expect(fs.statSync(journalFile(dir)).size).toBe(intact);
    expect(replayed(second.journal, second.runs, 'run-1')).toEqual({ events: ['a'], snapshot: { v: 1 }, eventCount: 1 });
    await second.journal.append({ r: 'run-1', e: ['c'], s: { v: 3 } });
    await second.journal.close();
    const third = FileJournal.open(dir);
    expect(replayed(third.journal, third.runs, 'run-1')).toEqual({ events: ['a', 'c'], snapshot: { v: 3 }, eventCount: 2 });
    await third.journal.close();
  });

  it('finishes a short write, and cuts off what a failed write left so that the next line is read intact after a restart', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    // The disk takes half of the next group, then reports itself full.
    mockDisk.writes = [(asked) => Math.floor(asked / 2), 'ENOSPC'];
    await expect(journal.append({ r: 'run-1', e: ['refused'], s: { v: 'refused' } })).rejects.toThrow('ENOSPC');
    // A write that the disk takes in two parts is whole.
    mockDisk.writes = [() => 3];
    await journal.append({ r: 'run-1', e: ['b'], s: { v: 2 } });
    expect(journal.readEvents('run-1')).toEqual(['a', 'b']);
    await journal.close();
    const reopened = FileJournal.open(dir);
    expect(replayed(reopened.journal, reopened.runs, 'run-1')).toEqual({ events: ['a', 'b'], snapshot: { v: 2 }, eventCount: 2 });
    await reopened.journal.close();
  });

  it("reads a run's events back while appending goes on", async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    void journal.append({ r: 'run-1', e: [], s: { v: 'ü\t\n' } }); // not awaited: a group of several lines, one not ASCII
    await Promise.all([journal.append({ r: 'run-2', e: ['x', 'y'], s: { v: 1 } }), journal.append({ r: 'run-1', e: ['b'], s: { v: 2 } })]);
    expect(journal.readEvents('run-2')).toEqual(['x', 'y']);
    expect(journal.readEvents('run-1')).toEqual(['a', 'b']);
    expect(journal.readEvents('run-3')).toEqual([]);
    await journal.close();
    const reopened = FileJournal.open(dir);
    expect(replayed(reopened.journal, reopened.runs, 'run-1')).toEqual({ events: ['a', 'b'], snapshot: { v: 2 }, eventCount: 2 });
    await reopened.journal.append({ r: 'run-2', e: ['z'], s: { v: 2 } });
    expect(reopened.journal.readEvents('run-2')).toEqual(['x', 'y', 'z']);
    await reopened.journal.close();
  });

  it('refuses appends after close instead of losing them silently', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.close();
    await expect(journal.append({ r: 'run', e: [], s: {} })).rejects.toThrow(/closed/);
  });

  it('refuses a run id that would break its line', async () => {
    const { journal } = FileJournal.open(dir);
    await expect(journal.append({ r: 'run\t1', e: [], s: {} })).rejects.toThrow(/tab or a newline/);
    await journal.close();
  });

  it('reads a journal of the earlier format (one JSON object per line) and rewrites it when it compacts', async () => {
    const lines = [
      { r: 'run-1', e: ['a', 'b'], s: { v: 1 } },
      { r: 'run-2', e: ['x'], s: { v: 1 } },
      { r: 'run-1', e: [], s: { v: 2, big: 'p'.repeat(500) } },
      { r: 'run-1', e: ['c'], s: { v: 3 } },
    ];
    fs.writeFileSync(journalFile(dir), lines.map((line) => JSON.stringify(line) + '\n').join(''));
    const { journal, runs } = FileJournal.open(dir, { compactAfterBytes: 1 });
    expect(replayed(journal, runs, 'run-1')).toEqual({ events: ['a', 'b', 'c'], snapshot: { v: 3 }, eventCount: 3 });
    await journal.append({ r: 'run-2', e: ['y'], s: { v: 2 } });
    while (fs.readFileSync(journalFile(dir), 'utf8').startsWith('{')) await sleep(5);
    expect(journal.readEvents('run-1')).toEqual(['a', 'b', 'c']);
    expect(journal.readEvents('run-2')).toEqual(['x', 'y']);
    await journal.close();
    const rewritten = fs.readFileSync(journalFile(dir), 'utf8');
    expect(rewritten.startsWith('run-1\t3\t{"v":3}\t["a","b","c"]\nrun-2\t1\t{"v":1}\t["x"]\n')).toBe(true);
    expect(rewritten).not.toContain('{"r"');
    const reopened = FileJournal.open(dir);
    expect(replayed(reopened.journal, reopened.runs, 'run-2')).toEqual({ events: ['x', 'y'], snapshot: { v: 2 }, eventCount: 2 });
    await reopened.journal.close();
  });

  it('compacts while appends go on, losing none of them, once superseded snapshots outweigh the live bytes', async () => {
    const { journal } = FileJournal.open(dir, { compactAfterBytes: 20_000, compactionSliceBytes: 2_000 });
    const expected = new Map<string, { events: string[]; snapshot: unknown }>();
    let largest = 0;
    let compactions = 0;
    for (const [round, { appends, pause }] of appendRounds.entries()) {
      const written = appends.map(({ run: n, events: count, padding }, i) => {
        const runId = `run-${n}`;
        const events = Array.from({ length: count }, (_, k) => `${runId}/${round}/${i}/${k}`);
        const snapshot = { round, i, padding: 'x'.repeat(padding) };
        const run = expected.get(runId) ?? { events: [], snapshot: null };
        run.events.push(...events);
        run.snapshot = snapshot;
        expected.set(runId, run);
        return journal.append({ r: runId, e: events, s: snapshot });
      });
      await Promise.all(written);
      const size = fs.statSync(journalFile(dir)).size;
      if (size < largest) compactions++;
      largest = Math.max(largest, size);
      for (const [runId, run] of expected) expect(journal.readEvents(runId)).toEqual(run.events);
      // Now and then the loop waits, so that a compaction's slices interleave with the next appends or finish.
      if (pause) await new Promise((resolve) => setImmediate(resolve));
    }
    while (fs.existsSync(`${journalFile(dir)}.compacting`)) await sleep(5);
    await journal.close();
    expect(compactions).toBeGreaterThan(0);
    const reopened = FileJournal.open(dir);
    for (const [runId, run] of expected) expect(replayed(reopened.journal, reopened.runs, runId)).toEqual({ events: run.events, snapshot: run.snapshot, eventCount: run.events.length });
    await reopened.journal.close();
  });

  it('keeps the journal as it was when a crash interrupted a compaction', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    await journal.close();
    fs.writeFileSync(`${journalFile(dir)}.compacting`, 'run-1\t1\t{"v":1}\t["a"'); // a copy half written
    const reopened = FileJournal.open(dir);
    expect(fs.existsSync(`${journalFile(dir)}.compacting`)).toBe(false);
    expect(replayed(reopened.journal, reopened.runs, 'run-1')).toEqual({ events: ['a'], snapshot: { v: 1 }, eventCount: 1 });
    await reopened.journal.close();
  });
});
