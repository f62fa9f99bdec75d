// The server's notion of time: wall clock plus an offset that time skipping moves forward, and one real
// setTimeout driving a heap of deadlines (timers, timeouts, retry backoffs). Deadlines that stopped mattering are
// swept out now and then: an activity's schedule-to-close may lie years ahead, and its entry would otherwise stay
// (with what its closures hold) long after the activity completed.

interface Deadline {
  at: number;
  seq: number;
  fire: () => void;
  /** False once the deadline no longer matters (timer cancelled, activity done); time skipping ignores it. */
  live: () => boolean;
  /**
   * True while the deadline is a running activity's timeout: time skipping must not jump onto it (the worker
   * would find its task gone), it waits for the activity in real time instead.
   */
  holdsTime: () => boolean;
}

export class Clock {
  private offsetMs = 0;
  private heap: Deadline[] = [];
  /** The heap's size at which the next sweep runs: twice what the last one kept, so sweeps cost O(1) a deadline. */
  private sweepAt = MIN_SWEEP_SIZE;
  private seq = 0;
  private armed: NodeJS.Timeout | null = null;
  private armedAt = Infinity;
  private stopped = false;
  private readonly firedListeners: (() => void)[] = [];

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Runs `fire` once the server's time reaches `at`. Callers re-check their state when it fires. */
  schedule(at: number, fire: () => void, live: () => boolean = () => true, holdsTime: () => boolean = () => false): void {
    if (this.stopped) return;
    this.push({ at, seq: this.seq++, fire, live, holdsTime });
    if (this.heap.length >= this.sweepAt) this.sweep();
    if (this.heap.length > 0 && this.heap[0].at < this.armedAt) this.arm();
  }

  /** Drops the deadlines that no longer matter (they would fire as no-ops), keeping the heap in order. */
  private sweep(): void {
    this.heap = this.heap.filter((deadline) => deadline.live());
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * this.heap.length);
  }

  /**
   * Called after due deadlines ran, even ones that turned out stale and changed nothing: whoever judged
   * "nothing to do until that deadline" must look again once it has passed.
   */
  onDeadlinesRan(listener: () => void): void {
    this.firedListeners.push(listener);
  }

  /** The earliest deadline that still matters, or null. */
  nextDeadline(): number | null {
    return this.nextLiveDeadline()?.at ?? null;
  }

  /** Whether the earliest deadline that still matters may be skipped to (see `Deadline.holdsTime`). */
  nextDeadlineHoldsTime(): boolean {
    return this.nextLiveDeadline()?.holdsTime() ?? false;
  }

  private nextLiveDeadline(): Deadline | null {
    while (this.heap.length > 0 && !this.heap[0].live()) this.pop();
    return this.heap.length > 0 ? this.heap[0] : null;
  }

  /** Deadlines still waiting (including ones that may have become irrelevant). */
  get pending(): number {
    return this.heap.length;
  }

  /** Moves server time forward (never back) and fires what became due. */
  skipTo(at: number): void {
    const delta = at - this.now();
    if (delta > 0) this.offsetMs += delta;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.armed) clearTimeout(this.armed);
    this.armed = null;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = null;
    this.armedAt = Infinity;
    if (this.stopped || this.heap.length === 0) return;
    const at = this.heap[0].at;
    // setTimeout cannot wait longer than ~24.8 days; re-arm in steps.
    const wait = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    this.armedAt = at;
    this.armed = setTimeout(() => this.runDue(), wait);
    this.armed.unref?.();
  }

  private runDue(): void {
    this.armed = null;
    this.armedAt = Infinity;
    const now = this.now();
    let fired = 0;
    while (this.heap.length > 0 && this.heap[0].at <= now && fired < 10_000) {
      const due = this.pop();
      fired++;
      if (!due.live()) continue;
      try {
        due.fire();
      } catch (error) {
        process.emitWarning(`embedded-temporal: deadline handler failed: ${String(error)}`);
      }
    }
    this.arm();
    if (fired > 0) for (const listener of this.firedListeners) listener();
  }

  private push(entry: Deadline): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Deadline {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as Deadline;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(from: number): void {
    const heap = this.heap;
    for (let i = from; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < heap.length && before(heap[l], heap[smallest])) smallest = l;
      if (r < heap.length && before(heap[r], heap[smallest])) smallest = r;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}

const MIN_SWEEP_SIZE = 4096;

function before(a: Deadline, b: Deadline): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
