// What `GET /api/platforms/:platform/cooperation-report` answers as JSON: the figures of a period and of the one
// before it, and every figure's change.

import { ApiProperty } from '@nestjs/swagger';
import { OFFENCE_CATEGORIES, SEVERITIES } from '@engine/domain';
import type { CooperationFigures, CooperationReport, OffenceCategory, Severity } from '@engine/domain';

const count = (description: string, example = 3) => ApiProperty({ description, example });
const seconds = (description: string, example: number) => ApiProperty({ type: Number, nullable: true, description: `${description}, in whole seconds; null when there were none.`, example });

export class ReportingPeriodDto {
  @ApiProperty({ description: 'The month (2026-11), the quarter (2026-Q4), or from/to.', example: '2026-11' })
  label!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-10-31T23:00:00.000Z' })
  from!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Exclusive.', example: '2026-11-30T23:00:00.000Z' })
  to!: string;
}

export class RequestsByKindDto {
  @count('Requests sent in the period, of either kind.', 12)
  total!: number;

  @count('Deletion requests.', 9)
  deletion!: number;

  @count('Subscriber-data requests.', 3)
  subscriberData!: number;
}

export class RequestsByCategoryDto extends RequestsByKindDto {
  @ApiProperty({ enum: OFFENCE_CATEGORIES, example: 'threat' })
  category!: OffenceCategory;
}

export class RequestsBySeverityDto extends RequestsByKindDto {
  @ApiProperty({ enum: SEVERITIES, example: 'high' })
  severity!: Severity;
}

export class AnswerFiguresDto {
  @count("Answered by the standard contact's deadline (a pause stops the clock).", 7)
  inTime!: number;

  @count('Answered after that deadline.', 3)
  late!: number;

  @count('Not answered, and the deadline passed, the ladder ran out or the case was closed.', 1)
  never!: number;

  @count('Not answered yet, the deadline still ahead.', 1)
  awaiting!: number;
}

export class DeletionOutcomeDto {
  @count('Deletion requests sent in the period.', 9)
  sent!: number;

  @count('The platform reported the content removed.', 5)
  removed!: number;

  @count('Removed in part.', 1)
  partiallyRemoved!: number;

  @count('Refused.', 2)
  refused!: number;

  @count('A claimed removal turned out false (still online); not counted as removed unless answered again.', 1)
  removalsContradicted!: number;
}

export class SubscriberDataOutcomeDto {
  @count('Subscriber-data requests sent in the period.', 3)
  sent!: number;

  @count('Data supplied.', 2)
  supplied!: number;

  @count('Data refused.', 1)
  refused!: number;
}

export class DurationFiguresDto {
  @count('How many requests the figures are taken over.', 10)
  count!: number;

  @seconds('The median', 30600)
  medianSeconds!: number | null;

  @seconds('The 90th percentile (interpolated, as SQL percentile_cont)', 172800)
  p90Seconds!: number | null;
}

export class LadderFiguresDto {
  @count('Requests that reached at least the reminder (by deadline or by hand).', 4)
  reminder!: number;

  @count('… at least the high-level contact.', 2)
  highLevelContact!: number;

  @count('… app-store pressure.', 1)
  appStorePressure!: number;

  @count("Requests that ran through the whole ladder unanswered.", 0)
  exhausted!: number;

  @count('Requests escalated by hand at least once.', 1)
  escalatedByStaff!: number;
}

export class DossierFiguresDto {
  @count('App-store dossiers filed in the period.', 1)
  filed!: number;

  @count('Reports in them.', 2)
  reportsFiled!: number;
}

export class CooperationFiguresDto implements CooperationFigures {
  @ApiProperty({ type: () => RequestsByKindDto })
  requests!: RequestsByKindDto;

  @ApiProperty({ type: () => [RequestsByCategoryDto], description: 'Every offence category, by the case\'s assessment as it stands (a re-triage corrects it).' })
  byCategory!: RequestsByCategoryDto[];

  @ApiProperty({ type: () => [RequestsBySeverityDto], description: 'Every severity, likewise.' })
  bySeverity!: RequestsBySeverityDto[];

  @ApiProperty({ type: () => AnswerFiguresDto, description: 'The requests sent in the period, by whether and when the platform answered: inTime + late + never + awaiting = requests.total.' })
  answers!: AnswerFiguresDto;

  @ApiProperty({ type: () => DeletionOutcomeDto, description: "The platform's last recorded answer to each deletion request." })
  deletion!: DeletionOutcomeDto;

  @ApiProperty({ type: () => SubscriberDataOutcomeDto })
  subscriberData!: SubscriberDataOutcomeDto;

  @ApiProperty({ type: () => DurationFiguresDto, description: 'From sending the request to the answer\'s arrival (as stated with the answer, else when it was recorded).' })
  timeToAnswer!: DurationFiguresDto;

  @ApiProperty({ type: () => DurationFiguresDto, description: 'From sending the request to the effect of a removal or data supplied: when the platform says it gave effect, else the answer\'s arrival.' })
  timeToEffect!: DurationFiguresDto;

  @ApiProperty({ type: () => LadderFiguresDto })
  ladder!: LadderFiguresDto;

  @ApiProperty({ type: () => DossierFiguresDto })
  dossiers!: DossierFiguresDto;
}

export class FigureChangeDto {
  @ApiProperty({ description: 'The figure\'s path in "current", e.g. answers.late or byCategory.threat.deletion.', example: 'answers.late' })
  figure!: string;

  @ApiProperty({ type: Number, nullable: true, example: 3 })
  current!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 5 })
  previous!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'current − previous; null when either is null.', example: -2 })
  difference!: number | null;
}

export class CooperationReportDto implements CooperationReport {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The requests are followed up to this instant (now).', example: '2026-12-01T08:00:00.000Z' })
  asOf!: string;

  @ApiProperty({ type: () => ReportingPeriodDto, description: 'The requests counted are those sent in this period.' })
  period!: ReportingPeriodDto;

  @ApiProperty({ type: () => ReportingPeriodDto, description: 'The period compared with: the month or quarter before, or the span of the same length before.' })
  previousPeriod!: ReportingPeriodDto;

  @ApiProperty({ type: () => CooperationFiguresDto })
  current!: CooperationFiguresDto;

  @ApiProperty({ type: () => CooperationFiguresDto })
  previous!: CooperationFiguresDto;

  @ApiProperty({ type: () => [FigureChangeDto], description: 'Every figure against the previous period, in the order of "current".' })
  changes!: FigureChangeDto[];
}
