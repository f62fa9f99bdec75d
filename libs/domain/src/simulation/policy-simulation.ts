// What-if: a platform's past cases run again under a candidate policy, compared with what happened, case by case
// and in aggregate. Pure: the cases and the instant to simulate up to come in, the comparison goes out.

import { percentile } from '../cooperation/cooperation-report';
import { CLOCK_KINDS, ClockKind, EscalationPolicy, Severity } from '../policy/escalation-policy';
import { ReportEvent } from '../report/events';
import { toMillis } from '../time/instant';
import { CaseMilestones, ESCALATION_STEPS, EscalationStep, ladderMilestones, timeToStep } from './ladder-milestones';
import { RefusedAction, simulateCase } from './simulate-case';

/** How a ladder step of one request would have come under the candidate, against what happened. */
export type StepChange = 'earlier' | 'later' | 'unchanged' | 'not-at-all' | 'only-under-candidate';

export interface StepComparison {
  clock: ClockKind;
  step: EscalationStep;
  change: StepChange;
  /** When the step was reached, as recorded and as simulated (absent where it was not). */
  recorded?: string;
  simulated?: string;
  /** simulated − recorded, in ms, where both reached it. */
  shiftMs?: number;
}

export interface CaseSimulation {
  reportId: string;
  filedAt: string;
  severity?: Severity;
  /** Every escalation step either history reached, in ladder order per request. */
  steps: StepComparison[];
  /** Whether a request reached app-store pressure. */
  appStorePressure: { recorded: boolean; simulated: boolean };
  /** Recorded actions the candidate's history does not allow, in order. */
  refused: RefusedAction[];
  /** Anything earlier, later, missing or new, or an action refused. */
  changed: boolean;
}

export interface StepFigures {
  clock: ClockKind;
  step: EscalationStep;
  /** Cases whose request reached the step, as recorded and as simulated. */
  reached: { recorded: number; simulated: number };
  changes: Record<StepChange, number>;
  /** Median time from sending the request to reaching the step, in ms (null when no case reached it). */
  medianMsToStep: { recorded: number | null; simulated: number | null };
}

export interface PolicySimulation {
  candidate: EscalationPolicy;
  /** Deadlines falling up to this instant elapsed in the simulation. */
  asOf: string;
  sameWithinMs: number;
  cases: CaseSimulation[];
  summary: {
    cases: number;
    casesChanged: number;
    casesWithRefusedActions: number;
    /** Cases where a request reached app-store pressure. */
    appStorePressure: { recorded: number; simulated: number };
    steps: StepFigures[];
  };
}

export interface PolicySimulationInput {
  /** Each case's whole recorded stream, oldest first. */
  cases: readonly (readonly ReportEvent[])[];
  candidate: EscalationPolicy;
  /** The simulation's now: deadlines falling later have not elapsed (default: the last recorded event of all). */
  asOf?: string;
  /**
   * Shifts up to this many ms count as unchanged (default 60 s): a recorded timer fires a moment after its
   * deadline, a simulated one exactly at it.
   */
  sameWithinMs?: number;
}

export const DEFAULT_SAME_WITHIN_MS = 60_000;

export function simulatePolicy(input: PolicySimulationInput): PolicySimulation {
  const sameWithinMs = input.sameWithinMs ?? DEFAULT_SAME_WITHIN_MS;
  const asOf = input.asOf ?? latestInstant(input.cases);
  const cases: CaseSimulation[] = [];
  const milestones: { recorded: CaseMilestones; simulated: CaseMilestones }[] = [];
  for (const recorded of input.cases) {
    if (recorded.length === 0 || recorded[0].type !== 'ReportFiled') continue;
    const lastRecorded = toMillis(recorded[recorded.length - 1].metadata.now);
    const simulated = simulateCase(recorded, input.candidate, Math.max(toMillis(asOf), lastRecorded));
    const both = { recorded: ladderMilestones(recorded), simulated: ladderMilestones(simulated.events) };
    milestones.push(both);
    cases.push(compareCase(recorded, both, simulated.refused, sameWithinMs, simulated.state.status !== 'not-filed' ? simulated.state.assessment?.severity : undefined));
  }
  return { candidate: input.candidate, asOf, sameWithinMs, cases, summary: summarise(cases, milestones) };
}

