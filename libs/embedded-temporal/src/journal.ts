// The durable store: an append-only file of JSON lines, each a run's new history events plus its mutable-state
// snapshot, fsync'd in groups before the changes it holds are acknowledged. Replayed (and compacted) on start.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JournalRecord {
  /** runId */
  r: string;
  /** new history events, each a base64 HistoryEvent */
  e: string[];
  /** the run's snapshot after the change */
  s: unknown;
}

export interface JournalStore {
  append(record: JournalRecord): Promise<void>;
  close(): Promise<void>;
}

/** Keeps nothing: the server without --data. */
export class MemoryJournal implements JournalStore {
  append(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class FileJournal implements JournalStore {
  private pending: { line: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing = false;
  private closed = false;

  private constructor(private readonly fd: number) {}

  /** Reads every intact record, rewrites them compacted (one line per run) and opens the file for appending. */
  static open(dir: string): { journal: FileJournal; runs: Map<string, { events: string[]; snapshot: unknown }> } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    const runs = new Map<string, { events: string[]; snapshot: unknown }>();
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        let record: JournalRecord;
        try {
          record = JSON.parse(line) as JournalRecord;
        } catch {
          // A torn last line was never fsync'd, so never acknowledged: dropping it loses nothing promised.
          continue;
        }
        const run = runs.get(record.r) ?? { events: [], snapshot: null };
        run.events.push(...record.e);
        run.snapshot = record.s;
        runs.set(record.r, run);
      }
      const compacted = `${file}.compacting`;
      const fdTmp = fs.openSync(compacted, 'w');
      for (const [runId, run] of runs) {
        fs.writeSync(fdTmp, JSON.stringify({ r: runId, e: run.events, s: run.snapshot }) + '\n');
      }
      fs.fsyncSync(fdTmp);
      fs.closeSync(fdTmp);
      fs.renameSync(compacted, file);
      syncDirectory(dir);
    }
    const fd = fs.openSync(file, 'a');
    syncDirectory(dir);
    return { journal: new FileJournal(fd), runs };
  }

  append(record: JournalRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(record) + '\n', resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) {
      this.flushing = false;
      return;
    }
    const data = Buffer.from(batch.map((p) => p.line).join(''));
    fs.write(this.fd, data, 0, data.length, null, (writeError) => {
      if (writeError) return this.finish(batch, writeError);
      fs.fdatasync(this.fd, (syncError) => this.finish(batch, syncError));
    });
  }

  private finish(batch: typeof this.pending, error: Error | null): void {
    for (const p of batch) {
      if (error) p.reject(error);
      else p.resolve();
    }
    // Records appended meanwhile form the next group.
    if (this.pending.length > 0) setImmediate(() => this.flush());
    else this.flushing = false;
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the file itself is synced.
  }
}
