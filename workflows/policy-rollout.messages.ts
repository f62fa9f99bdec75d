// Temporal messages of a policy rollout (id `policy-rollout-<platform>-v<version>`): one workflow per policy
// version that applies to running cases, telling each running case of the platform. Defined once, imported by
// the API's client, the worker's activities and the workflow.

import { defineQuery, defineSignal } from '@temporalio/workflow';
import { EscalationPolicy } from '@engine/domain';

export const policyRolloutWorkflowId = (platform: string, version: number): string => `policy-rollout-${platform}-v${version}`;

/**
 * waiting-for-version: started before the version is stored (see the API's change), it waits for it;
 * running: telling the cases; completed: every case found was told or counted as skipped or failed;
 * not-for-running-cases: the version stored under this number applies to new cases only (a concurrent change won).
 * A version never stored (the change was refused, or its API call died before storing it) fails the workflow
 * after a while, so that a start for it once it is stored runs again.
 */
export const ROLLOUT_STATUSES = ['waiting-for-version', 'running', 'completed', 'not-for-running-cases'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export interface RolloutFailure {
  reportId: string;
  reason: string;
}

export interface RolloutProgress {
  platform: string;
  version: number;
  status: RolloutStatus;
  /** Running cases found so far: those told or skipped, plus those still to go at the last listing. */
  casesFound: number;
  /** Cases that follow the version now (including any that already did, e.g. told before a crash). */
  notified: number;
  /** Cases closed (or whose workflow ended) by the time they were reached: a closed case takes no policy. */
  skippedClosed: number;
  /** Cases whose filing had not completed when reached (they follow the version their filing read). */
  skippedNotFiled: number;
  /** Cases that refused the version for another reason, or could not be reached; see `failures`. */
  failed: number;
  /** The first failures with their reasons (at most MAX_LISTED_FAILURES). */
  failures: RolloutFailure[];
  startedAt: string;
  completedAt?: string;
}

export const MAX_LISTED_FAILURES = 20;

export interface PolicyRolloutInput {
  platform: string;
  version: number;
  /** On a continued run: the progress so far, the version being rolled out and the last case told. */
  carried?: { progress: RolloutProgress; rollout: StoredPolicyVersion; after?: string };
  /** Continue as new past this many history events (default 2,000; tests set it low). */
  historyLimit?: number;
  /** How many cases one listing returns (default 200; tests set it low). */
  pageSize?: number;
  /** How often it looks for the version, 15 s apart, before it gives up (default 20; tests set it low). */
  versionChecks?: number;
}

/** The policy version as stored, with whom it is for and who changed it. */
export interface StoredPolicyVersion {
  policy: EscalationPolicy;
  appliesTo: 'new-cases' | 'running-cases';
  actor: string;
  reason: string;
}

/** Sent by the API right after it stored the version, so a waiting rollout looks again at once. */
export const policyVersionStoredSignal = defineSignal('policyVersionStored');
export const rolloutProgressQuery = defineQuery<RolloutProgress>('rolloutProgress');
