// Retrying quarantined events after the cause was fixed (a bound added, a value corrected by a new event, the
// code that could not read them mended): the projector's from the event store straight into the read model,
// in each blocked report's order; the relay's published again to the lifecycle topic. What succeeds leaves the
// quarantine; what fails again stays, with the new reason.

import { reportIdOfStream, toLifecycleMessage } from '@engine/kafka';
import type { EventPublisher, EventQuarantine, QuarantinedEvent, SqlEventStore } from '@engine/event-store';
import { isUnprojectableError, ReadModel } from '@engine/read-model';

export interface RetryOutcome {
  /** Events that left the quarantine. */
  released: number;
  /** Events still quarantined, each with its reason. */
  remaining: QuarantinedEvent[];
}

/**
 * Re-projects every report the projector holds, from the read model's version onwards, from the store (the
 * topic may no longer have them). A projector running meanwhile may hold a new message again: run once more.
 */
export async function retryProjectorQuarantine(deps: { store: SqlEventStore; readModel: ReadModel; quarantine: EventQuarantine }): Promise<RetryOutcome> {
  const { store, readModel, quarantine } = deps;
  let released = 0;
  const streams = [...new Set((await quarantine.list('projector')).map((entry) => entry.streamId))];
  for (const streamId of streams) {
    const reportId = reportIdOfStream(streamId);
    if (reportId === undefined) continue;
    const from = ((await readModel.summary(reportId))?.version ?? 0) + 1;
    const applied: string[] = [];
    for (const event of await store.readStream(streamId, from)) {
      try {
        await readModel.project(toLifecycleMessage(event));
        applied.push(event.eventId);
      } catch (error) {
        if (!isUnprojectableError(error)) throw error;
        await quarantine.record({ component: 'projector', eventId: event.eventId, streamId, version: event.version, error: error instanceof Error ? error.message : String(error) });
        break;
      }
    }
    // Everything of the stream at or below what is now projected is done with (held entries included).
    const projected = (await readModel.summary(reportId))?.version ?? 0;
    const done = (await quarantine.list('projector')).filter((entry) => entry.streamId === streamId && entry.version <= projected).map((entry) => entry.eventId);
    await quarantine.release('projector', done);
    released += done.length;
  }
  return { released, remaining: await quarantine.list('projector') };
}

/** Publishes the relay's quarantined events again, in store order; consumers drop duplicates by event id. */
export async function retryRelayQuarantine(deps: { store: SqlEventStore; publisher: EventPublisher; quarantine: EventQuarantine }): Promise<RetryOutcome> {
  const { store, publisher, quarantine } = deps;
  let released = 0;
  for (const entry of await quarantine.list('relay')) {
    const [event] = await store.readStream(entry.streamId, entry.version);
    if (!event || event.eventId !== entry.eventId) continue;
    try {
      await publisher.publish([event]);
    } catch (error) {
      await quarantine.record({ ...entry, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    await quarantine.release('relay', [entry.eventId]);
    released += 1;
  }
  return { released, remaining: await quarantine.list('relay') };
}
