import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileJournal, type JournalStore } from './journal';

/** A replayed run as its events and last snapshot (the events read back from where the journal says they are). */
function replayed(journal: JournalStore, runs: ReturnType<typeof FileJournal.open>['runs'], runId: string) {
  const run = runs.get(runId)!;
  return { events: run.eventCount > 0 ? journal.readEvents(run.location) : [], snapshot: run.snapshot, eventCount: run.eventCount };
}

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

  it('drops a torn last line (never acknowledged) and keeps appending after it', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    await journal.close();
    fs.appendFileSync(path.join(dir, 'journal.jsonl'), '{"r":"run-1","e":["b"');
    const second = FileJournal.open(dir);
    expect(replayed(second.journal, second.runs, 'run-1')).toEqual({ events: ['a'], snapshot: { v: 1 }, eventCount: 1 });
    await second.journal.append({ r: 'run-1', e: ['c'], s: { v: 3 } });
    await second.journal.close();
    const third = FileJournal.open(dir);
    expect(replayed(third.journal, third.runs, 'run-1')).toEqual({ events: ['a', 'c'], snapshot: { v: 3 }, eventCount: 2 });
    await third.journal.close();
  });

  it('tells where each acknowledged record is, so that its events can be read back while appending goes on', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    journal.append({ r: 'run-1', e: [], s: { v: 'ü' } }); // not awaited: a group of several lines, one not ASCII
    const [first, second] = await Promise.all([journal.append({ r: 'run-2', e: ['x', 'y'], s: { v: 1 } }), journal.append({ r: 'run-1', e: ['b'], s: { v: 2 } })]);
    expect(journal.readEvents(first)).toEqual(['x', 'y']);
    expect(journal.readEvents(second)).toEqual(['b']);
    await journal.close();
    const reopened = FileJournal.open(dir);
    expect(replayed(reopened.journal, reopened.runs, 'run-1')).toEqual({ events: ['a', 'b'], snapshot: { v: 2 }, eventCount: 2 });
    const third = await reopened.journal.append({ r: 'run-2', e: ['z'], s: { v: 2 } });
    expect(reopened.journal.readEvents(third)).toEqual(['z']);
    await reopened.journal.close();
  });

  it('refuses appends after close instead of losing them silently', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.close();
    await expect(journal.append({ r: 'run', e: [], s: {} })).rejects.toThrow(/closed/);
  });
});
