// The periods a cooperation report covers: a calendar month or quarter in German local time, or any span from–to,
// and the period it is compared with (the month or quarter before; before a span, one of the same length).

import { berlinMidnight } from '../time/german-calendar';

/** A span of time, `to` exclusive, with the name people know it by (`2026-11`, `2026-Q4`, or from–to). */
export interface ReportingPeriod {
  label: string;
  from: string;
  to: string;
}

/** What a period was asked with: a month or quarter (`period`), or a span (`from`, `to`), never both. */
export interface PeriodRequest {
  period?: string;
  from?: string;
  to?: string;
}

/** A period that cannot be read, with the field to blame (the API answers 400 with it). */
export class InvalidPeriodError extends Error {
  override readonly name = 'InvalidPeriodError';
  constructor(
    readonly field: 'period' | 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const DAY_MS = 24 * 3_600_000;
/** When neither a period nor from is given: the last 30 days, as the scorecard counts. */
export const DEFAULT_REPORT_DAYS = 30;

/**
 * The period asked for and the one before it to compare with. A month or a quarter begins at German local
 * midnight (an authority's November is Berlin's); it is compared with the month or quarter before. A span
 * from–to (default: the 30 days before `now`) is compared with the span of the same length just before it.
 */
export function reportingPeriods(request: PeriodRequest, now: string): { current: ReportingPeriod; previous: ReportingPeriod } {
  if (request.period !== undefined) {
    if (request.from !== undefined || request.to !== undefined) {
      throw new InvalidPeriodError('period', 'Give either period (a month such as 2026-11, or a quarter such as 2026-Q4) or from and to, not both.');
    }
    const month = MONTH.exec(request.period);
    if (month) return { current: calendarMonths(Number(month[1]), Number(month[2]), 1), previous: calendarMonths(Number(month[1]), Number(month[2]) - 1, 1) };
    const quarter = QUARTER.exec(request.period);
    if (quarter) {
      const firstMonth = (Number(quarter[2]) - 1) * 3 + 1;
      return { current: calendarMonths(Number(quarter[1]), firstMonth, 3), previous: calendarMonths(Number(quarter[1]), firstMonth - 3, 3) };
    }
    throw new InvalidPeriodError('period', `"${request.period}" is neither a month (2026-11) nor a quarter (2026-Q4).`);
  }
  const toMs = request.to !== undefined ? instantMs(request.to, 'to') : Date.parse(now);
  const fromMs = request.from !== undefined ? instantMs(request.from, 'from') : toMs - DEFAULT_REPORT_DAYS * DAY_MS;
  if (fromMs >= toMs) throw new InvalidPeriodError('from', 'from must be before to.');
  const current = span(fromMs, toMs);
  return { current, previous: span(fromMs - (toMs - fromMs), fromMs) };
}

/** `count` calendar months from `month` of `year` (a month below 1 counts back into the year before). */
function calendarMonths(year: number, month: number, count: number): ReportingPeriod {
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month - 1 + count, 1));
  const label =
    count === 3 ? `${start.getUTCFullYear()}-Q${Math.floor(start.getUTCMonth() / 3) + 1}` : `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
  return { label, from: new Date(berlinMidnight(start.getTime() / DAY_MS)).toISOString(), to: new Date(berlinMidnight(end.getTime() / DAY_MS)).toISOString() };
}

function span(fromMs: number, toMs: number): ReportingPeriod {
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  return { label: `${from}/${to}`, from, to };
}

function instantMs(text: string, field: 'from' | 'to'): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new InvalidPeriodError(field, `${field} must be an ISO 8601 instant or date (2026-11-01T00:00:00Z).`);
  return ms;
}
