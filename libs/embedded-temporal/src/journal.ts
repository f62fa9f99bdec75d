// The durable store: an append-only file of lines, each a run's new history events plus its mutable-state
// snapshot, fsync'd in groups before the changes it holds are acknowledged. Read on start; compacted while it
// runs, once superseded snapshots make up most of the file.
//
// A line is `runId \t eventCount \t snapshot JSON \t events JSON array \n`. JSON never holds a raw tab or newline,
// so a start finds a line's parts without parsing its events, and compaction copies their bytes as they are.
// Lines that start with `{` are the earlier format, one JSON object `{r, e, s}`: still read, rewritten when compacted.
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

/** A run as the journal holds it after a start: its events stay on disk until read with `readEvents`. */
export interface JournaledRun {
  eventCount: number;
  snapshot: unknown;
}

export interface JournalStore {
  /** Resolves once durable, with whether the record is kept (false: kept nowhere, never to be read back). */
  append(record: JournalRecord): Promise<boolean>;
  /** Every event stored for the run, in order. */
  readEvents(runId: string): string[];
  close(): Promise<void>;
}

/** Keeps nothing: the server without --data. */
export class MemoryJournal implements JournalStore {
  append(): Promise<boolean> {
    return Promise.resolve(false);
  }
  readEvents(): string[] {
    throw new Error('the in-memory journal keeps no records');
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Bytes in the file: a JSON events array (`[...]`) or snapshot (`{...}`), or a whole line of the earlier format. */
interface Extent {
  offset: number;
  length: number;
  legacy?: true;
}

/** Where a run's parts are: its events, in order, and its last snapshot. */
interface RunExtents {
  events: Extent[];
  eventCount: number;
  snapshot: Extent;
}

export interface FileJournalOptions {
  /** Superseded bytes that start a compaction, at the least (it also waits until they outweigh the live ones). */
  compactAfterBytes?: number;
  /** How much a compaction writes between two turns of the event loop (requests are served in between). */
  compactionSliceBytes?: number;
}

const DEFAULT_COMPACT_AFTER_BYTES = 64 * 2 ** 20;
const TAB = 9;
const NEWLINE = 10;
const DEFAULT_COMPACTION_SLICE_BYTES = 4 * 2 ** 20;

/** Appends all of `data`: a write may take only part of it (a disk filling up), and then the rest is written next. */
function writeAll(fd: number, data: Buffer, done: (error: Error | null) => void, from = 0): void {
  fs.write(fd, data, from, data.length - from, null, (error, written) => {
    if (error) return done(error);
    if (from + written < data.length) return writeAll(fd, data, done, from + written);
    done(null);
  });
}

function writeAllSync(fd: number, data: Buffer): void {
  for (let from = 0; from < data.length; ) from += fs.writeSync(fd, data, from, data.length - from);
}

/** Reads the file's complete lines one after another, without holding the whole file (it may exceed a string's size). */
function* journalLines(fd: number): Generator<{ data: Buffer; start: number; end: number; offset: number }> {
  const chunk = Buffer.alloc(16 * 2 ** 20);
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  for (let position = 0; ; ) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    position += read;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end >= 0; end = data.indexOf(NEWLINE, start)) {
      yield { data, start, end, offset: carryOffset + start };
      start = end + 1;
    }
    carry = Buffer.from(data.subarray(start));
    carryOffset += start;
  }
}

/** A line's parts, in bytes relative to the buffer; null when it is not a line of the current format. */
function lineParts(data: Buffer, start: number, end: number): { runId: string; eventCount: number; snapshot: [number, number]; events: [number, number] } | null {
  const first = data.indexOf(TAB, start);
  const second = first >= 0 && first < end ? data.indexOf(TAB, first + 1) : -1;
  const third = second >= 0 && second < end ? data.indexOf(TAB, second + 1) : -1;
  if (third < 0 || third >= end) return null;
  const eventCount = Number(data.toString('latin1', first + 1, second));
  if (!Number.isInteger(eventCount) || eventCount < 0) return null;
  return { runId: data.toString('utf8', start, first), eventCount, snapshot: [second + 1, third], events: [third + 1, end] };
}

