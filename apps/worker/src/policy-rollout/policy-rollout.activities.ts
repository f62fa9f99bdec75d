// The activities of a policy rollout: the version from the policy stream, the platform's running cases from
// Temporal visibility (the `Platform` search attribute), and each case told through its `applyPolicy` update.

import { cancellationSignal } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import { policyStreamId } from '@engine/contracts';
import type { EscalationPolicyChanged } from '@engine/domain';
import type { EventStore } from '@engine/event-store';
import type { PolicyRolloutActivities } from '../../../../workflows/policy-rollout.activities';
import { applyPolicyUpdate, PLATFORM_SEARCH_ATTRIBUTE } from '../../../../workflows/report-lifecycle.messages';

export function createPolicyRolloutActivities(deps: { eventStore: EventStore; temporal: Client }): PolicyRolloutActivities {
  return {
    async readPolicyVersion({ platform, version }) {
      // Version 1 is the built-in defaults; version n is the stream's event n - 1.
      if (version < 2) return null;
      const [event] = await deps.eventStore.readStream(policyStreamId(platform), version - 1);
      if (!event || event.version !== version - 1) return null;
      const data = event.data as unknown as EscalationPolicyChanged['data'];
      return { policy: data.policy, appliesTo: data.appliesTo, actor: event.metadata.actor, reason: data.reason };
    },

    async listRunningCases({ platform, after, limit }) {
      // Visibility has no order by workflow id: the whole list is read and cut after `after`, so a case closed or
      // started between two pages moves no other case out of reach (the list is the platform's running cases).
      const ids: string[] = [];
      for await (const workflow of deps.temporal.workflow.list({ query: runningCasesQuery(platform) })) {
        if (after === undefined || workflow.workflowId > after) ids.push(workflow.workflowId);
      }
      ids.sort();
      return { workflowIds: ids.slice(0, limit), remaining: Math.max(0, ids.length - limit) };
    },

    async applyPolicyToCase({ workflowId, policy, actor, reason }) {
      try {
        // Given up when the activity is cancelled (its worker shutting down): the update waits for a workflow task that
        // this worker no longer takes, and would hold the shutdown. The update stays with the case; the retry on
        // the next worker finds it applied (already-following).
        return await deps.temporal.withAbortSignal(cancellationSignal(), () =>
          deps.temporal.workflow.getHandle(workflowId).executeUpdate(applyPolicyUpdate, { args: [{ policy, actor, reason }] }),
        );
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { outcome: 'closed' }; // its workflow ended meanwhile
        if (cancellationSignal().aborted) throw new CancelledFailure('The worker is shutting down; the case is told again on the next attempt.');
        throw error;
      }
    },
  };
}

/** The platform's running report workflows, as the Temporal visibility query language has it. */
export function runningCasesQuery(platform: string): string {
  return `WorkflowType = 'reportLifecycle' AND ExecutionStatus = 'Running' AND ${PLATFORM_SEARCH_ATTRIBUTE} = '${platform.replace(/'/g, "''")}'`;
}
