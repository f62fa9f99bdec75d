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

/** Where one record's line is in the journal file, so that a run's events can be read back on demand. */
export interface JournalLocation {
  offset: number;
  length: number;
}

/** A run as the journal holds it after replay: its events stay on disk, at `location` (one compacted line). */
export interface JournaledRun {
  eventCount: number;
  snapshot: unknown;
  location: JournalLocation;
}

export interface JournalStore {
  /** Resolves once durable, with where the record is (undefined: kept nowhere, so never to be read back). */
  append(record: JournalRecord): Promise<JournalLocation | undefined>;
  /** The events of the record at `location`. */
  readEvents(location: JournalLocation): string[];
  close(): Promise<void>;
}

/** Keeps nothing: the server without --data. */
export class MemoryJournal implements JournalStore {
  append(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  readEvents(): string[] {
    throw new Error('the in-memory journal keeps no records');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Reads the file's lines one after another, without holding the whole file (it may exceed a string's size). */
function* journalLines(file: string): Generator<{ line: string; offset: number; length: number }> {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(16 * 2 ** 20);
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    for (let position = 0; ; ) {
      const read = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(10, start); end >= 0; end = data.indexOf(10, start)) {
        yield { line: data.toString('utf8', start, end), offset: carryOffset + start, length: end - start + 1 };
        start = end + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryOffset += start;
    }
    // A last line without its newline was torn by a crash: never fsync'd as a whole, never acknowledged.
  } finally {
    fs.closeSync(fd);
  }
}

export class FileJournal implements JournalStore {
  private pending: { line: string; resolve: (location: JournalLocation) => void; reject: (e: Error) => void }[] = [];
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly readFd: number,
    /** Bytes in the file: where the next line goes. */
    private size: number,
  ) {}

  /**
   * Reads every intact record, rewrites them compacted (one line per run) and opens the file for appending.
   * Runs' events are not kept in memory: each run's line is read back when its history is needed.
   */
  static open(dir: string): { journal: FileJournal; runs: Map<string, JournaledRun> } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    const runs = new Map<string, JournaledRun>();
    let size = 0;
    if (fs.existsSync(file)) {
      // First pass: where each run's records are and its last snapshot; second: one line per run, in run order.
      const found = new Map<string, { records: JournalLocation[]; eventCount: number; snapshot: unknown }>();
      for (const { line, offset, length } of journalLines(file)) {
        if (!line) continue;
        let record: JournalRecord;
        try {
          record = JSON.parse(line) as JournalRecord;
        } catch {
          // A torn line was never fsync'd, so never acknowledged: dropping it loses nothing promised.
          continue;
        }
        const run = found.get(record.r) ?? { records: [], eventCount: 0, snapshot: null };
        if (record.e.length > 0) run.records.push({ offset, length });
        run.eventCount += record.e.length;
        run.snapshot = record.s;
        found.set(record.r, run);
      }
      const compacted = `${file}.compacting`;
      const fdOld = fs.openSync(file, 'r');
      const fdTmp = fs.openSync(compacted, 'w');
      for (const [runId, run] of found) {
        const events = run.records.flatMap((location) => readRecord(fdOld, location).e);
        const line = Buffer.from(JSON.stringify({ r: runId, e: events, s: run.snapshot }) + '\n');
        fs.writeSync(fdTmp, line);
        runs.set(runId, { eventCount: run.eventCount, snapshot: run.snapshot, location: { offset: size, length: line.length } });
        size += line.length;
      }
      fs.fsyncSync(fdTmp);
      fs.closeSync(fdTmp);
      fs.closeSync(fdOld);
      fs.renameSync(compacted, file);
      syncDirectory(dir);
    }
    const fd = fs.openSync(file, 'a');
    syncDirectory(dir);
    return { journal: new FileJournal(fd, fs.openSync(file, 'r'), size), runs };
  }

  append(record: JournalRecord): Promise<JournalLocation> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(record) + '\n', resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  readEvents(location: JournalLocation): string[] {
    return readRecord(this.readFd, location).e;
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) {
      this.flushing = false;
      return;
    }
    const lines = batch.map((p) => Buffer.from(p.line));
    const locations: JournalLocation[] = [];
    for (const line of lines) {
      locations.push({ offset: this.size, length: line.length });
      this.size += line.length;
    }
    const data = Buffer.concat(lines);
    fs.write(this.fd, data, 0, data.length, null, (writeError) => {
      if (writeError) return this.finish(batch, locations, writeError);
      fs.fdatasync(this.fd, (syncError) => this.finish(batch, locations, syncError));
    });
  }

  private finish(batch: typeof this.pending, locations: JournalLocation[], error: Error | null): void {
    // After a failed write the file may hold part of the batch: the next line goes where the file now ends.
    if (error) this.size = fs.fstatSync(this.fd).size;
    batch.forEach((p, i) => (error ? p.reject(error) : p.resolve(locations[i])));
    // Records appended meanwhile form the next group.
    if (this.pending.length > 0) setImmediate(() => this.flush());
    else this.flushing = false;
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
  }
}

function readRecord(fd: number, { offset, length }: JournalLocation): JournalRecord {
  const buffer = Buffer.alloc(length);
  fs.readSync(fd, buffer, 0, length, offset);
  return JSON.parse(buffer.toString('utf8')) as JournalRecord;
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
