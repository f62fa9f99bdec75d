// Where lifecycle events are published and how they are labelled (CloudEvents binary mode over Kafka).

/** One versioned topic per aggregate; the message key is the report id, so a report's events stay in order. */
export const REPORTS_TOPIC = 'reports.lifecycle.v1';

/**
 * Formerly the projector's consumer group: the projector now reads the event store, not the topic. Still a name
 * the stand-in broker keeps the read-only user out of, so no integrator's group takes it.
 */
export const PROJECTOR_GROUP_ID = 'report-read-model';

/** `ce_source` of every event the engine publishes. */
export const CLOUDEVENTS_SOURCE = 'urn:report-escalation-engine:reports';
export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const CONTENT_TYPE = 'application/json';
/** Optional header: the W3C Trace Context (`traceparent`) of the publish, present when the engine traces. */
export const TRACE_PARENT_HEADER = 'traceparent';
/**
 * Header (a CloudEvents extension attribute) carrying the event's hash in its report's hash chain, so that whoever
 * keeps the published events holds an anchor of the store outside its database (see libs/event-store).
 */
export const CHAIN_HASH_HEADER = 'ce_chainhash';

/** `ce_type` of an event: its type and schema version, for example `report.ReportFiled.v1`. */
export function cloudEventType(type: string, schemaVersion: number): string {
  return `report.${type}.v${schemaVersion}`;
}

/** Workflow ids, shared by the API's client and the workflows; each workflow's event stream has the same id. */
export const reportWorkflowId = (reportId: string): string => `report-${reportId}`;
export const platformDossierWorkflowId = (platform: string): string => `platform-${platform}`;

/** Event-store streams: a report's, a platform's dossier, a platform's policy history, the platform registry. */
export const reportStreamId = reportWorkflowId;
export const platformDossierStreamId = platformDossierWorkflowId;
export const policyStreamId = (platform: string): string => `policy-${platform}`;
/** The registry of known platforms: one stream (not `platform-…`, which is a dossier's). */
export const platformRegistryStreamId = 'platforms';

/** The id of a stream's event at a version, for streams other than a report's (see `reportEventId`). */
export const streamEventId = (streamId: string, version: number): string => `${streamId}:${version}`;
