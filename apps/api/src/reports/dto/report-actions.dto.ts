// Bodies of the back-office actions, one class per route, mirroring the domain's command data.

import {
  CLOCK_KINDS,
  ClockKind,
  CLOSE_OUTCOMES,
  CloseOutcome,
  DELETION_RESPONSES,
  OFFENCE_CATEGORIES,
  OffenceCategory,
  PAUSE_REASONS,
  PauseReason,
  PlatformResponse,
  REMOVAL_CHECKS,
  RemovalCheck,
  SEVERITIES,
  Severity,
  SUBSCRIBER_DATA_RESPONSES,
} from '@engine/domain';
import type { ReportActionType } from '../../../../../workflows/report-lifecycle.messages';
import {
  BooleanProperty,
  EnumProperty,
  InstantProperty,
  NestedProperty,
  OnlyWhen,
  ReportIdProperty,
  TextProperty,
} from '../../common/validation';

export class TriageActionsDto {
  @BooleanProperty()
  deletionRequest!: boolean;

  @BooleanProperty()
  subscriberDataRequest!: boolean;

  @BooleanProperty()
  referToProsecution!: boolean;
}

export const TRIAGE_DECISIONS = ['dismiss', 'actionable'] as const;

/** `dismiss` with a reason, or `actionable` with category, severity and the actions to take. */
export class TriageDto {
  @EnumProperty(TRIAGE_DECISIONS)
  decision!: (typeof TRIAGE_DECISIONS)[number];

  @OnlyWhen('decision', 'dismiss')
  @TextProperty({ description: 'Why the report is not actionable.' })
  reason?: string;

  @OnlyWhen('decision', 'actionable')
  @EnumProperty(OFFENCE_CATEGORIES)
  category?: OffenceCategory;

  @OnlyWhen('decision', 'actionable')
  @EnumProperty(SEVERITIES)
  severity?: Severity;

  @OnlyWhen('decision', 'actionable')
  @NestedProperty(() => TriageActionsDto)
  actions?: TriageActionsDto;
}

/** Corrects a triaged case's assessment; the reason is kept with the change. */
export class RetriageDto {
  @EnumProperty(OFFENCE_CATEGORIES)
  category!: OffenceCategory;

  @EnumProperty(SEVERITIES, { description: "A new severity recomputes the waiting requests' deadlines from their step's start." })
  severity!: Severity;

  @NestedProperty(() => TriageActionsDto)
  actions!: TriageActionsDto;

  @TextProperty({ description: 'Why the assessment changes.' })
  reason!: string;
}

/** Sending a request to the platform needs nothing but the case; any field sent is refused. */
export class NoFieldsDto {}

export const PLATFORM_RESPONSES = [...DELETION_RESPONSES, ...SUBSCRIBER_DATA_RESPONSES] as const;

export class PlatformResponseDto {
  @EnumProperty(CLOCK_KINDS, { description: 'Which request the platform answered.' })
  clock!: ClockKind;

  @EnumProperty(PLATFORM_RESPONSES)
  response!: PlatformResponse;

  @TextProperty({ optional: true, description: "The platform's reason (required by the domain for a refusal)." })
  reason?: string;

  @InstantProperty({ optional: true, description: "When the platform's answer arrived; default: now. Not later than now, not before the request was sent." })
  receivedAt?: string;

  @InstantProperty({ optional: true, description: 'When the platform says it gave effect (removed the content, supplied the data): its information under Art. 9(1)/10(1) DSA. Not with a refusal; not after the answer arrived.' })
  effectGivenAt?: string;
}

export class RemovalVerificationDto {
  @EnumProperty(REMOVAL_CHECKS)
  result!: RemovalCheck;
}

export class EscalationDto {
  @EnumProperty(CLOCK_KINDS)
  clock!: ClockKind;

  @TextProperty()
  reason!: string;
}

export class PauseDto {
  @EnumProperty(PAUSE_REASONS)
  reason!: PauseReason;

  @TextProperty({ optional: true })
  note?: string;
}

export class AssignmentDto {
  @TextProperty({ maxLength: 200, description: 'The username the case is assigned to.' })
  assignee!: string;
}

export class NoteDto {
  @TextProperty({ maxLength: 10_000 })
  text!: string;
}

export class ClosureDto {
  @EnumProperty(CLOSE_OUTCOMES)
  outcome!: CloseOutcome;

  @TextProperty({ optional: true })
  note?: string;
}

export class ReopeningDto {
  @TextProperty()
  reason!: string;
}

export class DuplicateDto {
  @ReportIdProperty({ description: 'The report this one duplicates.' })
  duplicateOf!: string;
}

/**
 * Each action route (`POST /api/reports/:id/<route>`, `POST /api/reports/bulk/<route>`): its command, its body
 * and an example body (published in the OpenAPI document; a spec checks it against the body's schema).
 */
export const REPORT_ACTION_ROUTES = {
  triage: {
    type: 'TriageReport',
    body: TriageDto,
    example: { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } },
  },
  retriage: {
    type: 'RetriageReport',
    body: RetriageDto,
    example: { category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true }, reason: 'The prosecutor wants the subscriber data too' },
  },
  'deletion-request': { type: 'RequestDeletion', body: NoFieldsDto, example: {} },
  'data-request': { type: 'RequestSubscriberData', body: NoFieldsDto, example: {} },
  'platform-response': { type: 'RecordPlatformResponse', body: PlatformResponseDto, example: { clock: 'deletion', response: 'removed' } },
  'removal-verification': { type: 'VerifyRemoval', body: RemovalVerificationDto, example: { result: 'gone' } },
  escalation: { type: 'Escalate', body: EscalationDto, example: { clock: 'deletion', reason: 'No answer by phone either' } },
  pause: { type: 'PauseCase', body: PauseDto, example: { reason: 'awaiting-prosecutor', note: 'Prosecutor asked us to hold' } },
  resume: { type: 'ResumeCase', body: NoFieldsDto, example: {} },
  assignment: { type: 'AssignCase', body: AssignmentDto, example: { assignee: 'sam' } },
  notes: { type: 'AddNote', body: NoteDto, example: { text: 'Called the platform; they promised an answer today.' } },
  closure: { type: 'CloseCase', body: ClosureDto, example: { outcome: 'removed', note: 'Checked twice' } },
  reopening: { type: 'ReopenCase', body: ReopeningDto, example: { reason: 'The content is back online' } },
  duplicate: { type: 'MarkDuplicate', body: DuplicateDto, example: { duplicateOf: 'R-20260201-3f9a1c07' } },
} as const satisfies Record<string, { type: ReportActionType; body: new () => object; example: object }>;

export type ReportActionRoute = keyof typeof REPORT_ACTION_ROUTES;
export const REPORT_ACTION_ROUTE_NAMES = Object.keys(REPORT_ACTION_ROUTES) as ReportActionRoute[];
