// The one place where the platforms feature turns platforms, the read model's scorecard and the dossier into response DTOs.

import type { PlatformScorecard } from '@engine/read-model';
import { ScorecardDto } from './dto/scorecard.dto';
import { PlatformDossierDto } from './dto/dossier.dto';
import { PlatformOverviewDto } from './dto/platform-list.dto';
import type { PlatformDossier, PlatformOverview } from './platforms.service';

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

export function toDossier(dossier: PlatformDossier): PlatformDossierDto {
  return {
    platform: dossier.platform,
    running: dossier.running,
    rules: dossier.rules && { threshold: dossier.rules.threshold, interval: dossier.rules.interval },
    rulesSource: dossier.rulesSource,
    nextFilingDueAt: dossier.nextFilingDueAt,
    members: dossier.members.map((member) => ({ ...member })),
    filings: dossier.filings.map((filing) => ({ ...filing, reportIds: [...filing.reportIds] })),
  };
}

export function toPlatformOverview(overview: PlatformOverview): PlatformOverviewDto {
  return {
    platform: overview.platform,
    displayName: overview.displayName,
    registeredBy: overview.registeredBy,
    registeredAt: overview.registeredAt,
    policyVersion: overview.policyVersion,
    policyChanged: overview.policyChanged,
    openCases: overview.openCases,
    totalCases: overview.totalCases,
  };
}
