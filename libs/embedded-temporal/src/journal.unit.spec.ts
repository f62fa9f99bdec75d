import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileJournal } from './journal';

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
    expect(reopened.runs.get('run-1')).toEqual({ events: ['a', 'b', 'c'], snapshot: { v: 2 } });
    expect(reopened.runs.get('run-2')).toEqual({ events: ['x'], snapshot: { v: 1 } });
    await reopened.journal.close();
  });

  it('drops a torn last line (never acknowledged) and keeps appending after it', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.append({ r: 'run-1', e: ['a'], s: { v: 1 } });
    await journal.close();
    fs.appendFileSync(path.join(dir, 'journal.jsonl'), '{"r":"run-1","e":["b"');
    const second = FileJournal.open(dir);
    expect(second.runs.get('run-1')).toEqual({ events: ['a'], snapshot: { v: 1 } });
    await second.journal.append({ r: 'run-1', e: ['c'], s: { v: 3 } });
    await second.journal.close();
    const third = FileJournal.open(dir);
    expect(third.runs.get('run-1')).toEqual({ events: ['a', 'c'], snapshot: { v: 3 } });
    await third.journal.close();
  });

  it('refuses appends after close instead of losing them silently', async () => {
    const { journal } = FileJournal.open(dir);
    await journal.close();
    await expect(journal.append({ r: 'run', e: [], s: {} })).rejects.toThrow(/closed/);
  });
});
