// The AsyncAPI 3.0 description of the lifecycle topic, built from the event schemas so the two agree.

import { reportEventSchemaVersions, reportLifecycleMessageSchema } from './events/report-event-schemas';
import { CHAIN_HASH_HEADER, CLOUDEVENTS_SOURCE, CLOUDEVENTS_SPEC_VERSION, cloudEventType, CONTENT_TYPE, REPORTS_TOPIC, TRACE_PARENT_HEADER } from './topics';

export function asyncApiDocument(): Record<string, unknown> {
  // v1 of each type under its name; a later version as <Type>V<n> (ce_type tells them apart on the wire).
  const versions = reportEventSchemaVersions().map(({ type, version }) => ({ type, version, key: version === 1 ? type : `${type}V${version}` }));
  const messages = Object.fromEntries(
    versions.map(({ type, version, key }) => [
      key,
      {
        name: key,
        title: version === 1 ? type : `${type} (version ${version})`,
        contentType: CONTENT_TYPE,
        headers: {
          type: 'object',
          required: ['ce_id', 'ce_type', 'ce_source', 'ce_specversion', 'ce_time', 'ce_subject', 'content-type', CHAIN_HASH_HEADER],
          properties: {
            ce_id: { type: 'string', description: 'The event id, `<reportId>:<streamVersion>`; drop duplicates by it.' },
            ce_type: { const: cloudEventType(type, version) },
            ce_source: { const: CLOUDEVENTS_SOURCE },
            ce_specversion: { const: CLOUDEVENTS_SPEC_VERSION },
            ce_time: { type: 'string', format: 'date-time' },
            ce_subject: { type: 'string', description: 'The report id (also the message key).' },
            'content-type': { const: CONTENT_TYPE },
            [CHAIN_HASH_HEADER]: {
              type: 'string',
              pattern: '^[0-9a-f]{64}$',
              description:
                "The event's hash in its report's hash chain: hex sha256 of the previous event's hash (64 zeros " +
                'before streamVersion 1) followed by the canonical JSON of {streamId: "report-" + reportId, version: ' +
                'streamVersion, eventId, type, schemaVersion, data, metadata}: no whitespace, keys sorted by UTF-16 code ' +
                'units at every level, strings and numbers as JSON.stringify writes them. A consumer can recompute the ' +
                'chain from the messages; one that keeps the hashes would notice if the stored history were ever rewritten.',
            },
            [TRACE_PARENT_HEADER]: {
              type: 'string',
              pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
              description:
                'Optional, when the engine traces (OpenTelemetry): the W3C Trace Context of the publish, whose trace ' +
                'began with the action that caused the event. A consumer may continue it; nothing else depends on it.',
            },
          },
        },
        payload: reportLifecycleMessageSchema(type, version),
        bindings: { kafka: { key: { type: 'string', description: 'The report id' }, bindingVersion: '0.5.0' } },
      },
    ]),
  );
  const refs = Object.fromEntries(versions.map(({ key }) => [key, { $ref: `#/components/messages/${key}` }]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Report escalation engine: report lifecycle events',
      version: '1.0.0',
      description:
        'Every event of every report, in order per report (key = report id), exactly once per event id. ' +
        'CloudEvents binary content mode: the ce_* headers carry the attributes, the value is the event as JSON.',
    },
    channels: {
      reportsLifecycle: { address: REPORTS_TOPIC, messages: refs },
    },
    operations: {
      receiveReportLifecycleEvents: {
        action: 'receive',
        channel: { $ref: '#/channels/reportsLifecycle' },
        messages: versions.map(({ key }) => ({ $ref: `#/channels/reportsLifecycle/messages/${key}` })),
      },
    },
    components: { messages },
  };
}
