// The one place where the policies feature turns the service's policy versions into the response DTOs.

import type { EscalationPolicy } from '@engine/domain';
import { EscalationPolicyDto, PolicyChangeResultDto, PolicyRolloutDto, PolicyVersionDto } from './dto/policy-version.dto';
import type { PolicyChangeResult, PolicyVersion, RolloutProgress } from './policies.service';
import { PolicySimulationDto } from './dto/policy-simulation.dto';
import type { PolicySimulationReport } from './policy-simulations';

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

const seconds = (ms: number) => Math.round(ms / 1000);
const secondsOrNull = (ms: number | null) => (ms === null ? null : seconds(ms));

/** A what-if simulation: the candidate, the summary, and the first `limit` changed cases one by one (times in seconds). */
export function toPolicySimulation(report: PolicySimulationReport, limit: number): PolicySimulationDto {
  const { candidate } = report;
  return {
    platform: report.platform,
    period: { ...report.period },
    asOf: report.asOf,
    sameWithinSeconds: seconds(report.sameWithinMs),
    candidate: {
      source: report.candidateSource,
      version: candidate.version,
      versionInForce: report.versionInForce,
      rules: candidate.rules,
      ...(candidate.holidayState !== undefined && { holidayState: candidate.holidayState }),
    },
    summary: {
      cases: report.summary.cases,
      casesChanged: report.summary.casesChanged,
      casesWithRefusedActions: report.summary.casesWithRefusedActions,
      appStorePressure: { ...report.summary.appStorePressure },
      steps: report.summary.steps.map((figures) => ({
        clock: figures.clock,
        step: figures.step,
        reached: { ...figures.reached },
        changes: {
          earlier: figures.changes.earlier,
          later: figures.changes.later,
          unchanged: figures.changes.unchanged,
          notAtAll: figures.changes['not-at-all'],
          onlyUnderCandidate: figures.changes['only-under-candidate'],
        },
        medianSecondsToStep: { recorded: secondsOrNull(figures.medianMsToStep.recorded), simulated: secondsOrNull(figures.medianMsToStep.simulated) },
      })),
    },
    changedCases: report.cases
      .filter((simulated) => simulated.changed)
      .slice(0, limit)
      .map((simulated) => ({
        reportId: simulated.reportId,
        filedAt: simulated.filedAt,
        ...(simulated.severity !== undefined && { severity: simulated.severity }),
        steps: simulated.steps.map(({ shiftMs, ...step }) => ({ ...step, ...(shiftMs !== undefined && { shiftSeconds: seconds(shiftMs) }) })),
        appStorePressure: { ...simulated.appStorePressure },
        refused: simulated.refused.map(({ command, ...refused }) => ({ action: command, ...refused })),
      })),
  };
}
