// A case as it was at an earlier point of its history: a prefix of its events folded with the domain's `evolve`.

import { toMillis } from '../time/instant';
import { ReportEvent } from './events';
import { evolve } from './evolve';
import { initialState, ReportState } from './state';

/** Where to stop: after the event with this stream version, or after the last event that occurred by this instant. */
export type ReplayPoint = { atVersion: number } | { at: string };

export interface ReplayedReport {
  state: ReportState;
  /** The stream version folded to (the state's version). */
  version: number;
  /** When the last folded event occurred (its metadata's `now`). */
  occurredAt: string;
  /** How many events the stream holds now. */
  latestVersion: number;
}

/**
 * The case as `events` (a whole stream, oldest first) made it up to `point`; undefined when the point lies before
 * the first event or past the stream's end. By instant it folds the longest prefix whose events all occurred by
 * then: a later event never shows through an earlier one whose clock ran ahead.
 */
export function replayReport(events: readonly ReportEvent[], point: ReplayPoint): ReplayedReport | undefined {
  const count = 'atVersion' in point ? point.atVersion : prefixUntil(events, toMillis(point.at));
  if (!Number.isInteger(count) || count < 1 || count > events.length) return undefined;
  let state: ReportState = initialState();
  for (let index = 0; index < count; index++) state = evolve(state, events[index]);
  return { state, version: count, occurredAt: events[count - 1].metadata.now, latestVersion: events.length };
}

function prefixUntil(events: readonly ReportEvent[], atMs: number): number {
  let count = 0;
  while (count < events.length && toMillis(events[count].metadata.now) <= atMs) count++;
  return count;
}