/** One record as a line, and where its parts are within it. */
function encodeLine(runId: string, eventCount: number, snapshot: Buffer, eventsInner: Buffer[]): { line: Buffer; snapshotAt: number; eventsAt: number } {
  const head = Buffer.from(`${runId}\t${eventCount}\t`);
  const parts = [head, snapshot, Buffer.from('\t[')];
  eventsInner.forEach((inner, i) => parts.push(...(i > 0 ? [Buffer.from(','), inner] : [inner])));
  parts.push(Buffer.from(']\n'));
  return { line: Buffer.concat(parts), snapshotAt: head.length, eventsAt: head.length + snapshot.length + 1 };
}

export class FileJournal implements JournalStore {
  private pending: { record: JournalRecord; resolve: (kept: boolean) => void; reject: (e: Error) => void }[] = [];
  private flushing = false;
  /** A group's write and fdatasync are under way. */
  private writing = false;
  private closed = false;
  /** The compaction under way, if any; it takes the file's place once no write is in flight. */
  private compaction: Compaction | null = null;
  /** Bytes the runs' latest parts take: the file holds them and what later lines superseded. */
  private liveBytes: number;
  /** Set when a failed write could not be cut off: nothing more may be appended. */
  private broken: Error | null = null;
  /** After a failed compaction: the size the file must reach before the next. */
  private retryCompactionAt = 0;

  private constructor(
    private readonly file: string,
    private fd: number,
    private readFd: number,
    /** Bytes in the file: where the next line goes. */
    private size: number,
    private readonly runs: Map<string, RunExtents>,
    private readonly options: Required<FileJournalOptions>,
  ) {
    this.liveBytes = 0;
    for (const run of runs.values()) this.liveBytes += liveLength(run);
  }

