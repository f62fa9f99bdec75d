// What-if over a platform's past cases: picks the candidate policy (a version, a whole table, or cells merged onto the
// version in force), reads the cases filed in the period from the event store, and lets the domain simulate them.
// Shared by the API (POST /api/policies/:platform/simulations) and the command line (npm run simulate).

import {
  EscalationPolicy,
  GermanState,
  mergePolicyCells,
  PolicyCellChanges,
  PolicySimulation,
  ReportEvent,
  simulatePolicy,
} from '@engine/domain';
import type { ReportHistory, ReportHistoryFilter } from '@engine/event-store';
import type { PolicyVersion } from './policies.service';

/**
 * The policy to try: an existing version, a whole rules table, or some cells changed on the version in force.
 * `holidayState`: absent, the holiday state in force; null, none (business time skips no state's holidays).
 */
export type CandidatePolicy =
  | { version: number }
  | { rules: EscalationPolicy['rules']; holidayState?: GermanState | null }
  | { cells: PolicyCellChanges; holidayState?: GermanState | null };

export interface PolicySimulationRequest {
  candidate: CandidatePolicy;
  /** Cases filed at or after `from` and before `to` (ISO instants). */
  from: string;
  to: string;
}

export interface PolicySimulationReport extends PolicySimulation {
  platform: string;
  period: { from: string; to: string };
  /** Where the candidate came from, and the version in force it is compared with. */
  candidateSource: 'version' | 'rules' | 'cells';
  versionInForce: number;
}

/** The request names what does not exist or cannot be (HTTP 400 on `field`; the command line prints it). */
export class PolicySimulationRequestError extends Error {
  override readonly name = 'PolicySimulationRequestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PolicySimulationDependencies {
  versions(platform: string): Promise<PolicyVersion[]>;
  histories(filter: ReportHistoryFilter): Promise<ReportHistory[]>;
  /** The simulation's now: deadlines falling later have not elapsed yet. */
  now?: () => Date;
}

export async function runPolicySimulation(deps: PolicySimulationDependencies, platform: string, request: PolicySimulationRequest): Promise<PolicySimulationReport> {
  if (!(Date.parse(request.from) < Date.parse(request.to))) {
    throw new PolicySimulationRequestError('to', `The period must end after it begins (from ${request.from}, to ${request.to}).`);
  }
  const versions = await deps.versions(platform);
  const inForce = versions[versions.length - 1].policy;
  const { candidate, source } = candidatePolicy(request.candidate, versions, inForce);
  const histories = await deps.histories({ platform, from: request.from, to: request.to });
  const simulation = simulatePolicy({
    cases: histories.map((history) => history.events as unknown as ReportEvent[]),
    candidate,
    asOf: (deps.now?.() ?? new Date()).toISOString(),
  });
  return { ...simulation, platform, period: { from: request.from, to: request.to }, candidateSource: source, versionInForce: inForce.version };
}

function candidatePolicy(
  requested: CandidatePolicy,
  versions: PolicyVersion[],
  inForce: EscalationPolicy,
): { candidate: EscalationPolicy; source: PolicySimulationReport['candidateSource'] } {
  if ('version' in requested) {
    const found = versions.find((version) => version.policy.version === requested.version);
    if (!found) {
      throw new PolicySimulationRequestError('version', `The platform's policy has versions 1 to ${inForce.version}; there is no version ${requested.version}.`);
    }
    return { candidate: found.policy, source: 'version' };
  }
  // Not stored: numbered after the version in force, so that it reads as the next one.
  const next = { platform: inForce.platform, version: inForce.version + 1 };
  const holidayState = requested.holidayState === undefined ? inForce.holidayState : (requested.holidayState ?? undefined);
  const rules = 'rules' in requested ? requested.rules : mergePolicyCells(inForce.rules, requested.cells);
  return { candidate: { ...next, rules, ...(holidayState !== undefined && { holidayState }) }, source: 'rules' in requested ? 'rules' : 'cells' };
}
