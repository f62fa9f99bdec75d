// The cooperation scorecard over time: consecutive periods (weeks up to now), and each period's scorecard as a
// point of the charts. Pure, so the periods and points are tested without a browser.

import type { ApiSchemas } from '../../api/client';

export type Scorecard = ApiSchemas['ScorecardDto'];

export interface Period {
  from: string;
  to: string;
}

const WEEK = 7 * 24 * 3600 * 1000;

/** `count` consecutive periods of a week, oldest first, the last ending at `now`. */
export function weeklyPeriods(now: number, count: number): Period[] {
  return Array.from({ length: count }, (_, index) => {
    const to = now - (count - 1 - index) * WEEK;
    return { from: new Date(to - WEEK).toISOString(), to: new Date(to).toISOString() };
  });
}

export interface ScorecardPoint {
  /** The period's end, for the axis. */
  to: string;
  removedPercent: number | null;
  answeredPercent: number | null;
  medianHoursToEffect: number | null;
  deletionRequests: number;
  subscriberDataRequests: number;
}

/** One point per period that has its scorecard (a period still loading or failed is left out, not drawn as zero). */
export function scorecardSeries(periods: Period[], scorecards: Array<Scorecard | undefined>): ScorecardPoint[] {
  return periods.flatMap((period, index) => {
    const scorecard = scorecards[index];
    if (!scorecard) return [];
    return [
      {
        to: period.to,
        removedPercent: scorecard.deletionRequests.removedPercent ?? null,
        answeredPercent: scorecard.subscriberDataRequests.answeredPercent ?? null,
        medianHoursToEffect: scorecard.medianHoursToEffect ?? null,
        deletionRequests: scorecard.deletionRequests.sent,
        subscriberDataRequests: scorecard.subscriberDataRequests.sent,
      },
    ];
  });
}
