// What a third party may see of a report's history when the dossier goes to the app stores: the content, what was
// asked of the platform and when, and how it answered. Not the staff's notes, assignments, the reporter's
// reference, the staff's reasons for a correction, or our internal policy. An allow-list: a new event type or
// field stays internal until it is listed here.

import { ReportEvent } from '../report/events';

type DataField<T extends ReportEvent['type']> = Extract<keyof Extract<ReportEvent, { type: T }>['data'], string>;

/** Per event type, the fields of its data the app stores see; a type not listed is not shown at all. */
export const SHOWN_TO_APP_STORES: { readonly [T in ReportEvent['type']]?: readonly DataField<T>[] } = {
  ReportFiled: ['platform', 'contentLocations', 'excerpt', 'evidenceHash', 'seenAt'],
  ReportTriaged: ['category', 'severity'],
  // The corrected assessment and the deadlines it moved; the staff's reason stays internal.
  ReportRetriaged: ['category', 'severity', 'deadlines'],
  DeletionRequested: ['deadline'],
  SubscriberDataRequested: ['deadline'],
  DeadlineElapsed: ['clock', 'step', 'deadline'],
  RequestEscalated: ['clock', 'from', 'to', 'deadline'],
  EscalationLadderExhausted: ['clock'],
  PlatformResponseRecorded: ['clock', 'response', 'reason', 'receivedAt', 'effectGivenAt'],
  RemovalContradicted: ['step', 'deadline'],
};

/** One event of a report's history as the app stores see it. */
export interface DisclosedEvent {
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/**
 * A report's stored history as the app stores see it, oldest first: the allowed events with their allowed fields.
 * Typed loosely (as read back from the store), so an event of an unknown type is simply not shown.
 */
export function disclosedToAppStores(history: readonly { type: string; data: Readonly<Record<string, unknown>>; at: string }[]): DisclosedEvent[] {
  return history.flatMap(({ type, data, at }) => {
    const shown = (SHOWN_TO_APP_STORES as Partial<Record<string, readonly string[]>>)[type];
    if (!shown) return [];
    return [{ type, at, data: Object.fromEntries(shown.filter((field) => field in data).map((field) => [field, data[field]])) }];
  });
}
