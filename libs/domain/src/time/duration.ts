// ISO 8601 durations as policies write them (`PT1H`, `P7D`, `PT30S`), reduced to milliseconds.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/**
 * The longest deadline a policy may set. Longer ones are mistakes (a typo of P100000000D produced deadlines
 * past what timers and PostgreSQL can hold), and no authority waits more than a year for an answer.
 */
export const MAX_DURATION_DAYS = 366;

export class InvalidDurationError extends Error {
  override readonly name = 'InvalidDurationError';
}

/**
 * Parses weeks, days, hours, minutes and seconds. A day counts as 24 hours. Months and years are refused:
 * they have no fixed length, and a deadline must mean the same thing in February and in March.
 */
export function parseDuration(text: string): number {
  if (/^P(?:\d+Y)?(?:\d+M)/.test(text) || /^P\d+Y/.test(text)) {
    throw new InvalidDurationError(
      `"${text}": months and years are not allowed in a deadline; write days or weeks (for example P30D)`,
    );
  }
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new InvalidDurationError(
      `"${text}" is not an ISO 8601 duration such as PT1H, PT30S, P7D or P2W`,
    );
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * 7 * DAY +
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000);
  if (ms <= 0) {
    throw new InvalidDurationError(`"${text}": a deadline must be longer than zero`);
  }
  if (ms > MAX_DURATION_DAYS * DAY) {
    throw new InvalidDurationError(`"${text}": a deadline may be at most ${MAX_DURATION_DAYS} days (P${MAX_DURATION_DAYS}D)`);
  }
  return ms;
}

export function isValidDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
