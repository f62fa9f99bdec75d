import { describe, expect, it } from 'vitest';
import { countdown, formatDateTime, formatDuration, formatIsoDuration, localiseInstants } from './time';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const now = Date.parse('2026-02-01T09:00:00Z');
const at = (offset: number) => new Date(now + offset).toISOString();

describe('formatDuration', () => {
  it('shows the two largest units, rounded down', () => {
    expect(formatDuration(3 * HOUR + 12 * MINUTE + 59_999, 'en')).toBe('3 h 12 min');
    expect(formatDuration(2 * DAY + 3 * HOUR + 5 * MINUTE, 'en')).toBe('2 days 3 h');
    expect(formatDuration(4 * MINUTE + 5_000, 'en')).toBe('4 min 5 s');
    expect(formatDuration(40_500, 'en')).toBe('40 s');
    expect(formatDuration(DAY, 'en')).toBe('1 day');
  });

  it('leaves out a zero second unit and shows zero as 0 s', () => {
    expect(formatDuration(3 * HOUR, 'en')).toBe('3 h');
    expect(formatDuration(2 * DAY + 30 * MINUTE, 'en')).toBe('2 days');
    expect(formatDuration(999, 'en')).toBe('0 s');
  });

  it('speaks German, with the dative after "seit"', () => {
    expect(formatDuration(3 * HOUR + 12 * MINUTE, 'de')).toBe('3 Std. 12 Min.');
    expect(formatDuration(2 * DAY, 'de')).toBe('2 Tage');
    expect(formatDuration(2 * DAY, 'de', 'dative')).toBe('2 Tagen');
    expect(formatDuration(DAY + HOUR, 'de', 'dative')).toBe('1 Tag 1 Std.');
  });
});

describe('countdown', () => {
  it('counts down to a deadline ahead', () => {
    expect(countdown(at(3 * HOUR + 12 * MINUTE), now, 'en')).toEqual({ state: 'due', text: 'in 3 h 12 min', milliseconds: 3 * HOUR + 12 * MINUTE });
    expect(countdown(at(3 * HOUR + 12 * MINUTE), now, 'de').text).toBe('in 3 Std. 12 Min.');
  });

  it('says how long a passed deadline is overdue', () => {
    expect(countdown(at(-2 * DAY), now, 'en')).toEqual({ state: 'overdue', text: 'overdue by 2 days', milliseconds: 2 * DAY });
    expect(countdown(at(-2 * DAY - 5 * HOUR), now, 'de').text).toBe('überfällig seit 2 Tagen 5 Std.');
    expect(countdown(at(0), now, 'en').state).toBe('overdue');
  });

  it('shows a paused clock as paused and no deadline as a dash', () => {
    expect(countdown(at(HOUR), now, 'en', { paused: true })).toEqual({ state: 'paused', text: 'paused' });
    expect(countdown(null, now, 'de')).toEqual({ state: 'none', text: '—' });
  });
});

describe('formatDateTime', () => {
  it("formats in the user's language and time zone", () => {
    expect(formatDateTime('2026-02-01T09:30:00Z', 'de', 'Europe/Berlin')).toBe('01.02.2026, 10:30');
    expect(formatDateTime('2026-02-01T09:30:00Z', 'en', 'Europe/Berlin')).toBe('1 Feb 2026, 10:30');
    expect(formatDateTime(null, 'en')).toBe('—');
  });
});

describe('formatIsoDuration', () => {
  it('writes ISO 8601 durations as people do', () => {
    expect(formatIsoDuration('PT24H', 'en')).toBe('24 h');
    expect(formatIsoDuration('P7D', 'de')).toBe('7 Tage');
    expect(formatIsoDuration('PT1H30M', 'en')).toBe('1 h 30 min');
    expect(formatIsoDuration('P1W', 'en')).toBe('7 days');
    expect(formatIsoDuration('PT30S', 'de')).toBe('30 Sek.');
    expect(formatIsoDuration('nonsense', 'en')).toBe('nonsense');
  });
});

describe('localiseInstants', () => {
  it("writes each instant in the API's wording in the reader's language and time zone, and leaves the rest", () => {
    const summary = 'Deletion request sent to the standard contact, due 2026-12-02T12:34:13.764Z';
    expect(localiseInstants(summary, 'en', 'Europe/Berlin')).toBe('Deletion request sent to the standard contact, due 2 Dec 2026, 13:34');
    expect(localiseInstants(summary, 'de', 'Europe/Berlin')).toBe('Deletion request sent to the standard contact, due 02.12.2026, 13:34');
    expect(localiseInstants('removed (effect given 2026-12-01T12:33:00.000Z; answer 2026-12-01T12:40:00+01:00)', 'en', 'UTC')).toBe(
      'removed (effect given 1 Dec 2026, 12:33; answer 1 Dec 2026, 11:40)',
    );
    expect(localiseInstants('Report filed via the state police against telegram (policy version 1)', 'en')).toBe(
      'Report filed via the state police against telegram (policy version 1)',
    );
  });
});
