// Adding a policy's duration to an instant, in calendar time or in German business time.

import { berlinDay, berlinMidnight, GermanState, isBusinessDay } from './german-calendar';

export type TimeBasis = 'calendar' | 'business';

/** Business time only runs on business days, all day; it skips weekends and public holidays whole. */
export function addBusinessTime(startMs: number, durationMs: number, state?: GermanState): number {
  let cursor = startMs;
  let remaining = durationMs;
  // Bounded: even ten years of business time ends long before this many local days.
  for (let guard = 0; guard < 10_000; guard++) {
    const day = berlinDay(cursor);
    const dayEnd = berlinMidnight(day + 1);
    if (isBusinessDay(day, state)) {
      const take = Math.min(remaining, dayEnd - cursor);
      cursor += take;
      remaining -= take;
      if (remaining <= 0) return cursor;
    }
    cursor = dayEnd;
  }
  throw new RangeError('business-time deadline is more than 10,000 days away');
}

export function addTime(startMs: number, durationMs: number, basis: TimeBasis, state?: GermanState): number {
  return basis === 'business' ? addBusinessTime(startMs, durationMs, state) : startMs + durationMs;
}
