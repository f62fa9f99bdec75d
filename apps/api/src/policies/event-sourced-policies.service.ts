// PoliciesService on the event store: each platform's policy history is the stream `policy-<platform>`.
// A change for running cases is signalled to every running case of the platform (found by Temporal visibility).

import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  EscalationPolicyChanged,
  fold,
  IllegalStepError,
  policyHistoryDecider,
} from '@engine/domain';
import { policyStreamId, streamEventId } from '@engine/contracts';
import { isUnstorableEventError, type EventStore, type StoredEvent } from '@engine/event-store';
import { PLATFORM_SEARCH_ATTRIBUTE, policyChangedSignal } from '../../../../workflows/report-lifecycle.messages';
import { type Actor, UnstorableInputError } from '../reports/reports.service';
import { InvalidPolicyError, PoliciesService, PolicyChange, PolicyVersion } from './policies.service';

export class EventSourcedPoliciesService extends PoliciesService {
  constructor(private readonly deps: { eventStore: EventStore; temporal: Client }) {
    super();
  }

  async current(platform: string): Promise<PolicyVersion> {
    const versions = await this.versions(platform);
    return versions[versions.length - 1];
  }

  async versions(platform: string): Promise<PolicyVersion[]> {
    const stored = await this.deps.eventStore.readStream(policyStreamId(platform));
    const defaults: PolicyVersion = {
      policy: policyHistoryDecider(platform).initialState().current,
      appliesTo: 'default',
      changedBy: 'system',
      changedAt: '1970-01-01T00:00:00.000Z',
      reason: 'Default policy: 1 hour for threats to life, 24 hours for manifestly unlawful content, 7 days otherwise',
    };
    return [defaults, ...stored.map(toVersion)];
  }

  async change(platform: string, change: PolicyChange, actor: Actor): Promise<PolicyVersion & { runningCasesNotified: number }> {
    const streamId = policyStreamId(platform);
    const stored = await this.deps.eventStore.readStream(streamId);
    const decider = policyHistoryDecider(platform);
    const state = fold(decider, stored.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }) as unknown as EscalationPolicyChanged));
    let events: EscalationPolicyChanged[];
    try {
      events = decider.decide({ type: 'ChangeEscalationPolicy', data: change, metadata: { actor: actor.username, now: new Date().toISOString() } }, state);
    } catch (error) {
      if (error instanceof IllegalStepError && (error.code === 'invalid-policy' || error.code === 'invalid-input')) throw new InvalidPolicyError([error.message]);
      throw error;
    }
    const [appended] = await this.deps.eventStore
      .append(
        streamId,
        stored.length,
        events.map((event, index) => ({ eventId: streamEventId(streamId, stored.length + index + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })),
      )
      .catch((error: unknown) => {
        if (isUnstorableEventError(error)) throw new UnstorableInputError(`The event store refused the policy change: ${(error as Error).message}. Nothing was stored.`);
        throw error;
      });
    const version = toVersion(appended);
    const runningCasesNotified = change.appliesTo === 'running-cases' ? await this.notifyRunningCases(platform, version, actor) : 0;
    return { ...version, runningCasesNotified };
  }

  private async notifyRunningCases(platform: string, version: PolicyVersion, actor: Actor): Promise<number> {
    let notified = 0;
    const query = `WorkflowType = 'reportLifecycle' AND ExecutionStatus = 'Running' AND ${PLATFORM_SEARCH_ATTRIBUTE} = '${platform.replace(/'/g, "''")}'`;
    for await (const workflow of this.deps.temporal.workflow.list({ query })) {
      try {
        await this.deps.temporal.workflow.getHandle(workflow.workflowId).signal(policyChangedSignal, { policy: version.policy, actor: actor.username, reason: version.reason });
        notified++;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // closed in the meantime: nothing to tell
      }
    }
    return notified;
  }
}

function toVersion(event: StoredEvent): PolicyVersion {
  const data = event.data as unknown as EscalationPolicyChanged['data'];
  return {
    policy: data.policy,
    appliesTo: data.appliesTo,
    changedBy: event.metadata.actor,
    changedAt: String(event.metadata.now ?? event.recordedAt),
    reason: data.reason,
  };
}
