import { addBusinessTime, addTime } from './deadline-clock';
import { InvalidDurationError, parseDuration } from './duration';
import { berlinDay, berlinMidnight, berlinOffsetMs, germanHolidays, isBusinessDay } from './german-calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const utc = (iso: string) => Date.parse(iso);

describe('parseDuration', () => {
  it.each([
    ['PT1H', HOUR],
    ['PT30S', 30_000],
    ['PT1.5S', 1_500],
    ['PT90M', 90 * 60_000],
    ['P7D', 7 * DAY],
    ['P2W', 14 * DAY],
    ['P1DT12H', 36 * HOUR],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['P367D', 'P53W', 'PT8785H', 'P100000000D', 'P1000000W'])('refuses %s: longer than the limit, which it names', (text) =>
    expect(() => parseDuration(text)).toThrow(/at most 366 days \(P366D\)/));

  it('accepts the limit itself', () => expect(parseDuration('P366D')).toBe(366 * 24 * 3_600_000));

  it.each(['P1M', 'P1Y', 'P1Y2M'])('refuses months and years in %s', (text) =>
    expect(() => parseDuration(text)).toThrow(/months and years/));

  it.each(['', 'P', 'PT', '1H', 'PT1H ', 'P-1D', 'PT0S', 'P1DT'])('refuses %j', (text) =>
    expect(() => parseDuration(text)).toThrow(InvalidDurationError));
});

describe('the German calendar', () => {
  it('knows the federal holidays of 2026 (Easter Sunday is 5 April)', () => {
    const names = Object.fromEntries(germanHolidays(2026).map((h) => [h.name, new Date(h.day * DAY).toISOString().slice(0, 10)]));
    expect(names).toEqual({
      "New Year's Day": '2026-01-01',
      'Good Friday': '2026-04-03',
      'Easter Monday': '2026-04-06',
      'Labour Day': '2026-05-01',
      'Ascension Day': '2026-05-14',
      'Whit Monday': '2026-05-25',
      'Day of German Unity': '2026-10-03',
      'Christmas Day': '2026-12-25',
      'Second Day of Christmas': '2026-12-26',
    });
  });

  it('adds state holidays only for that state', () => {
    expect(isBusinessDay(day('2026-01-06'))).toBe(true); // Epiphany, a Tuesday
    expect(isBusinessDay(day('2026-01-06'), 'BY')).toBe(false);
    expect(isBusinessDay(day('2026-06-04'), 'NW')).toBe(false); // Corpus Christi
    expect(isBusinessDay(day('2026-11-18'), 'SN')).toBe(false); // Repentance and Prayer Day
    expect(isBusinessDay(day('2026-10-31'), 'HH')).toBe(false); // Reformation Day (a Saturday anyway)
    expect(isBusinessDay(day('2025-10-31'), 'HH')).toBe(false);
    expect(isBusinessDay(day('2025-10-31'), 'BY')).toBe(true);
  });

  it('treats weekends as non-business days', () => {
    expect(isBusinessDay(day('2026-03-07'))).toBe(false); // Saturday
    expect(isBusinessDay(day('2026-03-08'))).toBe(false); // Sunday
    expect(isBusinessDay(day('2026-03-09'))).toBe(true);
  });

  it('follows summer time: +1 h in winter, +2 h from the last Sunday of March', () => {
    expect(berlinOffsetMs(utc('2026-01-15T12:00:00Z'))).toBe(HOUR);
    expect(berlinOffsetMs(utc('2026-03-29T00:59:59Z'))).toBe(HOUR);
    expect(berlinOffsetMs(utc('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(berlinOffsetMs(utc('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(berlinOffsetMs(utc('2026-10-25T01:00:00Z'))).toBe(HOUR);
  });

  it('puts a late-evening UTC instant on the next German day', () => {
    expect(berlinDay(utc('2026-07-01T22:30:00Z'))).toBe(day('2026-07-02'));
    expect(berlinMidnight(day('2026-07-02'))).toBe(utc('2026-07-01T22:00:00Z'));
    expect(berlinMidnight(day('2026-01-02'))).toBe(utc('2026-01-01T23:00:00Z'));
  });
});

describe('business time', () => {
  it('skips a weekend: 24 h from Friday noon ends Monday noon', () =>
    expect(new Date(addBusinessTime(utc('2026-03-06T11:00:00Z'), DAY)).toISOString()).toBe('2026-03-09T11:00:00.000Z'));

  it('skips Easter: 24 h from Thursday before Good Friday ends on Tuesday after Easter Monday', () =>
    expect(new Date(addBusinessTime(utc('2026-04-02T08:00:00Z'), DAY)).toISOString()).toBe('2026-04-07T08:00:00.000Z'));

  it('starting on a Sunday counts from Monday local midnight (23:00 UTC in winter)', () =>
    expect(new Date(addBusinessTime(utc('2026-03-08T10:00:00Z'), HOUR)).toISOString()).toBe('2026-03-09T00:00:00.000Z'));

  it('calendar time just adds', () => expect(addTime(1000, 5000, 'calendar')).toBe(6000));

  it('honours a state holiday when the policy names the state', () =>
    expect(new Date(addTime(utc('2026-01-05T11:00:00Z'), DAY, 'business', 'BY')).toISOString()).toBe('2026-01-07T11:00:00.000Z'));
});
