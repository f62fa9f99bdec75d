// What admins can do with escalation policies. Each change is a new version, stored as an event; when it
// applies to running cases, each of them is told and records the version it follows from then on.

import type { EscalationPolicy, GermanState, PolicyScope } from '@engine/domain';
import type { Actor } from '../reports/reports.service';

export type { PolicyScope };

export interface PolicyChange {
  rules: EscalationPolicy['rules'];
  holidayState?: GermanState;
  /** New cases only, or also every running case of the platform. */
  appliesTo: PolicyScope;
  reason: string;
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

export abstract class PoliciesService {
  /** The policy in force for a platform (version 1, the defaults, when no admin changed it). */
  abstract current(platform: string): Promise<PolicyVersion>;
  /** Every version, oldest first. */
  abstract versions(platform: string): Promise<PolicyVersion[]>;
  /** Stores a new version; throws InvalidPolicyError. Returns it and how many running cases were told. */
  abstract change(platform: string, change: PolicyChange, actor: Actor): Promise<PolicyVersion & { runningCasesNotified: number }>;
}