  /** Reads every intact record (a torn last line is cut off) and opens the file for appending. */
  static open(dir: string, options: FileJournalOptions = {}): { journal: FileJournal; runs: Map<string, JournaledRun> } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    // A compaction that a crash interrupted: the journal itself was never replaced, so its copy is only dropped.
    fs.rmSync(`${file}.compacting`, { force: true });
    const extents = new Map<string, RunExtents>();
    const snapshots = new Map<string, string | { value: unknown }>();
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    let size = 0;
    for (const { data, start, end, offset } of journalLines(fd)) {
      size = offset + end - start + 1;
      const at = (from: number, to: number): Extent => ({ offset: offset + from - start, length: to - from });
      const parts = data[start] === 0x7b ? null : lineParts(data, start, end);
      let runId: string;
      let eventCount: number;
      let snapshot: Extent;
      let events: Extent | null;
      if (parts) {
        ({ runId, eventCount } = parts);
        snapshot = at(...parts.snapshot);
        events = eventCount > 0 ? at(...parts.events) : null;
        snapshots.set(runId, data.toString('utf8', ...parts.snapshot));
      } else {
        let record: JournalRecord;
        try {
          record = JSON.parse(data.toString('utf8', start, end)) as JournalRecord;
        } catch {
          continue; // not a record: skipped, as the earlier format's start did
        }
        runId = record.r;
        eventCount = record.e.length;
        snapshot = { ...at(start, end), legacy: true };
        events = eventCount > 0 ? { ...snapshot } : null;
        snapshots.set(runId, { value: record.s });
      }
      const run = extents.get(runId) ?? { events: [], eventCount: 0, snapshot };
      if (events) run.events.push(events);
      run.eventCount += eventCount;
      run.snapshot = snapshot;
      extents.set(runId, run);
    }
    // A last line without its newline was torn by a crash: never fsync'd as a whole, never acknowledged. It is cut
    // off, so that the next line starts where the last intact one ends.
    if (fs.fstatSync(fd).size > size) {
      fs.ftruncateSync(fd, size);
      fs.fsyncSync(fd);
    }
    fs.closeSync(fd);
    syncDirectory(dir);
    const runs = new Map<string, JournaledRun>();
    for (const [runId, run] of extents) {
      const snapshot = snapshots.get(runId)!;
      runs.set(runId, { eventCount: run.eventCount, snapshot: typeof snapshot === 'string' ? JSON.parse(snapshot) : snapshot.value });
    }
    const journal = new FileJournal(file, fs.openSync(file, 'a'), fs.openSync(file, 'r'), size, extents, {
      compactAfterBytes: options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES,
      compactionSliceBytes: options.compactionSliceBytes ?? DEFAULT_COMPACTION_SLICE_BYTES,
    });
    // A file that is mostly superseded snapshots (or of the earlier format) is compacted soon after the start.
    setImmediate(() => journal.compactIfWorthIt());
    return { journal, runs };
  }

  append(record: JournalRecord): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (/[\t\n]/.test(record.r)) return Promise.reject(new Error(`a run id may not hold a tab or a newline: ${JSON.stringify(record.r)}`));
    return new Promise((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  readEvents(runId: string): string[] {
    const run = this.runs.get(runId);
    if (!run) return [];
    return run.events.flatMap((extent) => (extent.legacy ? readLegacy(this.readFd, extent).e : (JSON.parse(readExtent(this.readFd, extent)) as string[])));
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const broken = this.broken;
    if (batch.length === 0 || broken) {
      if (broken) batch.forEach((p) => p.reject(broken));
      this.flushing = false;
      return;
    }
    const groupStart = this.size;
    const lines = batch.map(({ record }) => {
      const events = JSON.stringify(record.e);
      const encoded = encodeLine(record.r, record.e.length, Buffer.from(JSON.stringify(record.s)), record.e.length > 0 ? [Buffer.from(events.slice(1, -1))] : []);
      const at = this.size;
      this.size += encoded.line.length;
      const eventsLength = encoded.line.length - encoded.eventsAt - 1;
      return {
        line: encoded.line,
        runId: record.r,
        eventCount: record.e.length,
        snapshot: { offset: at + encoded.snapshotAt, length: encoded.eventsAt - 1 - encoded.snapshotAt },
        events: { offset: at + encoded.eventsAt, length: eventsLength },
      };
    });
    const data = Buffer.concat(lines.map(({ line }) => line));
    this.writing = true;
    writeAll(this.fd, data, (writeError) => {
      if (writeError) return this.finish(batch, groupStart, null, writeError);
      fs.fdatasync(this.fd, (syncError) => this.finish(batch, groupStart, lines, syncError));
    });
  }

  private finish(
    batch: typeof this.pending,
    groupStart: number,
    lines: { runId: string; eventCount: number; snapshot: Extent; events: Extent }[] | null,
    error: Error | null,
  ): void {
    this.writing = false;
    if (error || !lines) {
      // The file may hold part of the refused group: it is cut off, or the next line would be glued onto it and
      // misread at the next start.
      this.cutBackTo(groupStart);
      batch.forEach((p) => p.reject(error ?? new Error('journal write failed')));
    } else {
      for (const line of lines) this.register(line.runId, line.eventCount, line.snapshot, line.events);
      batch.forEach((p) => p.resolve(true));
    }
    // No write is in flight here: the only moment a compaction may begin or take the file's place.
    if (this.compaction?.written) this.switchToCompacted(this.compaction);
    else this.compactIfWorthIt();
    // Records appended meanwhile form the next group.
    if (this.pending.length > 0) setImmediate(() => this.flush());
    else this.flushing = false;
  }

  private cutBackTo(size: number): void {
    try {
      fs.ftruncateSync(this.fd, size);
      this.size = size;
    } catch (error) {
      // The file's end is unknown: appending more could corrupt what is acknowledged, so every later append fails.
      this.broken = new Error(`journal cannot cut off a failed write: ${(error as Error).message}`);
    }
  }

  private register(runId: string, eventCount: number, snapshot: Extent, events: Extent): void {
    const run = this.runs.get(runId);
    if (run) this.liveBytes -= extentBytes(run.snapshot);
    const entry = run ?? { events: [], eventCount: 0, snapshot };
    if (eventCount > 0) entry.events.push(events);
    entry.eventCount += eventCount;
    entry.snapshot = snapshot;
    this.runs.set(runId, entry);
    this.liveBytes += snapshot.length + (eventCount > 0 ? events.length : 0);
  }

  /** Starts a compaction when superseded bytes pass the threshold and outweigh the live ones. */
  private compactIfWorthIt(): void {
    if (this.closed || this.compaction || this.writing || this.size < this.retryCompactionAt) return;
    const superseded = this.size - this.liveBytes;
    if (superseded < this.options.compactAfterBytes || superseded < this.liveBytes) return;
    const compaction = new Compaction(this.file, this.size, this.runs);
    this.compaction = compaction;
    compaction.run(() => this.readFd, () => this.closed, this.options.compactionSliceBytes).then(
      () => {
        // Else the write in flight switches when it finishes.
        if (this.compaction === compaction && !this.writing) this.switchToCompacted(compaction);
      },
      () => this.abandon(compaction),
    );
  }

  /** The journal stays as it is; another compaction is tried only after as many more bytes (a full disk, say). */
  private abandon(compaction: Compaction): void {
    compaction.discard();
    if (this.compaction === compaction) this.compaction = null;
    this.retryCompactionAt = this.size + this.options.compactAfterBytes;
  }

  /** The compacted copy, with the lines written since it began, takes the file's place (no write is in flight). */
  private switchToCompacted(compaction: Compaction): void {
    try {
      compaction.finish(this.readFd, this.size);
    } catch {
      this.abandon(compaction);
      return;
    }
    this.compaction = null;
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
    this.fd = fs.openSync(this.file, 'a');
    this.readFd = fs.openSync(this.file, 'r');
    this.size = compaction.remap(this.runs, this.size);
    this.liveBytes = 0;
    for (const run of this.runs.values()) this.liveBytes += liveLength(run);
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    this.compaction?.discard();
    this.compaction = null;
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
  }
}

/**
 * A copy of the journal up to `upTo` with one line per run (its events joined, its last snapshot), written a slice
 * at a time while appends go on; `finish` adds the lines appended since, and `remap` moves the runs' extents.
 */
class Compaction {
  private readonly fd: number;
  private readonly copy: string;
  /** Per run as it was at `upTo`: how many of its event extents and which snapshot, and where they are in the copy. */
  private readonly plan = new Map<string, { extents: number; eventCount: number; snapshot: Extent; moved?: { events: Extent | null; snapshot: Extent } }>();
  /** Bytes in the copy. */
  private size = 0;
  written = false;
  private fdOpen = true;

  constructor(
    private readonly file: string,
    private readonly upTo: number,
    /** The journal's own map: extents are only added to it until `remap`, so the first `extents` stay as planned. */
    private readonly runs: Map<string, RunExtents>,
  ) {
    this.copy = `${file}.compacting`;
    this.fd = fs.openSync(this.copy, 'w');
    for (const [runId, run] of runs) this.plan.set(runId, { extents: run.events.length, eventCount: run.eventCount, snapshot: run.snapshot });
  }

  /** Writes the copy, yielding to the event loop after each slice. */
  async run(readFd: () => number, stopped: () => boolean, sliceBytes: number): Promise<void> {
    let slice: Buffer[] = [];
    let inSlice = 0;
    for (const [runId, planned] of this.plan) {
      if (stopped()) throw new Error('the journal was closed during its compaction');
      const snapshot = readSnapshot(readFd(), planned.snapshot);
      const eventsInner = this.runs
        .get(runId)!
        .events.slice(0, planned.extents)
        .map((extent) => readEventsInner(readFd(), extent))
        .filter((inner) => inner.length > 0);
      const encoded = encodeLine(runId, planned.eventCount, snapshot, eventsInner);
      const at = this.size + inSlice;
      planned.moved = {
        snapshot: { offset: at + encoded.snapshotAt, length: snapshot.length },
        events: planned.eventCount > 0 ? { offset: at + encoded.eventsAt, length: encoded.line.length - encoded.eventsAt - 1 } : null,
      };
      slice.push(encoded.line);
      inSlice += encoded.line.length;
      if (inSlice >= sliceBytes) {
        writeAllSync(this.fd, Buffer.concat(slice));
        this.size += inSlice;
        slice = [];
        inSlice = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (inSlice > 0) writeAllSync(this.fd, Buffer.concat(slice));
    this.size += inSlice;
    this.written = true;
  }

  /** Appends the lines written to the journal since `upTo` and puts the copy in the journal's place, durably. */
  finish(readFd: number, journalSize: number): void {
    const buffer = Buffer.alloc(16 * 2 ** 20);
    for (let position = this.upTo; position < journalSize; ) {
      const read = fs.readSync(readFd, buffer, 0, Math.min(buffer.length, journalSize - position), position);
      if (read === 0) throw new Error('the journal ended before its last line');
      writeAllSync(this.fd, buffer.subarray(0, read));
      position += read;
    }
    fs.fsyncSync(this.fd);
    this.closeCopy();
    fs.renameSync(this.copy, this.file);
    syncDirectory(path.dirname(this.file));
  }

  /** Moves every run's extents to where they are in the copy; returns the copy's size. */
  remap(runs: Map<string, RunExtents>, journalSize: number): number {
    const shift = (extent: Extent): Extent => ({ ...extent, offset: extent.offset - this.upTo + this.size });
    for (const [runId, run] of runs) {
      const planned = this.plan.get(runId);
      const later = run.events.slice(planned?.extents ?? 0).map(shift);
      run.events = planned?.moved?.events ? [planned.moved.events, ...later] : later;
      run.snapshot = run.snapshot.offset >= this.upTo || !planned?.moved ? shift(run.snapshot) : planned.moved.snapshot;
    }
    return this.size + journalSize - this.upTo;
  }

  /** Gives up: the journal stays as it is. */
  discard(): void {
    this.closeCopy();
    fs.rmSync(this.copy, { force: true });
  }

  /** Once only: a number closed twice may by then be another file's. */
  private closeCopy(): void {
    if (!this.fdOpen) return;
    this.fdOpen = false;
    fs.closeSync(this.fd);
  }
}

/**
 * The bytes a run's latest parts take. Lines of the earlier format count as superseded: they are worth rewriting
 * (a start parses them whole).
 */
function liveLength(run: RunExtents): number {
  return extentBytes(run.snapshot) + run.events.reduce((sum, extent) => sum + extentBytes(extent), 0);
}

function extentBytes(extent: Extent): number {
  return extent.legacy ? 0 : extent.length;
}

function readBytes(fd: number, { offset, length }: Extent): Buffer {
  const buffer = Buffer.alloc(length);
  if (fs.readSync(fd, buffer, 0, length, offset) !== length) throw new Error(`the journal ended before byte ${offset + length}`);
  return buffer;
}

function readExtent(fd: number, extent: Extent): string {
  return readBytes(fd, extent).toString('utf8');
}

/** A record of the earlier format, one JSON line. */
function readLegacy(fd: number, extent: Extent): JournalRecord {
  return JSON.parse(readExtent(fd, extent)) as JournalRecord;
}

function readSnapshot(fd: number, extent: Extent): Buffer {
  return extent.legacy ? Buffer.from(JSON.stringify(readLegacy(fd, extent).s)) : readBytes(fd, extent);
}

/** The events of an extent as the inside of a JSON array (`"a","b"`), to be joined with others. */
function readEventsInner(fd: number, extent: Extent): Buffer {
  if (!extent.legacy) return readBytes(fd, { offset: extent.offset + 1, length: extent.length - 2 });
  return Buffer.from(JSON.stringify(readLegacy(fd, extent).e).slice(1, -1));
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
