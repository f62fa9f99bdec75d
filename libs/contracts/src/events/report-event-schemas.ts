// JSON Schemas (draft 2020-12) of every report event's data, version 1, and of the message around it.
// Enumerations come from libs/domain, so the contract cannot drift from the model.

import {
  CLOCK_KINDS,
  CLOSE_OUTCOMES,
  DELETION_RESPONSES,
  GERMAN_STATES,
  LADDER_STEPS,
  OFFENCE_CATEGORIES,
  PAUSE_REASONS,
  REPORTING_CHANNELS,
  ReportEventType,
  SEVERITIES,
  SUBSCRIBER_DATA_RESPONSES,
} from '@engine/domain';

export type JsonSchema = { [key: string]: unknown };

const text: JsonSchema = { type: 'string', minLength: 1 };
const instant: JsonSchema = { type: 'string', format: 'date-time' };
const oneOf = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const step = oneOf(LADDER_STEPS);
const clock = oneOf(CLOCK_KINDS);

const stepRule = object({ duration: { type: 'string', pattern: '^P' }, basis: oneOf(['calendar', 'business']) });
const ladder = object(Object.fromEntries(LADDER_STEPS.map((s) => [s, stepRule])));
const clocks = object(Object.fromEntries(CLOCK_KINDS.map((c) => [c, ladder])));

export const escalationPolicySchema: JsonSchema = object(
  {
    platform: text,
    version: { type: 'integer', minimum: 1 },
    rules: object(Object.fromEntries(SEVERITIES.map((s) => [s, clocks]))),
    holidayState: oneOf(GERMAN_STATES),
  },
  ['platform', 'version', 'rules'],
);

const deadlineChange = object({ clock, step, previousDeadline: instant, deadline: instant });

const assessment = object({
  category: oneOf(OFFENCE_CATEGORIES),
  severity: oneOf(SEVERITIES),
  actions: object({ deletionRequest: { type: 'boolean' }, subscriberDataRequest: { type: 'boolean' }, referToProsecution: { type: 'boolean' } }),
});

const contentLocation: JsonSchema = {
  ...object({ url: text, channel: text, messageIds: { type: 'array', items: text } }, []),
  anyOf: [{ required: ['url'] }, { required: ['channel'] }],
};

function platformResponseRecorded(added: Record<string, JsonSchema>): JsonSchema {
  return {
    oneOf: [
      object({ clock: { const: 'deletion' }, response: oneOf(DELETION_RESPONSES), reason: text, step, ...added }, ['clock', 'response', 'step']),
      object({ clock: { const: 'subscriber-data' }, response: oneOf(SUBSCRIBER_DATA_RESPONSES), reason: text, step, ...added }, ['clock', 'response', 'step']),
    ],
  };
}

/** The `data` of each event type. A `Record` over the type union, so a new event cannot go without a schema. */
export const reportEventDataSchemas: Record<ReportEventType, JsonSchema> = {
  ReportFiled: object({
    reportId: text,
    platform: text,
    channel: oneOf(REPORTING_CHANNELS),
    contentLocations: { type: 'array', minItems: 1, items: contentLocation },
    excerpt: text,
    evidenceHash: text,
    seenAt: instant,
    reporterReference: text,
    policy: escalationPolicySchema,
  }),
  ReportTriaged: assessment,
  ReportRetriaged: object({
    ...(assessment.properties as Record<string, JsonSchema>),
    reason: text,
    previous: assessment,
    deadlines: { type: 'array', items: deadlineChange },
  }),
  ReportDismissed: object({ reason: text }),
  DeletionRequested: object({ step, deadline: instant, policyVersion: { type: 'integer', minimum: 1 } }),
  SubscriberDataRequested: object({ step, deadline: instant, policyVersion: { type: 'integer', minimum: 1 } }),
  PlatformResponseRecorded: platformResponseRecorded({}),
  RemovalConfirmed: object({}),
  RemovalContradicted: object({ step, deadline: instant }),
  DeadlineElapsed: object({ clock, step, deadline: instant }),
  RequestEscalated: object(
    { clock, from: step, to: step, trigger: oneOf(['deadline', 'staff']), reason: text, deadline: instant },
    ['clock', 'from', 'to', 'trigger', 'deadline'],
  ),
  EscalationLadderExhausted: object({ clock }),
  CasePaused: object({ reason: oneOf(PAUSE_REASONS), note: text }, ['reason']),
  CaseResumed: object({ pausedForMs: { type: 'integer', minimum: 0 }, deadlines: { type: 'array', items: deadlineChange } }),
  CaseAssigned: object({ assignee: text, previousAssignee: text }, ['assignee']),
  NoteAdded: object({ text }),
  ReportMarkedDuplicate: object({ duplicateOf: text }),
  ReportClosed: object({ outcome: oneOf(CLOSE_OUTCOMES), note: text }, ['outcome']),
  ReportReopened: object({ reason: text }),
  PolicyApplied: object({
    policy: escalationPolicySchema,
    previousVersion: { type: 'integer', minimum: 1 },
    reason: text,
    deadlines: { type: 'array', items: deadlineChange },
  }),
};

/**
 * Later versions of an event type's data. A version adds what the one before lacks; every event is stored (and
 * published, `ce_type` `report.<Type>.v<n>`) in the lowest version whose schema it fits, so a consumer of the older
 * version keeps reading every event that needs nothing new.
 */
export const LATER_REPORT_EVENT_DATA_SCHEMAS: { readonly [T in ReportEventType]?: { readonly [version: number]: JsonSchema } } = {
  // v2: the platform's information on the effect given (when its answer arrived, when it gave effect).
  PlatformResponseRecorded: { 2: platformResponseRecorded({ receivedAt: instant, effectGivenAt: instant }) },
};

/** The schema version an event is stored and published in: the lowest whose data schema holds its fields. */
export function reportEventSchemaVersion(event: { type: string; data: object }): number {
  if (event.type === 'PlatformResponseRecorded' && ('receivedAt' in event.data || 'effectGivenAt' in event.data)) return 2;
  return 1;
}

/** Every (type, version) the contract describes. */
export function reportEventSchemaVersions(): { type: ReportEventType; version: number }[] {
  return REPORT_EVENT_TYPES.flatMap((type) => [
    { type, version: 1 },
    ...Object.keys(LATER_REPORT_EVENT_DATA_SCHEMAS[type] ?? {}).map((version) => ({ type, version: Number(version) })),
  ]);
}

export const metadataSchema: JsonSchema = object({ actor: text, now: instant, correlationId: text }, ['actor', 'now']);

/** The whole message value for one event type, as published on the lifecycle topic. */
export function reportLifecycleMessageSchema(type: ReportEventType, version = 1): JsonSchema {
  const data = version === 1 ? reportEventDataSchemas[type] : LATER_REPORT_EVENT_DATA_SCHEMAS[type]?.[version];
  if (!data) throw new Error(`No schema version ${version} of ${type}`);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:report-escalation-engine:schemas:${type}:v${version}`,
    title: version === 1 ? type : `${type} v${version}`,
    ...object({
      eventId: { type: 'string', pattern: '^.+:[1-9][0-9]*$' },
      type: { const: type },
      schemaVersion: { const: version },
      reportId: text,
      streamVersion: { type: 'integer', minimum: 1 },
      data,
      metadata: metadataSchema,
      recordedAt: instant,
    }),
  };
}

export const REPORT_EVENT_TYPES = Object.keys(reportEventDataSchemas) as ReportEventType[];
