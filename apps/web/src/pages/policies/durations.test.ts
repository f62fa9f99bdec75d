import { describe, expect, it } from 'vitest';
import { formatIsoDuration } from '../../format/time';
import { durationMilliseconds, parseDurationInput } from './durations';

const iso = (text: string) => {
  const parsed = parseDurationInput(text);
  return parsed.ok ? parsed.iso : `problem: ${parsed.problem}`;
};

describe('reading a deadline as people type it', () => {
  it('reads hours, days, minutes and seconds in English and German, with or without a space', () => {
    expect(iso('24 h')).toBe('PT24H');
    expect(iso('24h')).toBe('PT24H');
    expect(iso('24 Std.')).toBe('PT24H');
    expect(iso('24 Stunden')).toBe('PT24H');
    expect(iso('7 Tage')).toBe('P7D');
    expect(iso('1 Tag')).toBe('P1D');
    expect(iso('7 days')).toBe('P7D');
    expect(iso('2 weeks')).toBe('P14D');
    expect(iso('2 Wochen')).toBe('P14D');
    expect(iso('30 min')).toBe('PT30M');
    expect(iso('30 Min.')).toBe('PT30M');
    expect(iso('30 s')).toBe('PT30S');
    expect(iso('5 Sek.')).toBe('PT5S');
    expect(iso('  48 hours ')).toBe('PT48H');
  });

  it('reads combinations and fractions, with a decimal point or comma', () => {
    expect(iso('1 h 30 min')).toBe('PT1H30M');
    expect(iso('1 Tag und 2 Stunden')).toBe('P1DT2H');
    expect(iso('2 days, 4 hours')).toBe('P2DT4H');
    expect(iso('2 Tage,4 Std.')).toBe('P2DT4H');
    expect(iso('1,5 Std.')).toBe('PT1H30M');
    expect(iso('1.5 days')).toBe('P1DT12H');
    expect(iso('90 min')).toBe('PT1H30M');
    expect(iso('0.5 s')).toBe('PT0.5S');
  });

  it('takes ISO 8601 as it is, in any case', () => {
    expect(iso('P1D')).toBe('P1D');
    expect(iso('pt24h')).toBe('PT24H');
    expect(iso('P2W')).toBe('P2W');
    expect(iso('PT1H30M')).toBe('PT1H30M');
    expect(iso('PT0.250S')).toBe('PT0.250S');
  });

  it('refuses months and years, zero, more than 366 days, a bare number and words it does not know', () => {
    expect(iso('P1M')).toBe('problem: months-or-years');
    expect(iso('P1Y')).toBe('problem: months-or-years');
    expect(iso('1 month')).toBe('problem: months-or-years');
    expect(iso('2 Monate')).toBe('problem: months-or-years');
    expect(iso('1 Jahr')).toBe('problem: months-or-years');
    expect(iso('0 h')).toBe('problem: zero');
    expect(iso('PT0S')).toBe('problem: zero');
    expect(iso('367 days')).toBe('problem: too-long');
    expect(iso('P53W')).toBe('problem: too-long');
    expect(iso('366 Tage')).toBe('P366D');
    expect(iso('24')).toBe('problem: no-unit');
    expect(iso('soon')).toBe('problem: unreadable');
    expect(iso('24 fortnights')).toBe('problem: unreadable');
    expect(iso('P')).toBe('problem: unreadable');
    expect(iso('PT')).toBe('problem: unreadable');
    expect(iso('P1H')).toBe('problem: unreadable');
    expect(iso('')).toBe('problem: empty');
    expect(iso('   ')).toBe('problem: empty');
  });

  it('reads back every duration as the table writes it, in both languages', () => {
    for (const stored of ['PT24H', 'P7D', 'PT1H30M', 'P1DT2H', 'PT30S', 'PT48H', 'P14D', 'PT5M', 'P1D']) {
      for (const language of ['en', 'de'] as const) {
        const shown = formatIsoDuration(stored, language);
        const parsed = parseDurationInput(shown);
        expect({ shown, milliseconds: parsed.ok ? parsed.milliseconds : parsed.problem }).toEqual({ shown, milliseconds: durationMilliseconds(stored) });
      }
    }
  });

  it('compares stored durations by length', () => {
    expect(durationMilliseconds('PT24H')).toBe(durationMilliseconds('P1D'));
    expect(durationMilliseconds('P2W')).toBe(14 * 24 * 3600 * 1000);
    expect(durationMilliseconds('nonsense')).toBeUndefined();
  });
});
