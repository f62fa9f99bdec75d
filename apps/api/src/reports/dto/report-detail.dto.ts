// What `GET /api/reports/:id`, filing and every action answer: one case as the back office reads it. Not the
// workflow's internal state: the policy is named by version (its table is at /api/policies), and each request
// clock carries its ladder with each step's rule and where the request stands on it.

import { ApiProperty } from '@nestjs/swagger';
import {
  CLOCK_KINDS,
  CLOSE_OUTCOMES,
  GERMAN_STATES,
  LADDER_STEPS,
  OFFENCE_CATEGORIES,
  PAUSE_REASONS,
  REPORTING_CHANNELS,
  SEVERITIES,
} from '@engine/domain';
import type {
  ClockKind,
  CloseOutcome,
  GermanState,
  LadderStep,
  OffenceCategory,
  PauseReason,
  PlatformResponse,
  ReportingChannel,
  RequestClock,
  Severity,
  TimeBasis,
} from '@engine/domain';
import { TIME_BASES } from '../../policies/dto/policy-version.dto';
import { ContentLocationDto } from './file-report.dto';
import { PLATFORM_RESPONSES, TriageActionsDto } from './report-actions.dto';

export const FILED_REPORT_STATUSES = ['in-triage', 'active', 'paused', 'closed'] as const;
export type FiledReportStatus = (typeof FILED_REPORT_STATUSES)[number];

const instant = (description?: string) => ApiProperty({ type: String, format: 'date-time', example: '2026-02-01T09:30:00.000Z', ...(description ? { description } : {}) });
const optionalText = (description?: string) => ApiProperty({ required: false, type: String, ...(description ? { description } : {}) });

export class ReportFactsDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ enum: REPORTING_CHANNELS })
  channel!: ReportingChannel;

  @ApiProperty({ type: () => [ContentLocationDto] })
  contentLocations!: ContentLocationDto[];

  @ApiProperty({ description: 'The reported text, as preserved.' })
  excerpt!: string;

  @ApiProperty({ example: 'sha256:9f86d081884c7d659a2feaa0c55ad015' })
  evidenceHash!: string;

  @instant('When the content was seen.')
  seenAt!: string;

  @ApiProperty({ description: "The reporter's own reference." })
  reporterReference!: string;

  @instant('When the report was filed.')
  filedAt!: string;
}

export class PolicyReferenceDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ description: 'The policy version whose deadlines the case follows: GET /api/policies/{platform}/versions.', example: 1 })
  version!: number;

  @ApiProperty({ required: false, enum: GERMAN_STATES, description: "Business time also skips this state's holidays." })
  holidayState?: GermanState;
}

export class AssessmentDto {
  @ApiProperty({ enum: OFFENCE_CATEGORIES })
  category!: OffenceCategory;

  @ApiProperty({ enum: SEVERITIES })
  severity!: Severity;

  @ApiProperty({
    type: () => TriageActionsDto,
    description: 'The actions chosen at triage (or the last re-triage): only these requests may be sent; another needs a re-triage first (409 request-not-chosen-at-triage).',
  })
  actions!: TriageActionsDto;
}

export const LADDER_STEP_PROGRESS = ['passed', 'current', 'ahead'] as const;

/** One step of a request's escalation ladder under the case's policy. */
export class LadderStepDto {
  @ApiProperty({ enum: LADDER_STEPS })
  step!: LadderStep;

  @ApiProperty({ description: 'How long this step waits for the platform (ISO 8601).', example: 'PT24H' })
  duration!: string;

  @ApiProperty({ enum: TIME_BASES })
  basis!: TimeBasis;

  @ApiProperty({ enum: LADDER_STEP_PROGRESS, description: 'passed: the request went past it; current: where it is (or stopped); ahead: not reached.' })
  progress!: (typeof LADDER_STEP_PROGRESS)[number];
}

export class PlatformAnswerDto {
  @ApiProperty({ enum: PLATFORM_RESPONSES })
  kind!: PlatformResponse;

  @optionalText("The platform's reason, for a refusal.")
  reason?: string;

  @instant('When the answer was recorded.')
  at!: string;

  @ApiProperty({ required: false, type: String, format: 'date-time', description: "When the platform's answer arrived, if recorded with it." })
  receivedAt?: string;

