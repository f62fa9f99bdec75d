// Deadlines as people type them into the policy table, "24 h", "7 Tage", "1 h 30 min", "1,5 Tage", or as ISO
// 8601 ("P1D"), read into the ISO 8601 duration the API stores, with the same limits as the domain: no months
// or years (their length varies), more than zero, at most 366 days. Pure; the table shows a problem's code in
// the user's language. Written back for editing with formatIsoDuration (format/time.ts), which this reads again.

export type DurationProblem =
  /** Nothing typed. */
  | 'empty'
  /** Neither ISO 8601 nor numbers with units. */
  | 'unreadable'
  /** A number without a unit ("24"). */
  | 'no-unit'
  /** Months or years: their length varies, so a deadline in them would mean different things. */
  | 'months-or-years'
  | 'zero'
  | 'too-long';

export type ParsedDuration = { ok: true; iso: string; milliseconds: number } | { ok: false; problem: DurationProblem };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** As libs/domain's MAX_DURATION_DAYS. */
export const MAX_DURATION_DAYS = 366;

type Unit = 'week' | 'day' | 'hour' | 'minute' | 'second' | 'month-or-year';

/** Unit words in English and German, lower case, without a trailing dot ("Std." → "std"). */
const UNITS: Record<string, Unit> = Object.fromEntries(
  (
    [
      ['week', ['w', 'wk', 'wks', 'week', 'weeks', 'wo', 'woche', 'wochen']],
      ['day', ['d', 'day', 'days', 't', 'tg', 'tag', 'tage', 'tagen']],
      ['hour', ['h', 'hr', 'hrs', 'hour', 'hours', 'std', 'stunde', 'stunden']],
      ['minute', ['m', 'min', 'mins', 'minute', 'minutes', 'minuten']],
      ['second', ['s', 'sec', 'secs', 'second', 'seconds', 'sek', 'sekunde', 'sekunden']],
      ['month-or-year', ['mo', 'mon', 'month', 'months', 'monat', 'monate', 'monaten', 'mt', 'y', 'yr', 'yrs', 'year', 'years', 'j', 'jahr', 'jahre', 'jahren']],
    ] as const
  ).flatMap(([unit, words]) => words.map((word) => [word, unit])),
);

const UNIT_MS: Record<Exclude<Unit, 'month-or-year'>, number> = { week: 7 * DAY, day: DAY, hour: HOUR, minute: MINUTE, second: SECOND };

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;

/** Reads what a person typed into a deadline cell. */
export function parseDurationInput(text: string): ParsedDuration {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'empty' };
  if (/^p/i.test(trimmed) && !/\s/.test(trimmed)) return parseIso(trimmed.toUpperCase());
  return parseSpoken(trimmed);
}

function parseIso(iso: string): ParsedDuration {
  // A Y anywhere, or an M before the T, is a year or a month.
  const datePart = iso.split('T')[0];
  if (/Y/.test(iso) || /M/.test(datePart)) return { ok: false, problem: 'months-or-years' };
  const match = ISO.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return { ok: false, problem: 'unreadable' };
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const milliseconds = Math.round(weeks * 7 * DAY + days * DAY + hours * HOUR + minutes * MINUTE + seconds * SECOND);
  return checked(milliseconds, () => iso);
}

/** "24 h", "7 Tage", "1 h 30 min", "2 days, 4 hours", "1,5 Std.", "90min", "1 Tag und 2 Stunden". */
function parseSpoken(text: string): ParsedDuration {
  const normalised = text.toLowerCase().replace(/\b(and|und)\b/g, ' ').replace(/(?<=[a-zäöü.\s])[,;+]|[;+]/g, ' ');
  const part = /(\d+(?:[.,]\d+)?)\s*([a-zäöü]+)?\.?/gy;
  const amounts = { week: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let position = 0;
  let found = false;
  for (;;) {
    while (position < normalised.length && /\s/.test(normalised[position])) position += 1;
    if (position >= normalised.length) break;
    part.lastIndex = position;
    const match = part.exec(normalised);
    if (!match) return { ok: false, problem: 'unreadable' };
    position = part.lastIndex;
    const [, number, word] = match;
    if (!word) return { ok: false, problem: 'no-unit' };
    const unit = UNITS[word];
    if (!unit) return { ok: false, problem: 'unreadable' };
    if (unit === 'month-or-year') return { ok: false, problem: 'months-or-years' };
    amounts[unit] += Number(number.replace(',', '.'));
    found = true;
  }
  if (!found) return { ok: false, problem: 'unreadable' };
  const milliseconds = Math.round(
    (Object.keys(amounts) as Array<keyof typeof amounts>).reduce((sum, unit) => sum + amounts[unit] * UNIT_MS[unit], 0),
  );
  // Whole days typed as days stay days (P7D); the rest is written in hours, minutes and seconds (PT36H).
  const dayMs = amounts.week * 7 * DAY + amounts.day * DAY;
  const wholeDays = Math.floor(dayMs / DAY);
  return checked(milliseconds, () => isoOf(wholeDays, milliseconds - wholeDays * DAY));
}

function checked(milliseconds: number, iso: () => string): ParsedDuration {
  if (milliseconds <= 0) return { ok: false, problem: 'zero' };
  if (milliseconds > MAX_DURATION_DAYS * DAY) return { ok: false, problem: 'too-long' };
  return { ok: true, iso: iso(), milliseconds };
}

/** P<days>DT<h>H<m>M<s>S with the zero parts left out; hours are not folded into days (PT48H stays). */
function isoOf(days: number, restMs: number): string {
  const hours = Math.floor(restMs / HOUR);
  const minutes = Math.floor((restMs % HOUR) / MINUTE);
  const seconds = (restMs % MINUTE) / SECOND;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${Number(seconds.toFixed(3))}S` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/** The length of a stored ISO 8601 duration, to compare two versions' cells (PT24H and P1D are the same deadline). */
export function durationMilliseconds(iso: string): number | undefined {
  const parsed = parseIso(iso);
  return parsed.ok ? parsed.milliseconds : undefined;
}
