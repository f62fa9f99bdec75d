// The one place where the policies feature turns the service's policy versions into the response DTOs.

import type { EscalationPolicy } from '@engine/domain';
import { EscalationPolicyDto, PolicyChangeResultDto, PolicyVersionDto } from './dto/policy-version.dto';
import type { PolicyVersion } from './policies.service';

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

export function toPolicyChangeResult(result: PolicyVersion & { runningCasesNotified: number }): PolicyChangeResultDto {
  return { ...toPolicyVersion(result), runningCasesNotified: result.runningCasesNotified };
}
