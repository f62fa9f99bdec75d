// The dossier workflow's activities: store its events, send the dossier to the app stores.

import { ApplicationFailure } from '@temporalio/activity';
import { platformDossierWorkflowId } from '@engine/contracts';
import { ConcurrencyConflictError, EventStore } from '@engine/event-store';
import type { PlatformGateway } from '@engine/platform-gateway';
import type { PlatformDossierActivities } from '../../../../workflows/platform-dossier.activities';
import { reportStreamId } from '../report-lifecycle/report-lifecycle.activities';

const APP_STORES = ['apple-app-store', 'google-play'] as const;

export function createPlatformDossierActivities(deps: { eventStore: EventStore; gateway: PlatformGateway }): PlatformDossierActivities {
  return {
    async appendDossierEvents({ platform, expectedVersion, events }) {
      const streamId = platformDossierWorkflowId(platform);
      try {
        await deps.eventStore.append(
          streamId,
          expectedVersion,
          events.map((event, index) => ({ eventId: `${streamId}:${expectedVersion + index + 1}`, type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
        );
      } catch (error) {
        if (error instanceof ConcurrencyConflictError) throw ApplicationFailure.nonRetryable(error.message, 'ConcurrencyConflictError');
        throw error;
      }
    },

    async fileAppStoreDossier({ platform, dossier }) {
      // Each report with its whole history, from the event store: the app stores see what was asked and when.
      const reports = await Promise.all(
        dossier.reportIds.map(async (reportId) => ({
          reportId,
          history: (await deps.eventStore.readStream(reportStreamId(reportId))).map((event) => ({
            type: event.type,
            at: event.metadata.now ?? event.recordedAt,
            actor: event.metadata.actor,
            data: event.data,
          })),
        })),
      );
      const lines = reports.map(({ reportId, history }) => `  - ${reportId}: ${history.length} events, filed ${history[0]?.at ?? 'unknown'}`);
      for (const recipient of APP_STORES) {
        await deps.gateway.deliver({
          messageId: `${platformDossierWorkflowId(platform)}:dossier-${dossier.dossierNumber}:${recipient}`,
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
