// The API's enumerations as runtime lists, for selects and filters. Each list is checked against the generated
// schema both ways: a value the API does not know, or one it added, is a compile error here.

import type { ApiSchemas } from './client';

/** `allOf<Union>()([...])` accepts exactly the union's members (in the order given). */
const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : 'a value of the union is missing')) =>
    values;

type Detail = ApiSchemas['ReportDetailDto'];
type Assessment = ApiSchemas['AssessmentDto'];

export type ReportStatus = Detail['status'];
export type Severity = Assessment['severity'];
export type Category = Assessment['category'];
export type ClockKind = ApiSchemas['RequestClockDto']['kind'];
export type LadderStep = ApiSchemas['RequestClockDto']['step'];
export type ReportingChannel = ApiSchemas['FileReportDto']['channel'];
export type PauseReason = ApiSchemas['PauseDto']['reason'];
export type CloseOutcome = ApiSchemas['ClosureDto']['outcome'];
export type PlatformAnswer = ApiSchemas['PlatformResponseDto']['response'];

export const STATUSES = allOf<ReportStatus>()(['in-triage', 'active', 'paused', 'closed']);
export const SEVERITIES = allOf<Severity>()(['critical', 'high', 'standard']);
export const CATEGORIES = allOf<Category>()(['threat', 'insult', 'public-incitement', 'incitement-of-the-people', 'call-to-murder', 'other']);
export const CLOCK_KINDS = allOf<ClockKind>()(['deletion', 'subscriber-data']);
export const REPORTING_CHANNELS = allOf<ReportingChannel>()(['citizen-portal', 'partner-organisation', 'state-police', 'other']);
export const PAUSE_REASONS = allOf<PauseReason>()(['awaiting-prosecutor', 'awaiting-court-order', 'platform-asked-for-clarification', 'other']);
export const CLOSE_OUTCOMES = allOf<CloseOutcome>()([
  'removed',
  'removed-after-escalation',
  'refused-and-referred-to-prosecution',
  'dismissed',
  'duplicate',
  'withdrawn',
  'unresolved',
]);
/** Which answers fit which request (the domain refuses the others). */
export const ANSWERS_BY_CLOCK: Record<ClockKind, readonly PlatformAnswer[]> = {
  deletion: ['removed', 'partially-removed', 'refused'],
  'subscriber-data': ['data-supplied', 'data-refused'],
};
