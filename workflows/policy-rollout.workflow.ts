// One workflow per policy version that applies to running cases (id `policy-rollout-<platform>-v<version>`):
// reads the version from the policy stream, lists the platform's running cases in workflow-id order and has each
// apply it, counting how each answered. Everything it has done is in its history, so a crash of any process
// resumes it where it was; a long list continues as new with the progress and the last case told.

import { ActivityFailure, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PolicyRolloutActivities } from './policy-rollout.activities';
import {
  MAX_LISTED_FAILURES,
  PolicyRolloutInput,
  policyVersionStoredSignal,
  RolloutProgress,
  rolloutProgressQuery,
  StoredPolicyVersion,
} from './policy-rollout.messages';
import type { PolicyApplicationOutcome } from './report-lifecycle.messages';

const { readPolicyVersion, listRunningCases } = proxyActivities<PolicyRolloutActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A case's update waits for its workflow task (and up to a minute for a filing under way); a case that cannot be
// reached after some attempts is counted as failed rather than holding every other case back for ever.
const { applyPolicyToCase } = proxyActivities<PolicyRolloutActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

const HISTORY_LIMIT = 2_000;
const PAGE_SIZE = 200;
/** Cases told at once: enough to get through a large platform, few enough to leave the workers room. */
const BATCH_SIZE = 10;
/** The API stores the version right after starting this workflow; if it never comes, the change was not stored. */
const VERSION_CHECKS = 20;
const VERSION_RECHECK = '15 seconds';

export async function policyRollout(input: PolicyRolloutInput): Promise<RolloutProgress> {
  const { platform, version } = input;
  const progress: RolloutProgress = input.carried?.progress ?? {
    platform,
    version,
    status: 'waiting-for-version',
    casesFound: 0,
    notified: 0,
    skippedClosed: 0,
    skippedNotFiled: 0,
    failed: 0,
    failures: [],
    startedAt: new Date(Date.now()).toISOString(),
  };
  let stored = false;
  setHandler(policyVersionStoredSignal, () => void (stored = true));
  setHandler(rolloutProgressQuery, () => progress);

  const finish = (status: RolloutProgress['status']): RolloutProgress => {
    progress.status = status;
    progress.completedAt = new Date(Date.now()).toISOString();
    return progress;
  };

  let rollout: StoredPolicyVersion | null = input.carried?.rollout ?? null;
  for (let check = 1; rollout === null; check++) {
    rollout = await readPolicyVersion({ platform, version });
    if (rollout !== null) break;
    // A failure, not a result: a later start for this version (the API's, once it is stored after all) may run again.
    if (check >= (input.versionChecks ?? VERSION_CHECKS)) throw ApplicationFailure.nonRetryable(`${platform}'s policy version ${version} was never stored.`, 'PolicyVersionNotStored');
    stored = false;
    await condition(() => stored, VERSION_RECHECK);
  }
  if (rollout.appliesTo !== 'running-cases') return finish('not-for-running-cases');
  progress.status = 'running';

  let after = input.carried?.after;
  const pageSize = input.pageSize ?? PAGE_SIZE;
  for (;;) {
    const page = await listRunningCases({ platform, after, limit: pageSize });
    const told = progress.notified + progress.skippedClosed + progress.skippedNotFiled + progress.failed;
    progress.casesFound = told + page.workflowIds.length + page.remaining;
    for (let start = 0; start < page.workflowIds.length; start += BATCH_SIZE) {
      const batch = page.workflowIds.slice(start, start + BATCH_SIZE);
      const outcomes = await Promise.all(batch.map((workflowId) => tell(workflowId, rollout)));
      outcomes.forEach((outcome, index) => count(batch[index], outcome));
      after = batch[batch.length - 1];
      if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
        await continueAsNew<typeof policyRollout>({ ...input, carried: { progress, rollout, after } });
      }
    }
    if (page.remaining === 0) return finish('completed');
  }

  function count(workflowId: string, outcome: PolicyApplicationOutcome): void {
    switch (outcome.outcome) {
      case 'applied':
      case 'already-following':
        progress.notified++;
        return;
      case 'closed':
        progress.skippedClosed++;
        return;
      case 'not-filed':
        progress.skippedNotFiled++;
        return;
      case 'refused':
        progress.failed++;
        if (progress.failures.length < MAX_LISTED_FAILURES) progress.failures.push({ reportId: reportIdOf(workflowId), reason: outcome.reason });
        return;
      default: {
        const _exhaustive: never = outcome;
        return _exhaustive;
      }
    }
  }
}

/** One case's answer; a case that could not be reached after the retries counts as refused, with the reason. */
async function tell(workflowId: string, rollout: StoredPolicyVersion): Promise<PolicyApplicationOutcome> {
  try {
    return await applyPolicyToCase({ workflowId, policy: rollout.policy, actor: rollout.actor, reason: rollout.reason });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return { outcome: 'refused', reason: `The case could not be reached: ${error.cause?.message ?? error.message}` };
  }
}

const reportIdOf = (workflowId: string): string => workflowId.replace(/^report-/, '');
