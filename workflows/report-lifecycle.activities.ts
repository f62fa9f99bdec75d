// The activities a report's workflow calls: their shape only. The worker app implements them.

import type { PlatformMessage, ReportEvent, ReportState } from '@engine/domain';

export interface AppendReportEvents {
  reportId: string;
  /** The stream's version before these events; the store refuses a different one. */
  expectedVersion: number;
  events: ReportEvent[];
  /** ISO instant after which the events must not be stored any more (an action with a time limit). */
  storeBefore?: string;
}

/** What a message to the platform holds: the domain's (see `reportEffects`). */
export type { PlatformMessage, PlatformMessageKind } from '@engine/domain';

/** Writes to our own event store: fast and local. */
export interface EventStoreActivities {
  appendReportEvents(input: AppendReportEvents): Promise<void>;
  /** The case as its stream has it (empty for a new case): what a fresh run, not a continued one, starts from. */
  loadReportStream(input: { reportId: string }): Promise<{ state: ReportState; version: number }>;
}

/** Reaches outside systems: the platform's contacts and the platform's app-store dossier. */
export interface OutboundActivities {
  contactPlatform(message: PlatformMessage): Promise<void>;
  joinAppStoreDossier(input: { platform: string; reportId: string; actor: string }): Promise<void>;
  /** Takes an answered or closed report out of its platform's dossier before it is filed (nothing if none runs). */
  leaveAppStoreDossier(input: { platform: string; reportId: string; actor: string; reason: 'answered' | 'closed' }): Promise<void>;
}

export type ReportLifecycleActivities = EventStoreActivities & OutboundActivities;
