import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows a burst of the per-minute budget, then refuses with the seconds until the next request', () => {
    const limiter = new RateLimiter(60, clock); // one a second sustained
    for (let i = 0; i < 60; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 999;
    expect(limiter.take('a').allowed).toBe(false);
    now += 1;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('says how long to wait when the rate is slow', () => {
    const limiter = new RateLimiter(2, clock); // one every 30 s
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 10_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  });

  it('keeps one budget per client', () => {
    const limiter = new RateLimiter(1, clock);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('allows everything when the limit is 0', () => {
    const limiter = new RateLimiter(0, clock);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('forgets clients idle for a minute, so memory follows the clients of the last minute', () => {
    const limiter = new RateLimiter(10, clock);
    for (let i = 0; i < 500; i++) limiter.take(`client-${i}`);
    expect(limiter.size).toBe(500);
    now += 61_000;
    limiter.take('late');
    expect(limiter.size).toBe(1);
  });
});