function compareCase(
  recorded: readonly ReportEvent[],
  milestones: { recorded: CaseMilestones; simulated: CaseMilestones },
  refused: RefusedAction[],
  sameWithinMs: number,
  severity: Severity | undefined,
): CaseSimulation {
  const filed = recorded[0] as Extract<ReportEvent, { type: 'ReportFiled' }>;
  const steps: StepComparison[] = [];
  for (const clock of CLOCK_KINDS) {
    for (const step of ESCALATION_STEPS) {
      const was = milestones.recorded[clock].reached[step];
      const would = milestones.simulated[clock].reached[step];
      if (was === undefined && would === undefined) continue;
      if (was === undefined) steps.push({ clock, step, change: 'only-under-candidate', simulated: would });
      else if (would === undefined) steps.push({ clock, step, change: 'not-at-all', recorded: was });
      else {
        const shiftMs = toMillis(would) - toMillis(was);
        const change: StepChange = Math.abs(shiftMs) <= sameWithinMs ? 'unchanged' : shiftMs < 0 ? 'earlier' : 'later';
        steps.push({ clock, step, change, recorded: was, simulated: would, shiftMs });
      }
    }
  }
  const reachedPressure = (m: CaseMilestones) => CLOCK_KINDS.some((clock) => m[clock].reached['app-store-pressure'] !== undefined);
  return {
    reportId: filed.data.reportId,
    filedAt: filed.metadata.now,
    ...(severity !== undefined && { severity }),
    steps,
    appStorePressure: { recorded: reachedPressure(milestones.recorded), simulated: reachedPressure(milestones.simulated) },
    refused,
    changed: refused.length > 0 || steps.some((s) => s.change !== 'unchanged'),
  };
}

function summarise(cases: CaseSimulation[], milestones: { recorded: CaseMilestones; simulated: CaseMilestones }[]): PolicySimulation['summary'] {
  const steps: StepFigures[] = [];
  for (const clock of CLOCK_KINDS) {
    for (const step of ESCALATION_STEPS) {
      const changes: Record<StepChange, number> = { earlier: 0, later: 0, unchanged: 0, 'not-at-all': 0, 'only-under-candidate': 0 };
      for (const simulated of cases) {
        for (const comparison of simulated.steps) if (comparison.clock === clock && comparison.step === step) changes[comparison.change]++;
      }
      const times = (side: 'recorded' | 'simulated') =>
        milestones.map((m) => timeToStep(m[side][clock], step)).filter((ms): ms is number => ms !== undefined);
      const recordedTimes = times('recorded');
      const simulatedTimes = times('simulated');
      steps.push({
        clock,
        step,
        reached: { recorded: recordedTimes.length, simulated: simulatedTimes.length },
        changes,
        medianMsToStep: { recorded: roundedMedian(recordedTimes), simulated: roundedMedian(simulatedTimes) },
      });
    }
  }
  return {
    cases: cases.length,
    casesChanged: cases.filter((c) => c.changed).length,
    casesWithRefusedActions: cases.filter((c) => c.refused.length > 0).length,
    appStorePressure: {
      recorded: cases.filter((c) => c.appStorePressure.recorded).length,
      simulated: cases.filter((c) => c.appStorePressure.simulated).length,
    },
    steps,
  };
}

function roundedMedian(values: number[]): number | null {
  const median = percentile(values, 0.5);
  return median === null ? null : Math.round(median);
}

function latestInstant(cases: readonly (readonly ReportEvent[])[]): string {
  let latest = 0;
  for (const events of cases) for (const event of events) latest = Math.max(latest, toMillis(event.metadata.now));
  return new Date(latest).toISOString();
}
