// Per-platform figures for cooperation scorecards, from the read model.

import type { PlatformScorecard } from '@engine/read-model';

export abstract class PlatformsService {
  abstract scorecard(platform: string, period: { from: string; to: string }): Promise<PlatformScorecard>;
}
