// The dossier workflow's activities: store its events, send the dossier to the app stores.

import { ApplicationFailure } from '@temporalio/activity';
import { platformDossierStreamId, reportStreamId, streamEventId } from '@engine/contracts';
import { DossierEvent, evolveDossier, initialDossierState } from '@engine/domain';
import { ConcurrencyConflictError, EventStore, isUnstorableEventError } from '@engine/event-store';
import type { PlatformGateway } from '@engine/platform-gateway';
import type { PlatformDossierActivities } from '../../../../workflows/platform-dossier.activities';
import { UNSTORABLE_EVENT_FAILURE } from '../../../../workflows/report-lifecycle.messages';
import { unstorableReason } from '../report-lifecycle/report-lifecycle.activities';

const APP_STORES = ['apple-app-store', 'google-play'] as const;

/**
 * What a third party may see of a report's history: the content, what was asked of the platform and when, and
 * how it answered. Not the staff's notes, assignments, the reporter's reference or our internal policy.
 */
const SHOWN_TO_APP_STORES: Partial<Record<string, string[]>> = {
  ReportFiled: ['platform', 'contentLocations', 'excerpt', 'evidenceHash', 'seenAt'],
  ReportTriaged: ['category', 'severity'],
  // The corrected assessment and the deadlines it moved; the staff's reason stays internal.
  ReportRetriaged: ['category', 'severity', 'deadlines'],
  DeletionRequested: ['deadline'],
  SubscriberDataRequested: ['deadline'],
  DeadlineElapsed: ['clock', 'step', 'deadline'],
  RequestEscalated: ['clock', 'from', 'to', 'deadline'],
  EscalationLadderExhausted: ['clock'],
  PlatformResponseRecorded: ['clock', 'response', 'reason'],
  RemovalContradicted: ['step', 'deadline'],
};

export function createPlatformDossierActivities(deps: { eventStore: EventStore; gateway: PlatformGateway }): PlatformDossierActivities {
  return {
    async loadDossier({ platform, rules }) {
      const stored = await deps.eventStore.readStream(platformDossierStreamId(platform));
      const events = stored.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }) as unknown as DossierEvent);
      const state = events.reduce(evolveDossier, initialDossierState(platform, rules));
      return { state: rules ? { ...state, rules } : state, version: stored.length };
    },

    async appendDossierEvents({ platform, expectedVersion, events }) {
      const streamId = platformDossierStreamId(platform);
      try {
        await deps.eventStore.append(
          streamId,
          expectedVersion,
          events.map((event, index) => ({ eventId: streamEventId(streamId, expectedVersion + index + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
        );
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
          history: (await deps.eventStore.readStream(reportStreamId(reportId))).flatMap((event) => {
            const shown = SHOWN_TO_APP_STORES[event.type];
            if (!shown) return [];
            const data = Object.fromEntries(shown.filter((field) => field in event.data).map((field) => [field, event.data[field]]));
            return [{ type: event.type, at: event.metadata.now ?? event.recordedAt, data }];
          }),
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
