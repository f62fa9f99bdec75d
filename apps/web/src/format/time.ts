// Dates, durations and countdowns in the user's language and time zone: "in 3 h 12 min", "überfällig seit
// 2 Tagen". Pure functions of (instant, now, language), so the live countdown and the tests share them.

import type { Language } from '../i18n';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'day' | 'hour' | 'minute' | 'second';
/** German puts a span after "seit" in the dative: "seit 2 Tagen", not "seit 2 Tage". */
export type GrammaticalCase = 'nominative' | 'dative';

const UNIT_WORDS: Record<Language, Record<Unit, (count: number, grammaticalCase: GrammaticalCase) => string>> = {
  en: {
    day: (n) => (n === 1 ? '1 day' : `${n} days`),
    hour: (n) => `${n} h`,
    minute: (n) => `${n} min`,
    second: (n) => `${n} s`,
  },
  de: {
    day: (n, c) => (n === 1 ? '1 Tag' : c === 'dative' ? `${n} Tagen` : `${n} Tage`),
    hour: (n) => `${n} Std.`,
    minute: (n) => `${n} Min.`,
    second: (n) => `${n} Sek.`,
  },
};

/**
 * A span in its two largest units, rounded down: "2 days 3 h", "3 h 12 min", "4 min 5 s", "40 s".
 * A zero second unit is left out ("3 h", not "3 h 0 min").
 */
export function formatDuration(milliseconds: number, language: Language, grammaticalCase: GrammaticalCase = 'nominative'): string {
  const total = Math.max(0, Math.floor(Math.abs(milliseconds) / SECOND) * SECOND);
  const parts: Array<[Unit, number]> = [
    ['day', Math.floor(total / DAY)],
    ['hour', Math.floor((total % DAY) / HOUR)],
    ['minute', Math.floor((total % HOUR) / MINUTE)],
    ['second', Math.floor((total % MINUTE) / SECOND)],
  ];
  const first = parts.findIndex(([, count]) => count > 0);
  if (first === -1) return UNIT_WORDS[language].second(0, grammaticalCase);
  const shown = parts.slice(first, first + 2).filter(([, count], index) => index === 0 || count > 0);
  return shown.map(([unit, count]) => UNIT_WORDS[language][unit](count, grammaticalCase)).join(' ');
}

export type Countdown =
  | { state: 'due'; text: string; milliseconds: number }
  | { state: 'overdue'; text: string; milliseconds: number }
  | { state: 'paused'; text: string }
  | { state: 'none'; text: string };

const COUNTDOWN_WORDS: Record<Language, { dueIn: string; overdueBy: string; paused: string; none: string }> = {
  en: { dueIn: 'in {d}', overdueBy: 'overdue by {d}', paused: 'paused', none: '—' },
  de: { dueIn: 'in {d}', overdueBy: 'überfällig seit {d}', paused: 'pausiert', none: '—' },
};

/** How a deadline stands at `now`: due in some time, overdue for some time, paused, or none. */
export function countdown(deadline: string | null | undefined, now: number, language: Language, options: { paused?: boolean } = {}): Countdown {
  const words = COUNTDOWN_WORDS[language];
  if (options.paused) return { state: 'paused', text: words.paused };
  if (!deadline) return { state: 'none', text: words.none };
  const milliseconds = Date.parse(deadline) - now;
  if (milliseconds > 0) return { state: 'due', text: words.dueIn.replace('{d}', formatDuration(milliseconds, language)), milliseconds };
  return { state: 'overdue', text: words.overdueBy.replace('{d}', formatDuration(-milliseconds, language, 'dative')), milliseconds: -milliseconds };
}

/** An instant as a date and time in the user's time zone: "1 Feb 2026, 10:30" / "01.02.2026, 10:30". */
export function formatDateTime(instant: string | null | undefined, language: Language, timeZone?: string): string {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** Every ISO 8601 instant within a text (the API words a case's history in sentences that name them). */
const INSTANT_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** A text with each instant in it written as `formatDateTime` writes one: "due 2 Dec 2026, 13:34". */
export function localiseInstants(text: string, language: Language, timeZone?: string): string {
  return text.replace(INSTANT_IN_TEXT, (instant) => formatDateTime(instant, language, timeZone));
}

/** An ISO 8601 duration as people read it: PT24H → "24 h", P7D → "7 days" / "7 Tage", PT1H30M → "1 h 30 min". */
export function formatIsoDuration(duration: string, language: Language): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) return duration;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  const words = UNIT_WORDS[language];
  const parts = [
    [weeks * 7 + days, words.day],
    [hours, words.hour],
    [minutes, words.minute],
    [seconds, words.second],
  ] as const;
  const text = parts.filter(([count]) => count > 0).map(([count, word]) => word(count, 'nominative')).join(' ');
  return text || words.second(0, 'nominative');
}
