// PoliciesService on the event store: each platform's policy history is the stream `policy-<platform>`.
// A change for running cases is rolled out by the workflow `policy-rollout-<platform>-v<version>`, which tells every
// running case of the platform; the API starts it and answers where to follow it.

import { Logger } from '@nestjs/common';
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import {
  EscalationPolicyChanged,
  fold,
  IllegalStepError,
  PolicyCommand,
  policyHistoryDecider,
} from '@engine/domain';
import { eventsToStore, policyStreamId, storedAsDomainEvents } from '@engine/contracts';
import { ConcurrencyConflictError, isUnstorableEventError, type EventStore, type ReportHistory, type ReportHistoryFilter, type StoredEvent } from '@engine/event-store';
import { policyRolloutWorkflowId, policyVersionStoredSignal, rolloutProgressQuery } from '../../../../workflows/policy-rollout.messages';
import type { policyRollout } from '../../../../workflows/policy-rollout.workflow';
import { type Actor, EngineUnavailableError, StaleVersionError, UnstorableInputError } from '../reports/reports.service';
import {
  InvalidPolicyError,
  PoliciesService,
  PolicyCellsChange,
  PolicyChange,
  PolicyChangedConcurrentlyError,
  PolicyChangeOptions,
  PolicyChangeResult,
  PolicyRolloutNotFoundError,
  PolicyVersion,
  RolloutProgress,
  RolloutReference,
} from './policies.service';
import { PolicySimulationReport, PolicySimulationRequest, runPolicySimulation } from './policy-simulations';

export class EventSourcedPoliciesService extends PoliciesService {
  private readonly logger = new Logger('Policies');

  constructor(
    private readonly deps: {
      eventStore: EventStore;
      temporal: Client;
      taskQueue: string;
      /** Whole report streams by platform and filing period (readReportHistories), for what-if simulations. */
      reportHistories?: (filter: ReportHistoryFilter) => Promise<ReportHistory[]>;
    },
  ) {
    super();
  }

  async simulate(platform: string, request: PolicySimulationRequest): Promise<PolicySimulationReport> {
    const histories = this.deps.reportHistories;
    if (!histories) throw new EngineUnavailableError('What-if simulations need the event store in PostgreSQL or PGlite; this API has none.');
    return runPolicySimulation({ versions: (name) => this.versions(name), histories }, platform, request);
  }

  async current(platform: string): Promise<PolicyVersion> {
    const versions = await this.versions(platform);
    return versions[versions.length - 1];
  }

  versions(platform: string): Promise<PolicyVersion[]> {
    return policyVersions(this.deps.eventStore, platform);
  }

  async change(platform: string, change: PolicyChange | PolicyCellsChange, actor: Actor, options: PolicyChangeOptions = {}): Promise<PolicyChangeResult> {
    const streamId = policyStreamId(platform);
    const stored = await this.deps.eventStore.readStream(streamId);
    const decider = policyHistoryDecider(platform);
    const state = fold(decider, storedAsDomainEvents<EscalationPolicyChanged>(stored));
    /** The version decided on: the append refuses the events if the stream moved on meanwhile (409). */
    const expectedVersion = stored.length;
    const metadata = { actor: actor.username, now: new Date().toISOString(), ...(options.basedOnVersion !== undefined && { expectedVersion: options.basedOnVersion }) };
    const command: PolicyCommand = 'cells' in change ? { type: 'ChangeEscalationPolicyCells', data: change, metadata } : { type: 'ChangeEscalationPolicy', data: change, metadata };
    let events: EscalationPolicyChanged[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (error instanceof IllegalStepError && (error.code === 'invalid-policy' || error.code === 'invalid-input')) throw new InvalidPolicyError([error.message]);
      if (error instanceof IllegalStepError && error.code === 'version-mismatch') throw new StaleVersionError(state.current.version, error.message);
      throw error;
    }
    const newVersion = events[0].data.policy.version;
    // The rollout starts before the version is stored and waits for it: a crash between the two then leaves a
    // rollout that finds the version (or gives up on one never stored), never a stored version nobody rolls out.
    const rollout = change.appliesTo === 'running-cases' ? await this.startRollout(platform, newVersion) : undefined;
    const [appended] = await this.deps.eventStore
      .append(streamId, expectedVersion, eventsToStore(events, { streamId, expectedVersion }))
      .catch((error: unknown) => {
        if (error instanceof ConcurrencyConflictError) {
          throw new PolicyChangedConcurrentlyError(
            `Another change of ${platform}'s policy was stored while this one was being made (it is version ${newVersion} now); nothing of this change was stored. Read the policy in force and send the change again.`,
          );
        }
        if (isUnstorableEventError(error)) throw new UnstorableInputError(`The event store refused the policy change: ${(error as Error).message}. Nothing was stored.`);
        throw error;
      });
    const version = toVersion(appended);
    if (!rollout) return version;
    // Saves the rollout its next look at the stream; if this is lost, it finds the version on its own.
    await this.signalStored(platform, newVersion).catch((error: unknown) =>
      this.logger.warn(`The rollout of ${platform}'s policy version ${newVersion} was not told the version is stored; it will find it on its own: ${String(error)}`),
    );
    return { ...version, rollout };
  }

