import { describe, expect, it } from 'vitest';
import { scorecardSeries, weeklyPeriods, type Scorecard } from './scorecard-series';

const scorecard = (removedPercent: number | null, answeredPercent: number | null, medianHoursToEffect: number | null, sent = 4): Scorecard => ({
  platform: 'telegram',
  period: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' },
  deletionRequests: { sent, removed: 2, partiallyRemoved: 0, refused: 1, removedPercent },
  subscriberDataRequests: { sent: 2, answered: 1, supplied: 1, answeredPercent, suppliedPercent: 100 },
  escalatedRequests: 1,
  medianHoursToEffect,
  medianSecondsToEffect: medianHoursToEffect === null ? null : medianHoursToEffect * 3600,
  overdueNow: 0,
});

describe('the scorecard over time', () => {
  it('is asked for in consecutive weeks, oldest first, the last ending now', () => {
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    expect(weeklyPeriods(now, 3)).toEqual([
      { from: '2026-11-10T12:00:00.000Z', to: '2026-11-17T12:00:00.000Z' },
      { from: '2026-11-17T12:00:00.000Z', to: '2026-11-24T12:00:00.000Z' },
      { from: '2026-11-24T12:00:00.000Z', to: '2026-12-01T12:00:00.000Z' },
    ]);
  });

  it('draws a point per week that has its figures; a week without requests has no percentage, not zero', () => {
    const periods = weeklyPeriods(Date.parse('2026-12-01T12:00:00.000Z'), 3);
    expect(scorecardSeries(periods, [scorecard(50, 100, 30.5), undefined, scorecard(null, null, null, 0)])).toEqual([
      { to: periods[0].to, removedPercent: 50, answeredPercent: 100, medianHoursToEffect: 30.5, deletionRequests: 4, subscriberDataRequests: 2 },
      { to: periods[2].to, removedPercent: null, answeredPercent: null, medianHoursToEffect: null, deletionRequests: 0, subscriberDataRequests: 2 },
    ]);
  });
});
