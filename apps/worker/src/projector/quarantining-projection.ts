// Applies a report's stored event (as its lifecycle message) to the read model, or quarantines it when it can never be applied, so one bad event
// does not stop the projection of every other report.
//
// A report with a quarantined event is blocked at that version: its later messages are not applied on a base
// that lacks the quarantined event (its summary would be wrong, and silently so), but recorded as held behind
// it. The report's read model then stays as it was before the bad event, and /health and the metrics report
// it until the events are retried (npm run quarantine -- retry).

import { ReportLifecycleMessage, reportStreamId } from '@engine/contracts';
import type { EventQuarantine } from '@engine/event-store';
import { isUnprojectableError, ProjectionOutcome, ReadModel } from '@engine/read-model';

export type QuarantiningOutcome = ProjectionOutcome | 'quarantined' | 'held';

export interface QuarantiningProjectionDeps {
  readModel: Pick<ReadModel, 'project'>;
  quarantine: Pick<EventQuarantine, 'record' | 'blockedAt'>;
}

export async function projectOrQuarantine(message: ReportLifecycleMessage, deps: QuarantiningProjectionDeps): Promise<QuarantiningOutcome> {
  const streamId = reportStreamId(message.reportId);
  const entry = { component: 'projector' as const, eventId: message.eventId, streamId, version: message.streamVersion };
  const blockedAt = await deps.quarantine.blockedAt('projector', streamId);
  if (blockedAt !== undefined && message.streamVersion >= blockedAt) {
    // The quarantined event itself, delivered again, keeps its own reason; a later one is held behind it.
    if (message.streamVersion > blockedAt) await deps.quarantine.record({ ...entry, error: `held behind version ${blockedAt} of this report, which is quarantined` });
    return 'held';
  }
  try {
    return await deps.readModel.project(message);
  } catch (error) {
    if (!isUnprojectableError(error)) throw error;
    await deps.quarantine.record({ ...entry, error: error instanceof Error ? error.message : String(error) });
    return 'quarantined';
  }
}
