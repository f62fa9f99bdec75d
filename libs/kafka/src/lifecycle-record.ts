// How a stored report event becomes a Kafka record: key = report id, value = the event as JSON,
// CloudEvents binary-mode headers. The inverse is what consumers (our projector included) use.

import {
  CHAIN_HASH_HEADER,
  CLOUDEVENTS_SOURCE,
  CLOUDEVENTS_SPEC_VERSION,
  cloudEventType,
  CONTENT_TYPE,
  TRACE_PARENT_HEADER,
  REPORT_EVENT_TYPES,
  ReportLifecycleMessage,
} from '@engine/contracts';
import type { StoredEvent } from '@engine/event-store';

export const REPORT_STREAM_PREFIX = 'report-';

export interface LifecycleRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
  /** Epoch ms as a string, as kafkajs takes it: when the event was recorded. */
  timestamp: string;
}

export function reportIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(REPORT_STREAM_PREFIX) ? streamId.slice(REPORT_STREAM_PREFIX.length) : undefined;
}

export function toLifecycleMessage(event: StoredEvent): ReportLifecycleMessage {
  const reportId = reportIdOfStream(event.streamId);
  if (reportId === undefined) throw new Error(`stream ${event.streamId} is not a report's stream`);
  return {
    eventId: event.eventId,
    type: event.type as ReportLifecycleMessage['type'],
    schemaVersion: event.schemaVersion,
    reportId,
    streamVersion: event.version,
    data: event.data as ReportLifecycleMessage['data'],
    metadata: event.metadata as unknown as ReportLifecycleMessage['metadata'],
    recordedAt: event.recordedAt,
  };
}

/** `traceParent`: the W3C trace context of the publish, sent as the optional `traceparent` header. */
export function toLifecycleRecord(event: StoredEvent, traceParent?: string): LifecycleRecord {
  const message = toLifecycleMessage(event);
  return {
    key: message.reportId,
    value: JSON.stringify(message),
    headers: {
      ce_id: message.eventId,
      ce_type: cloudEventType(message.type, message.schemaVersion),
      ce_source: CLOUDEVENTS_SOURCE,
      ce_specversion: CLOUDEVENTS_SPEC_VERSION,
      ce_time: message.recordedAt,
      ce_subject: message.reportId,
      'content-type': CONTENT_TYPE,
      [CHAIN_HASH_HEADER]: event.hash,
      ...(traceParent && { [TRACE_PARENT_HEADER]: traceParent }),
    },
    timestamp: String(Date.parse(message.recordedAt)),
  };
}

const KNOWN_TYPES = new Set<string>(REPORT_EVENT_TYPES);

/** Parses a record's value; refuses anything that is not a lifecycle message this version understands. */
export function parseLifecycleMessage(value: Buffer | string | null): ReportLifecycleMessage {
  if (value === null) throw new Error('record has no value');
  const parsed = JSON.parse(value.toString()) as Partial<ReportLifecycleMessage>;
  if (typeof parsed.eventId !== 'string' || typeof parsed.reportId !== 'string' || !Number.isInteger(parsed.streamVersion)) {
    throw new Error('record is not a report lifecycle message');
  }
  if (!KNOWN_TYPES.has(parsed.type as string)) throw new Error(`unknown event type ${String(parsed.type)}`);
  return parsed as ReportLifecycleMessage;
}
