// The dossier workflow's activities: store its events, send the dossier to the app stores.

import { ApplicationFailure } from '@temporalio/activity';
import { eventsToStore, platformDossierStreamId, reportStreamId, storedAsDomainEvents } from '@engine/contracts';
import { disclosedToAppStores, DossierEvent, evolveDossier, initialDossierState } from '@engine/domain';
import { ConcurrencyConflictError, EventStore, isUnstorableEventError } from '@engine/event-store';
import type { PlatformGateway } from '@engine/platform-gateway';
import type { PlatformDossierActivities } from '../../../../workflows/platform-dossier.activities';
import { UNSTORABLE_EVENT_FAILURE } from '../../../../workflows/report-lifecycle.messages';
import { unstorableReason } from '../report-lifecycle/report-lifecycle.activities';

const APP_STORES = ['apple-app-store', 'google-play'] as const;

export function createPlatformDossierActivities(deps: { eventStore: EventStore; gateway: PlatformGateway }): PlatformDossierActivities {
  return {
    async loadDossier({ platform, rules }) {
      const stored = await deps.eventStore.readStream(platformDossierStreamId(platform));
      const events = storedAsDomainEvents<DossierEvent>(stored);
      // The configured rules until an admin changed them: a recorded change (DossierRulesChanged) wins.
      return { state: events.reduce(evolveDossier, initialDossierState(platform, rules)), version: stored.length };
    },

    async appendDossierEvents({ platform, expectedVersion, events }) {
      const streamId = platformDossierStreamId(platform);
      try {
        await deps.eventStore.append(streamId, expectedVersion, eventsToStore(events, { streamId, expectedVersion }));
      } catch (error) {
        if (error instanceof ConcurrencyConflictError) throw ApplicationFailure.nonRetryable(error.message, 'ConcurrencyConflictError');
        if (isUnstorableEventError(error)) throw ApplicationFailure.nonRetryable(unstorableReason(error), UNSTORABLE_EVENT_FAILURE);
        throw error;
      }
    },

    async fileAppStoreDossier({ platform, dossier }) {
      // Each report with its whole history, from the event store: the app stores see what was asked and when.
      const reports = await Promise.all(
        dossier.reportIds.map(async (reportId) => ({
          reportId,
          // Only what the domain's allow-list lets a third party see.
          history: disclosedToAppStores(
            (await deps.eventStore.readStream(reportStreamId(reportId))).map((event) => ({ type: event.type, data: event.data, at: String(event.metadata.now ?? event.recordedAt) })),
          ),
        })),
      );
      const lines = reports.map(({ reportId, history }) => `  - ${reportId}: ${history.length} events, filed ${history[0]?.at ?? 'unknown'}`);
      for (const recipient of APP_STORES) {
        await deps.gateway.deliver({
          messageId: `${platformDossierStreamId(platform)}:dossier-${dossier.dossierNumber}:${recipient}`,
          platform,
          recipient,
          subject: `App-store dossier ${dossier.dossierNumber} on ${platform}: ${dossier.reportIds.length} unanswered reports`,
          body: [
            `${platform} has not answered the following requests about unlawful content, even after escalation to its high-level contact.`,
            'We ask you to act on the app in your store.',
            '',
            ...lines,
          ].join('\n'),
          payload: { dossierNumber: dossier.dossierNumber, trigger: dossier.trigger, reports },
        });
      }
    },
  };
}
