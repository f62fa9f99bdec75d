// The cooperation report as its response DTO (plain copies, nothing of the domain's objects shared).

import type { CooperationFigures, CooperationReport } from '@engine/domain';
import { CooperationFiguresDto, CooperationReportDto } from './dto/cooperation-report.dto';

export function toCooperationReport(report: CooperationReport): CooperationReportDto {
  return {
    platform: report.platform,
    asOf: report.asOf,
    period: { ...report.period },
    previousPeriod: { ...report.previousPeriod },
    current: toFigures(report.current),
    previous: toFigures(report.previous),
    changes: report.changes.map((change) => ({ ...change })),
  };
}

function toFigures(figures: CooperationFigures): CooperationFiguresDto {
  return {
    requests: { ...figures.requests },
    byCategory: figures.byCategory.map((row) => ({ ...row })),
    bySeverity: figures.bySeverity.map((row) => ({ ...row })),
    answers: { ...figures.answers },
    deletion: { ...figures.deletion },
    subscriberData: { ...figures.subscriberData },
    timeToAnswer: { ...figures.timeToAnswer },
    timeToEffect: { ...figures.timeToEffect },
    ladder: { ...figures.ladder },
    dossiers: { ...figures.dossiers },
  };
}
