// The value of a message on the lifecycle topic: one stored event of one report's stream.

import { ReportEvent } from '@engine/domain';

export const REPORT_EVENT_SCHEMA_VERSION = 1;

export type ReportLifecycleMessage<E extends ReportEvent = ReportEvent> = {
  /** Stable and unique: `<reportId>:<streamVersion>`. Consumers drop a message whose id they have seen. */
  eventId: string;
  type: E['type'];
  schemaVersion: number;
  reportId: string;
  /** 1 for the report's first event, then +1 per event: the order within the report. */
  streamVersion: number;
  data: E['data'];
  metadata: E['metadata'];
  /** When the event store recorded the event. */
  recordedAt: string;
};

/** Deterministic, so that a retried append or publish can never create a second event. */
export function reportEventId(reportId: string, streamVersion: number): string {
  return `${reportId}:${streamVersion}`;
}
