// The words of a report's lifecycle that commands, events and state share.

export const REPORTING_CHANNELS = ['citizen-portal', 'partner-organisation', 'state-police', 'other'] as const;
export type ReportingChannel = (typeof REPORTING_CHANNELS)[number];

/** Where the content is: a URL, or a channel/group with message ids, or both. */
export interface ContentLocation {
  url?: string;
  channel?: string;
  messageIds?: string[];
}

/** What a report says about the content, as the reporting channel submitted it. */
export interface ReportFacts {
  reportId: string;
  platform: string;
  channel: ReportingChannel;
  contentLocations: ContentLocation[];
  excerpt: string;
  /** Hash of the preserved evidence (for example `sha256:…`). */
  evidenceHash: string;
  seenAt: string;
  reporterReference: string;
}

export const OFFENCE_CATEGORIES = [
  'threat',              // § 241 StGB
  'insult',              // § 185 StGB
  'public-incitement',   // § 111 StGB
  'incitement-of-the-people', // § 130 StGB
  'call-to-murder',
  'other',
] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

export interface TriageActions {
  deletionRequest: boolean;
  subscriberDataRequest: boolean;
  referToProsecution: boolean;
}

export const DELETION_RESPONSES = ['removed', 'partially-removed', 'refused'] as const;
export type DeletionResponse = (typeof DELETION_RESPONSES)[number];
export const SUBSCRIBER_DATA_RESPONSES = ['data-supplied', 'data-refused'] as const;
export type SubscriberDataResponse = (typeof SUBSCRIBER_DATA_RESPONSES)[number];
export type PlatformResponse = DeletionResponse | SubscriberDataResponse;

export const PAUSE_REASONS = [
  'awaiting-prosecutor',
  'awaiting-court-order',
  'platform-asked-for-clarification',
  'other',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const CLOSE_OUTCOMES = [
  'removed',
  'removed-after-escalation',
  'refused-and-referred-to-prosecution',
  'dismissed',
  'duplicate',
  'withdrawn',
  'unresolved',
] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const REMOVAL_CHECKS = ['gone', 'still-online'] as const;
export type RemovalCheck = (typeof REMOVAL_CHECKS)[number];
