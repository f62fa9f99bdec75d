// The one place where the policies feature turns the service's policy versions into the response DTOs.

import type { EscalationPolicy } from '@engine/domain';
import { EscalationPolicyDto, PolicyChangeResultDto, PolicyRolloutDto, PolicyVersionDto } from './dto/policy-version.dto';
import type { PolicyChangeResult, PolicyVersion, RolloutProgress } from './policies.service';

function toPolicy(policy: EscalationPolicy): EscalationPolicyDto {
  const dto: EscalationPolicyDto = { platform: policy.platform, version: policy.version, rules: policy.rules };
  if (policy.holidayState !== undefined) dto.holidayState = policy.holidayState;
  return dto;
}

export function toPolicyVersion(version: PolicyVersion): PolicyVersionDto {
  return {
    policy: toPolicy(version.policy),
    appliesTo: version.appliesTo,
    changedBy: version.changedBy,
    changedAt: version.changedAt,
    reason: version.reason,
  };
}

export function toPolicyChangeResult(result: PolicyChangeResult): PolicyChangeResultDto {
  const dto: PolicyChangeResultDto = toPolicyVersion(result);
  if (result.rollout) dto.rollout = { id: result.rollout.id, status: result.rollout.status, location: result.rollout.location };
  return dto;
}

export function toPolicyRollout(progress: RolloutProgress): PolicyRolloutDto {
  const dto: PolicyRolloutDto = {
    platform: progress.platform,
    version: progress.version,
    status: progress.status,
    casesFound: progress.casesFound,
    notified: progress.notified,
    skippedClosed: progress.skippedClosed,
    skippedNotFiled: progress.skippedNotFiled,
    failed: progress.failed,
    failures: progress.failures.map(({ reportId, reason }) => ({ reportId, reason })),
    startedAt: progress.startedAt,
  };
  if (progress.completedAt !== undefined) dto.completedAt = progress.completedAt;
  return dto;
}
