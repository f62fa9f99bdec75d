// The file-a-report form's values, their check as POST /api/reports checks them (apps/api/src/reports/dto/
// file-report.dto.ts), and the body they make.

import type { ApiSchemas } from '../../api/client';
import type { ReportingChannel } from '../../api/vocabulary';

export interface LocationValues {
  url: string;
  channel: string;
  /** Comma-separated. */
  messageIds: string;
}

export interface ReportValues {
  reportId: string;
  platform: string;
  channel: ReportingChannel | '';
  contentLocations: LocationValues[];
  excerpt: string;
  evidenceHash: string;
  /** As an <input type="datetime-local"> gives it: local time without a zone. */
  seenAt: string;
  reporterReference: string;
}

export type ReportProblem =
  | 'required'
  | 'blank'
  | 'platform'
  | 'report-id'
  | 'url'
  | 'location'
  | 'no-location'
  | 'evidence-hash'
  | 'seen-at'
  | 'message-ids'
  | { tooLong: number };

/** Field path (`contentLocations.0.url`) → problem. */
export type ReportErrors = Record<string, ReportProblem>;

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** A platform's name as the API takes it (libs/domain/src/platform/platform-registry.ts PLATFORM_NAME_PATTERN). */
export const PLATFORM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EVIDENCE_HASH = /^[a-z0-9-]{2,20}:[A-Za-z0-9+/=_-]{8,256}$/;

export function emptyLocation(): LocationValues {
  return { url: '', channel: '', messageIds: '' };
}

export function emptyReport(): ReportValues {
  return { reportId: '', platform: '', channel: '', contentLocations: [emptyLocation()], excerpt: '', evidenceHash: '', seenAt: '', reporterReference: '' };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

const splitIds = (text: string) => text.split(',').map((id) => id.trim());

/** The local date and time of a datetime-local input as an instant, or undefined when it is not one. */
export function localToInstant(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function validateReport(values: ReportValues): ReportErrors {
  const errors: ReportErrors = {};
  const text = (field: 'excerpt' | 'reporterReference', max: number) => {
    const value = values[field];
    if (value === '') errors[field] = 'required';
    else if (!value.trim()) errors[field] = 'blank';
    else if (value.length > max) errors[field] = { tooLong: max };
  };
  if (values.reportId !== '' && !REPORT_ID.test(values.reportId)) errors.reportId = 'report-id';
  if (values.platform === '') errors.platform = 'required';
  else if (!PLATFORM.test(values.platform)) errors.platform = 'platform';
  if (values.channel === '') errors.channel = 'required';
  if (values.contentLocations.length === 0) errors.contentLocations = 'no-location';
  values.contentLocations.forEach((location, index) => {
    const at = `contentLocations.${index}`;
    const url = location.url.trim();
    const channel = location.channel.trim();
    if (!url && !channel) errors[`${at}.url`] = 'location';
    if (url && !isHttpUrl(url)) errors[`${at}.url`] = 'url';
    else if (url.length > 2048) errors[`${at}.url`] = { tooLong: 2048 };
    if (channel.length > 500) errors[`${at}.channel`] = { tooLong: 500 };
    if (location.messageIds.trim()) {
      const ids = splitIds(location.messageIds);
      if (ids.some((id) => !id)) errors[`${at}.messageIds`] = 'message-ids';
      else if (ids.some((id) => id.length > 200)) errors[`${at}.messageIds`] = { tooLong: 200 };
    }
  });
  text('excerpt', 10_000);
  if (values.evidenceHash === '') errors.evidenceHash = 'required';
  else if (!EVIDENCE_HASH.test(values.evidenceHash.trim())) errors.evidenceHash = 'evidence-hash';
  if (values.seenAt === '') errors.seenAt = 'required';
  else if (!localToInstant(values.seenAt)) errors.seenAt = 'seen-at';
  text('reporterReference', 200);
  return errors;
}

/** The body of POST /api/reports. Call after validateReport found nothing. */
export function reportBody(values: ReportValues): ApiSchemas['FileReportDto'] {
  return {
    ...(values.reportId ? { reportId: values.reportId } : {}),
    platform: values.platform.trim(),
    channel: values.channel as ReportingChannel,
    contentLocations: values.contentLocations.map((location) => ({
      ...(location.url.trim() ? { url: location.url.trim() } : {}),
      ...(location.channel.trim() ? { channel: location.channel.trim() } : {}),
      ...(location.messageIds.trim() ? { messageIds: splitIds(location.messageIds) } : {}),
    })),
    excerpt: values.excerpt,
    evidenceHash: values.evidenceHash.trim(),
    seenAt: localToInstant(values.seenAt)!,
    reporterReference: values.reporterReference.trim(),
  };
}
