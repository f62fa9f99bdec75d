// The one place where the platforms feature turns the read model's scorecard into the response DTO.

import type { PlatformScorecard } from '@engine/read-model';
import { ScorecardDto } from './dto/scorecard.dto';

export function toScorecard(scorecard: PlatformScorecard): ScorecardDto {
  return {
    platform: scorecard.platform,
    period: { from: scorecard.period.from, to: scorecard.period.to },
    deletionRequests: { ...scorecard.deletionRequests },
    subscriberDataRequests: { ...scorecard.subscriberDataRequests },
    escalatedRequests: scorecard.escalatedRequests,
    medianHoursToEffect: scorecard.medianHoursToEffect,
    medianSecondsToEffect: scorecard.medianSecondsToEffect,
    overdueNow: scorecard.overdueNow,
  };
}
