// What admins can do with escalation policies. Each change is a new version, stored as an event; when it
// applies to running cases, each of them is told and records the version it follows from then on.

import type { EscalationPolicy, GermanState, PolicyCellChanges, PolicyScope } from '@engine/domain';
import type { Actor } from '../reports/reports.service';
import type { PolicySimulationReport, PolicySimulationRequest } from './policy-simulations';
import type { RolloutProgress, RolloutStatus } from '../../../../workflows/policy-rollout.messages';

export type { RolloutProgress, RolloutStatus };

export type { PolicyScope };

/** A whole new version of the rules table. */
export interface PolicyChange {
  rules: EscalationPolicy['rules'];
  holidayState?: GermanState;
  /** New cases only, or also every running case of the platform. */
  appliesTo: PolicyScope;
  reason: string;
}

/** Some cells of the table, merged onto the version in force (the holiday state in force unless given). */
export interface PolicyCellsChange {
  cells: PolicyCellChanges;
  holidayState?: GermanState;
  appliesTo: PolicyScope;
  reason: string;
}

/** How a change is to be made: on the version the admin saw (If-Match), else on whichever is in force. */
export interface PolicyChangeOptions {
  basedOnVersion?: number;
}

export interface PolicyVersion {
  policy: EscalationPolicy;
  appliesTo: PolicyScope | 'default';
  changedBy: string;
  changedAt: string;
  reason: string;
}

/** A policy an admin sent that the domain refuses (HTTP 400 with the problems). */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
  constructor(readonly problems: string[]) {
    super(`The escalation policy is invalid: ${problems.join('; ')}`);
  }
}

/** A stored change for running cases: the workflow that tells them, and where to follow it. */
export interface RolloutReference {
  id: string;
  status: RolloutStatus;
  /** The API path of its progress: `/api/policies/<platform>/rollouts/<version>`. */
  location: string;
}

export type PolicyChangeResult = PolicyVersion & { rollout?: RolloutReference };

/** Another change of the same platform's policy was stored first (HTTP 409); nothing of this one was stored. */
export class PolicyChangedConcurrentlyError extends Error {
  override readonly name = 'PolicyChangedConcurrentlyError';
  readonly code = 'policy-changed-concurrently';
}

/** No rollout for this platform and version: no such version, one for new cases only, or one stored before rollouts. */
export class PolicyRolloutNotFoundError extends Error {
  override readonly name = 'PolicyRolloutNotFoundError';
}

export abstract class PoliciesService {
  /** The policy in force for a platform (version 1, the defaults, when no admin changed it). */
  abstract current(platform: string): Promise<PolicyVersion>;
  /** Every version, oldest first. */
  abstract versions(platform: string): Promise<PolicyVersion[]>;
  /**
   * Stores a new version: the whole table, or some cells merged onto the version in force. Throws InvalidPolicyError;
   * PolicyChangedConcurrentlyError when another change was stored meanwhile; StaleVersionError when
   * `basedOnVersion` is no longer the version in force. For running cases, returns the rollout that tells them (it runs on after the call).
   */
  abstract change(platform: string, change: PolicyChange | PolicyCellsChange, actor: Actor, options?: PolicyChangeOptions): Promise<PolicyChangeResult>;
  /** How the rollout of a version to running cases goes; throws PolicyRolloutNotFoundError. */
  abstract rollout(platform: string, version: number): Promise<RolloutProgress>;
  /**
   * What a candidate policy would have changed in the platform's cases filed in a period (changes nothing). Throws
   * PolicySimulationRequestError for a version that does not exist or an empty period.
   */
  abstract simulate(platform: string, request: PolicySimulationRequest): Promise<PolicySimulationReport>;
}
