// temporal.api.testservice.v1.TestService: time skipping for the SDK's time-skipping test environment.
// While unlocked and no workflow or activity task is outstanding, server time jumps to the next deadline.
import type { Clock } from './clock';
import { ServiceError, failedPrecondition, unimplemented } from './errors';
import { debugLog } from './debug';
import { durationMs, msToTimestamp, timestampMs } from './proto';

export class TimeSkipper {
  /** Starts locked, like the SDK's test server: time skips only while a client unlocks it (result(), sleep()). */
  private lockCount = 1;
  private checkScheduled = false;
  /** UnlockTimeSkippingWithSleep calls in progress: typically an activity asking for time to pass. */
  private sleeping = 0;

  constructor(
    private readonly clock: Clock,
    /** Tasks workers still owe an answer for; running activities count unless `countRunningActivities` is false. */
    private readonly outstandingWork: (countRunningActivities: boolean) => number,
    readonly enabled: boolean,
  ) {
    // A deadline that fires without changing any state (a stale timeout, a sleep's own end) writes nothing, so
    // nothing else would wake the skipper: without this, a sleep whose check found the next deadline due but
    // not yet run waited forever.
    clock.onDeadlinesRan(() => this.poke());
  }

  /** Called after every state change: maybe skip ahead. */
  poke(): void {
    if (!this.enabled || this.lockCount > 0 || this.checkScheduled) return;
    this.checkScheduled = true;
    // Let replies and follow-up requests (a worker's next poll, a client's next call) land before judging idleness.
    setTimeout(() => {
      this.checkScheduled = false;
      this.skipIfIdle();
    }, 15).unref?.();
  }

  private skipIfIdle(): void {
    // A running activity holds time still, except while someone sleeps through the test service (the SDK's
    // documented way for an activity to let server time pass while it runs).
    const outstanding = this.lockCount > 0 ? -1 : this.outstandingWork(this.sleeping === 0);
    debugLog(() => `skipIfIdle lock=${this.lockCount} sleeping=${this.sleeping} outstanding=${outstanding} next=${this.clock.nextDeadline()} now=${this.clock.now()}`);
    if (this.lockCount > 0 || outstanding > 0) return;
    const next = this.clock.nextDeadline();
    // A deadline already due is run by the clock's own timer, which pokes again afterwards. A running
    // activity's timeout is waited for in real time: the activity's answer (or the timeout) pokes again.
    if (next !== null && next > this.clock.now() && !this.clock.nextDeadlineHoldsTime()) {
      debugLog(`skip to ${next} (+${next - this.clock.now()} ms)`);
      this.clock.skipTo(next);
      this.poke();
    }
  }

  private requireEnabled(): void {
    if (!this.enabled) throw unimplemented('Time skipping (start the server in time-skipping mode)');
  }

  lock(): object {
    this.requireEnabled();
    this.lockCount++;
    debugLog(`lock -> ${this.lockCount}`);
    return {};
  }

  unlock(): object {
    this.requireEnabled();
    if (this.lockCount === 0) throw failedPrecondition('time skipping is not locked: unbalanced UnlockTimeSkipping');
    this.lockCount--;
    debugLog(`unlock -> ${this.lockCount}`);
    this.poke();
    return {};
  }

  async sleepUntil(targetMs: number): Promise<object> {
    this.requireEnabled();
    await new Promise<void>((resolve) => {
      if (this.clock.now() >= targetMs) return resolve();
      this.clock.schedule(targetMs, resolve);
      this.poke();
    });
    return {};
  }

  async unlockWithSleep(ms: number): Promise<object> {
    this.requireEnabled();
    this.lockCount--;
    this.sleeping++;
    debugLog(`unlockWithSleep ${ms} start lock=${this.lockCount}`);
    try {
      await new Promise<void>((resolve) => {
        this.clock.schedule(this.clock.now() + ms, resolve);
        this.poke();
      });
    } finally {
      this.sleeping--;
      this.lockCount++;
      debugLog(`unlockWithSleep ${ms} end lock=${this.lockCount}`);
    }
    return {};
  }

  handlers(): Record<string, (req: Record<string, unknown>) => Promise<object>> {
    return {
      LockTimeSkipping: async () => this.lock(),
      UnlockTimeSkipping: async () => this.unlock(),
      Sleep: async (req) => this.sleepUntil(this.clock.now() + durationMs(req.duration as never)),
      SleepUntil: async (req) => this.sleepUntil(timestampMs(req.timestamp as never)),
      UnlockTimeSkippingWithSleep: async (req) => this.unlockWithSleep(durationMs(req.duration as never)),
      GetCurrentTime: async () => {
        this.requireEnabled();
        return { time: msToTimestamp(this.clock.now()) };
      },
    };
  }
}

export { ServiceError };
