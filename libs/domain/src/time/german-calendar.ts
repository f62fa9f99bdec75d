// Local days in Germany and its public holidays, computed without I/O so that workflow code can use them.

/** The sixteen federal states, by their official two-letter codes. */
export const GERMAN_STATES = [
  'BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH',
] as const;
export type GermanState = (typeof GERMAN_STATES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A calendar day as days since 1970-01-01 (local date, no time zone attached). */
type DayNumber = number;

function dayNumber(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / DAY;
}

/** Last Sunday of a month, as the EU summer-time rule needs it. */
function lastSunday(year: number, month: number): DayNumber {
  const last = dayNumber(year, month + 1, 0);
  const weekday = new Date(last * DAY).getUTCDay();
  return last - weekday;
}

/**
 * Offset of German local time from UTC at an instant: CEST (+2) from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC, CET (+1) otherwise. The rule has held since 1996.
 */
export function berlinOffsetMs(utcMillis: number): number {
  const year = new Date(utcMillis).getUTCFullYear();
  const summerStart = lastSunday(year, 3) * DAY + HOUR;
  const summerEnd = lastSunday(year, 10) * DAY + HOUR;
  return utcMillis >= summerStart && utcMillis < summerEnd ? 2 * HOUR : HOUR;
}

/** The German local day an instant falls on. */
export function berlinDay(utcMillis: number): DayNumber {
  return Math.floor((utcMillis + berlinOffsetMs(utcMillis)) / DAY);
}

/** The instant at which a German local day begins (local midnight). */
export function berlinMidnight(day: DayNumber): number {
  const guess = day * DAY - HOUR;
  // The offset at midnight itself is what counts; DST switches at 01:00 UTC, never at local midnight.
  return day * DAY - berlinOffsetMs(guess);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm. */
function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

export interface Holiday {
  name: string;
  day: DayNumber;
}

/** Public holidays of a year: the federal ones, and those of one state when it is given. */
export function germanHolidays(year: number, state?: GermanState): Holiday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number) => dayNumber(year, month, day);
  const holidays: Holiday[] = [
    { name: "New Year's Day", day: fixed(1, 1) },
    { name: 'Good Friday', day: easter - 2 },
    { name: 'Easter Monday', day: easter + 1 },
    { name: 'Labour Day', day: fixed(5, 1) },
    { name: 'Ascension Day', day: easter + 39 },
    { name: 'Whit Monday', day: easter + 50 },
    { name: 'Day of German Unity', day: fixed(10, 3) },
    { name: 'Christmas Day', day: fixed(12, 25) },
    { name: 'Second Day of Christmas', day: fixed(12, 26) },
  ];
  if (!state) return holidays;
  const inStates = (states: GermanState[], holiday: Holiday) => {
    if (states.includes(state)) holidays.push(holiday);
  };
  inStates(['BW', 'BY', 'ST'], { name: 'Epiphany', day: fixed(1, 6) });
  if (year >= 2019) inStates(year >= 2023 ? ['BE', 'MV'] : ['BE'], { name: "International Women's Day", day: fixed(3, 8) });
  inStates(['BW', 'BY', 'HE', 'NW', 'RP', 'SL'], { name: 'Corpus Christi', day: easter + 60 });
  inStates(['SL'], { name: 'Assumption Day', day: fixed(8, 15) });
  if (year >= 2019) inStates(['TH'], { name: "World Children's Day", day: fixed(9, 20) });
  inStates(
    year >= 2018 ? ['BB', 'MV', 'SN', 'ST', 'TH', 'HB', 'HH', 'NI', 'SH'] : ['BB', 'MV', 'SN', 'ST', 'TH'],
    { name: 'Reformation Day', day: fixed(10, 31) },
  );
  inStates(['BW', 'BY', 'NW', 'RP', 'SL'], { name: "All Saints' Day", day: fixed(11, 1) });
  // Repentance and Prayer Day: the Wednesday before 23 November.
  const nov23 = fixed(11, 23);
  const weekday = new Date(nov23 * DAY).getUTCDay();
  inStates(['SN'], { name: 'Day of Repentance and Prayer', day: nov23 - (((weekday - 3 + 7) % 7) || 7) });
  return holidays;
}

const holidayCache = new Map<string, Set<DayNumber>>();

function holidaySet(year: number, state?: GermanState): Set<DayNumber> {
  const key = `${year}:${state ?? ''}`;
  let set = holidayCache.get(key);
  if (!set) {
    set = new Set(germanHolidays(year, state).map((h) => h.day));
    holidayCache.set(key, set);
  }
  return set;
}

/** Monday to Friday and not a public holiday (federal, or of the given state). */
export function isBusinessDay(day: DayNumber, state?: GermanState): boolean {
  const date = new Date(day * DAY);
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !holidaySet(date.getUTCFullYear(), state).has(day);
}
