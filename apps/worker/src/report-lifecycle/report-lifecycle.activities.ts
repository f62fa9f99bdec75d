// The report workflow's activities: store its events, write to the platform, join the app-store dossier.

import { ApplicationFailure, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { eventsToStore, platformDossierWorkflowId, reportEventId, reportEventSchemaVersion, reportStreamId, storedAsDomainEvents } from '@engine/contracts';
import { DossierRules, fold, IssuingAuthority, reportDecider, ReportEvent } from '@engine/domain';
import { ConcurrencyConflictError, EventStore, isUnstorableEventError } from '@engine/event-store';
import type { PlatformGateway } from '@engine/platform-gateway';
import { activeTraceParent } from '@engine/telemetry';
import type { ReportLifecycleActivities } from '../../../../workflows/report-lifecycle.activities';
import { reportEscalatedToAppStoresSignal, reportLeftAppStoresSignal } from '../../../../workflows/platform-dossier.messages';
import { ACTION_EXPIRED_FAILURE, UNSTORABLE_EVENT_FAILURE } from '../../../../workflows/report-lifecycle.messages';
import { composePlatformMessage, DEFAULT_ISSUING_AUTHORITY } from './platform-messages';

export interface ReportLifecycleDependencies {
  eventStore: EventStore;
  gateway: PlatformGateway;
  temporal: Client;
  taskQueue: string;
  dossierRules: DossierRules;
  /** Named in every order to the platform (`ISSUING_AUTHORITY`); the default when not given. */
  issuingAuthority?: IssuingAuthority;
}

export function createReportLifecycleActivities(deps: ReportLifecycleDependencies): ReportLifecycleActivities {
  return {
    async appendReportEvents({ reportId, expectedVersion, events, storeBefore }) {
      // The span of this activity (tracing on): the relay publishes these events as its children, later.
      const traceParent = activeTraceParent();
      if (storeBefore !== undefined && Date.now() > Date.parse(storeBefore)) {
        // Too late: the caller was told the action was not applied. Unless an earlier attempt stored the events
        // and its answer was lost (event ids are per version and this workflow is the stream's only writer).
        const [stored] = await deps.eventStore.readStream(reportStreamId(reportId), expectedVersion + 1);
        if (stored?.eventId === reportEventId(reportId, expectedVersion + 1)) return;
        throw ApplicationFailure.nonRetryable(`The action's events were not stored: their time to be stored ended at ${storeBefore}.`, ACTION_EXPIRED_FAILURE);
      }
      try {
        const streamId = reportStreamId(reportId);
        await deps.eventStore.append(
          streamId,
          expectedVersion,
          eventsToStore(events, { streamId, expectedVersion, eventId: (version) => reportEventId(reportId, version), schemaVersion: reportEventSchemaVersion, traceParent }),
        );
        // Types and versions only: the events' data holds report text that stays out of logs.
        const requestId = events.find((event) => event.metadata.correlationId)?.metadata.correlationId; // the API's request
        log.info('stored report events', { reportId, fromVersion: expectedVersion + 1, types: events.map((event) => event.type), ...(requestId && { requestId }) });
      } catch (error) {
        // The workflow is the stream's only writer: a conflict means its history and the store disagree, and
        // retrying cannot fix that. Fail loudly instead of writing around it.
        if (error instanceof ConcurrencyConflictError) throw ApplicationFailure.nonRetryable(error.message, 'ConcurrencyConflictError');
        // Events the store refuses for what they hold are refused again on every retry: fail the action with the
        // reason instead of retrying for ever, which would hold every later action on the case behind it.
        if (isUnstorableEventError(error)) throw ApplicationFailure.nonRetryable(unstorableReason(error), UNSTORABLE_EVENT_FAILURE);
        throw error;
      }
    },

    async loadReportStream({ reportId }) {
      const stored = await deps.eventStore.readStream(reportStreamId(reportId));
      return { state: fold(reportDecider, storedAsDomainEvents<ReportEvent>(stored)), version: stored.length };
    },

    async contactPlatform(message) {
      // A message decided before messages carried the triage: the case's stream has it.
      let assessment = message.assessment;
      if (!assessment) {
        const state = fold(reportDecider, storedAsDomainEvents<ReportEvent>(await deps.eventStore.readStream(reportStreamId(message.report.reportId))));
        if (state.status === 'not-filed' || !state.assessment) throw ApplicationFailure.nonRetryable(`Report ${message.report.reportId} has no triage to cite in its order`, 'NoAssessment');
        assessment = state.assessment;
      }
      await deps.gateway.deliver(composePlatformMessage(message, assessment, deps.issuingAuthority ?? DEFAULT_ISSUING_AUTHORITY));
    },

    async joinAppStoreDossier({ platform, reportId, actor }) {
      await deps.temporal.workflow.signalWithStart('platformDossier', {
        workflowId: platformDossierWorkflowId(platform),
        taskQueue: deps.taskQueue,
        args: [{ platform, rules: deps.dossierRules }],
        signal: reportEscalatedToAppStoresSignal,
        signalArgs: [{ reportId, actor }],
      });
    },

    async leaveAppStoreDossier({ platform, reportId, actor, reason }) {
      try {
        await deps.temporal.workflow.getHandle(platformDossierWorkflowId(platform)).signal(reportLeftAppStoresSignal, { reportId, actor, reason });
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // no dossier runs: there is nothing to leave
      }
    },
  };
}

/** The store's or the database's reason, which names the field or the value's kind, never the text itself. */
export function unstorableReason(error: unknown): string {
  return `The event store refused the events: ${error instanceof Error ? error.message : String(error)}`;
}
