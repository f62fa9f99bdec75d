// What `GET /api/reports` answers: one row per case from the read model, without the case's full state.

import { ApiProperty } from '@nestjs/swagger';
import { CLOCK_KINDS, LADDER_STEPS, OFFENCE_CATEGORIES, SEVERITIES } from '@engine/domain';
import type { ClockKind, LadderStep, OffenceCategory, RequestClock, Severity } from '@engine/domain';
import { CLOCK_STATUSES, FILED_REPORT_STATUSES, FiledReportStatus } from './report-detail.dto';

/** Where one request to the platform stands, as a list row shows it (the case's detail has the whole clock). */
export class RequestStandingDto {
  @ApiProperty({ enum: CLOCK_KINDS })
  kind!: ClockKind;

  @ApiProperty({ enum: CLOCK_STATUSES, description: 'running: waiting for the platform; answered; exhausted: the last step passed unanswered; cancelled.' })
  status!: RequestClock['status'];

  @ApiProperty({ enum: LADDER_STEPS, description: 'The ladder step the request is at.' })
  step!: LadderStep;

  @ApiProperty({ type: String, format: 'date-time', description: "The current step's deadline." })
  deadline!: string;
}

export class ReportSummaryDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ enum: FILED_REPORT_STATUSES })
  status!: FiledReportStatus;

  // null in the enum as well: OpenAPI 3.0 applies enum after nullable, and a validator refuses a null not listed.
  @ApiProperty({ type: String, enum: [...SEVERITIES, null], nullable: true, description: 'null until triaged as actionable.' })
  severity!: Severity | null;

  @ApiProperty({ type: String, enum: [...OFFENCE_CATEGORIES, null], nullable: true, description: 'null until triaged as actionable.' })
  category!: OffenceCategory | null;

  @ApiProperty({ type: String, nullable: true })
  assignee!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  filedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The soonest deadline of a running request; null when none runs.' })
  nextDeadline!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Since when the case is overdue, or will be if nobody acts: the earliest deadline of a request waiting for the platform, including one that ran through its whole ladder unanswered (overdue since its last deadline). null in triage, paused, closed, or with no request waiting.',
  })
  overdueSince!: string | null;

  @ApiProperty({ description: 'The version of the platform policy the case follows.', example: 1 })
  policyVersion!: number;

  @ApiProperty({ description: "The case's version: the number of events in its stream.", example: 3 })
  version!: number;

  @ApiProperty({ type: () => [RequestStandingDto], description: 'The requests sent to the platform (deletion first), each with its ladder step.' })
  requests!: RequestStandingDto[];
}

export class ReportListDto {
  @ApiProperty({ type: () => [ReportSummaryDto] })
  items!: ReportSummaryDto[];

  @ApiProperty({ description: 'How many cases match the filter, over all pages.', example: 1 })
  total!: number;
}
