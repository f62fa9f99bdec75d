// Per-client request budgets: a token bucket per client and kind of request, refilled continuously, so a client
// may burst up to its per-minute budget and then goes at the sustained rate. In memory, per API process: with
// several replicas each enforces its own budget (the limit guards the engine from one runaway client; an
// edge proxy is the place for a global quota).

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more request would be allowed (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** How often buckets untouched for a minute (refilled completely, so they hold no state) are forgotten. */
const SWEEP_EVERY_MS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private lastSweep: number;

  /** `perMinute` 0 or less: every request is allowed. */
  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
    this.lastSweep = now();
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  take(key: string): RateDecision {
    if (!this.enabled) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.remember(key, bucket, now);
      return { allowed: true, retryAfterSeconds: 0 };
    }
    this.remember(key, bucket, now);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  /** How many clients are tracked (for tests of the sweep). */
  get size(): number {
    return this.buckets.size;
  }

  // Memory stays bounded by the clients seen in the last minute, and a sweep runs at most every few seconds.
  private remember(key: string, bucket: Bucket, now: number): void {
    this.buckets.set(key, bucket);
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [other, { updatedAt }] of this.buckets) {
      if (now - updatedAt >= 60_000) this.buckets.delete(other);
    }
  }
}