  @ApiProperty({ required: false, type: String, format: 'date-time', description: 'When the platform says it gave effect (removed, supplied), if it said so.' })
  effectGivenAt?: string;
}

export const CLOCK_STATUSES = ['running', 'answered', 'exhausted', 'cancelled'] as const satisfies readonly RequestClock['status'][];

/** One request to the platform and where it stands on its escalation ladder. */
export class RequestClockDto {
  @ApiProperty({ enum: CLOCK_KINDS })
  kind!: ClockKind;

  @ApiProperty({
    enum: CLOCK_STATUSES,
    description: 'running: waiting for the platform until deadline; answered; exhausted: the last step passed unanswered; cancelled: the case closed while it ran.',
  })
  status!: RequestClock['status'];

  @instant('When the request was sent.')
  requestedAt!: string;

  @ApiProperty({ enum: LADDER_STEPS, description: 'The ladder step the request is at.' })
  step!: LadderStep;

  @instant('When the current step began.')
  stepStartedAt!: string;

  @instant("The current step's deadline; while the case is paused it moves on resume by the time paused.")
  deadline!: string;

  @ApiProperty({ description: 'The case is paused: this clock does not run out.' })
  paused!: boolean;

  @ApiProperty({ description: 'Whether the request went past the standard contact (by deadline or by hand).' })
  escalated!: boolean;

  @ApiProperty({ required: false, type: () => PlatformAnswerDto })
  response?: PlatformAnswerDto;

  @ApiProperty({ required: false, enum: ['unverified', 'gone'], description: 'For a claimed removal: whether it was checked.' })
  removal?: 'unverified' | 'gone';

  @ApiProperty({ type: () => [LadderStepDto], description: "The ladder's steps in order, under the case's policy." })
  ladder!: LadderStepDto[];
}

export class RequestClocksDto implements Partial<Record<ClockKind, RequestClockDto>> {
  @ApiProperty({ required: false, type: () => RequestClockDto })
  deletion?: RequestClockDto;

  @ApiProperty({ required: false, type: () => RequestClockDto })
  'subscriber-data'?: RequestClockDto;
}

export class CaseNoteDto {
  @ApiProperty()
  text!: string;

  @ApiProperty({ example: 'sam' })
  author!: string;

  @instant()
  at!: string;
}

export class PauseStateDto {
  @ApiProperty({ enum: PAUSE_REASONS })
  reason!: PauseReason;

  @optionalText()
  note?: string;

  @instant()
  since!: string;
}

export class ClosureStateDto {
  @ApiProperty({ enum: CLOSE_OUTCOMES })
  outcome!: CloseOutcome;

  @optionalText()
  note?: string;

  @instant()
  at!: string;

  @optionalText('For a duplicate: the report it duplicates.')
  duplicateOf?: string;
}

export class ReportDetailDto {
  @ApiProperty({ enum: FILED_REPORT_STATUSES })
  status!: FiledReportStatus;

  @ApiProperty({ description: "The case's version: the number of events in its stream.", example: 3 })
  version!: number;

  @ApiProperty({ type: () => ReportFactsDto })
  report!: ReportFactsDto;

  @ApiProperty({ type: () => PolicyReferenceDto })
  policy!: PolicyReferenceDto;

  @ApiProperty({ required: false, type: () => AssessmentDto, description: 'Set once the report was triaged as actionable.' })
  assessment?: AssessmentDto;

  @ApiProperty({ type: () => RequestClocksDto, description: 'The requests sent to the platform, by kind.' })
  clocks!: RequestClocksDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The soonest deadline of a running request; null when none runs.' })
  nextDeadline!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Since when the case is overdue, or will be if nobody acts: the earliest deadline of a request waiting for the platform, including one that ran through its whole ladder unanswered. null in triage, paused, closed, or with no request waiting.',
  })
  overdueSince!: string | null;

  @optionalText('The username the case is assigned to.')
  assignee?: string;

  @optionalText('Set while the case is closed as a duplicate of another report.')
  duplicateOf?: string;

  @ApiProperty({ type: () => [CaseNoteDto] })
  notes!: CaseNoteDto[];

  @ApiProperty({ required: false, type: () => PauseStateDto, description: 'Set while the case is paused.' })
  pause?: PauseStateDto;

  @ApiProperty({ required: false, type: () => ClosureStateDto, description: 'Set while the case is closed.' })
  closure?: ClosureStateDto;
}
