// The activities of a policy rollout: their shape only. The worker app implements them.

import type { EscalationPolicy } from '@engine/domain';
import type { StoredPolicyVersion } from './policy-rollout.messages';
import type { PolicyApplicationOutcome } from './report-lifecycle.messages';

export interface RunningCasesPage {
  /** Report workflow ids in ascending order, all greater than the `after` asked with. */
  workflowIds: string[];
  /** How many more running cases come after this page at the time of listing. */
  remaining: number;
}

export interface PolicyRolloutActivities {
  /** The platform's policy version from its stream, or null while it is not stored. */
  readPolicyVersion(input: { platform: string; version: number }): Promise<StoredPolicyVersion | null>;
  /** The platform's running report workflows after `after` (by workflow id), at most `limit`. */
  listRunningCases(input: { platform: string; after?: string; limit: number }): Promise<RunningCasesPage>;
  /** Has one case apply the version and says how it went; idempotent (a case already on it says so). */
  applyPolicyToCase(input: { workflowId: string; policy: EscalationPolicy; actor: string; reason: string }): Promise<PolicyApplicationOutcome>;
}