  async rollout(platform: string, version: number): Promise<RolloutProgress> {
    const versions = await this.versions(platform);
    const stored = versions[version - 1] as PolicyVersion | undefined;
    if (!stored || version < 2) throw new PolicyRolloutNotFoundError(`${platform}'s policy has no version ${version} (the latest is ${versions.length}).`);
    if (stored.appliesTo !== 'running-cases') throw new PolicyRolloutNotFoundError(`Version ${version} of ${platform}'s policy is for new cases only: it has no rollout.`);
    const handle = this.deps.temporal.workflow.getHandle<typeof policyRollout>(policyRolloutWorkflowId(platform, version));
    let description: { status: WorkflowExecutionStatusName; historyLength: number; startTime: Date };
    try {
      const described = await handle.describe();
      description = { status: described.status.name, historyLength: described.historyLength, startTime: described.startTime };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      throw new PolicyRolloutNotFoundError(`Version ${version} of ${platform}'s policy was applied to running cases before rollouts were recorded: it has no rollout.`);
    }
    if (description.status === 'COMPLETED') return handle.result();
    if (description.status !== 'RUNNING') {
      // Gave up waiting although the version is stored (its API call died between storing it and saying so), or
      // was stopped by hand: the version is there, so its rollout runs again (a case already told ignores it).
      await this.signalStored(platform, version);
      return notStartedYet(platform, version, new Date());
    }
    // A run whose first workflow task is not done yet cannot answer a query: it has told nobody so far.
    if (description.historyLength <= 3) return notStartedYet(platform, version, description.startTime);
    try {
      return await handle.query(rolloutProgressQuery);
    } catch (error) {
      throw new EngineUnavailableError(`The progress of the rollout of ${platform}'s policy version ${version} could not be read (is a worker running?): ${(error as Error).message}`);
    }
  }

  private async startRollout(platform: string, version: number): Promise<RolloutReference> {
    const workflowId = policyRolloutWorkflowId(platform, version);
    try {
      await this.deps.temporal.workflow.start<typeof policyRollout>('policyRollout', {
        workflowId,
        taskQueue: this.deps.taskQueue,
        args: [{ platform, version }],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (error) {
      // Started by a concurrent change computing the same version, or done already: the store decides whose it is.
      if (error instanceof WorkflowExecutionAlreadyStartedError) return reference(platform, version);
      throw new EngineUnavailableError(
        `Temporal did not take the rollout of ${platform}'s policy version ${version} (${(error as Error).message}): nothing was stored. Try again once Temporal is reachable.`,
      );
    }
    return reference(platform, version);
  }


  private async signalStored(platform: string, version: number): Promise<void> {
    try {
      await this.deps.temporal.workflow.signalWithStart<typeof policyRollout, []>('policyRollout', {
        workflowId: policyRolloutWorkflowId(platform, version),
        taskQueue: this.deps.taskQueue,
        args: [{ platform, version }],
        signal: policyVersionStoredSignal,
        signalArgs: [],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error; // completed already
    }
  }
}

function reference(platform: string, version: number): RolloutReference {
  return { id: policyRolloutWorkflowId(platform, version), status: 'running', location: `/api/policies/${encodeURIComponent(platform)}/rollouts/${version}` };
}

function notStartedYet(platform: string, version: number, startedAt: Date): RolloutProgress {
  return { platform, version, status: 'waiting-for-version', casesFound: 0, notified: 0, skippedClosed: 0, skippedNotFiled: 0, failed: 0, failures: [], startedAt: startedAt.toISOString() };
}

/** Every version of a platform's policy, oldest first: the defaults, then each stored change (the API and `npm run simulate`). */
export async function policyVersions(eventStore: Pick<EventStore, 'readStream'>, platform: string): Promise<PolicyVersion[]> {
  const stored = await eventStore.readStream(policyStreamId(platform));
  const defaults: PolicyVersion = {
    policy: policyHistoryDecider(platform).initialState().current,
    appliesTo: 'default',
    changedBy: 'system',
    changedAt: '1970-01-01T00:00:00.000Z',
    reason: 'Default policy: 1 hour for threats to life, 24 hours for manifestly unlawful content, 7 days otherwise',
  };
  return [defaults, ...stored.map(toVersion)];
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
