// "Preview the impact": the period the policy editor simulates its table over (days as the admin picks them, the
// last 90 by default), the request POST /api/policies/:platform/simulations takes, and the answer arranged as the
// page shows it: ladder steps in ladder order, each changed case's steps that moved. Pure.

import type { ApiSchemas } from '../../api/client';
import { CLOCK_KINDS } from '../../api/vocabulary';
import type { HolidayState, PolicyRules } from './policy-table';

export type PolicySimulation = ApiSchemas['PolicySimulationDto'];
export type SimulationRequest = ApiSchemas['PolicySimulationRequestDto'];
export type SimulatedStepFigures = ApiSchemas['SimulatedStepFiguresDto'];
export type SimulatedCase = ApiSchemas['SimulatedCaseDto'];
export type SimulatedStep = ApiSchemas['SimulatedStepDto'];
export type StepChange = SimulatedStep['change'];

export const DEFAULT_PREVIEW_DAYS = 90;
/** The changed cases listed one by one (the summary counts them all). */
export const PREVIEW_CASE_LIMIT = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LADDER_ORDER = ['standard-contact', 'reminder', 'high-level-contact', 'app-store-pressure'] as const;

/** A calendar day in the browser's time zone, as a date input holds it: 2026-12-01. */
export function localDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The last 90 days up to and including today. */
export function defaultPreviewPeriod(now: Date): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - DEFAULT_PREVIEW_DAYS);
  return { from: localDate(from), to: localDate(now) };
}

export type PeriodProblem = 'missing' | 'ends-before-start';

/** The days chosen as the API's instants: from the first day's local midnight to the end of the last day (included). */
export function previewPeriod(from: string, to: string): { ok: true; from: string; to: string } | { ok: false; problem: PeriodProblem } {
  if (!DATE.test(from) || !DATE.test(to)) return { ok: false, problem: 'missing' };
  const start = new Date(`${from}T00:00:00`);
  const last = new Date(`${to}T00:00:00`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(last.getTime())) return { ok: false, problem: 'missing' };
  if (last < start) return { ok: false, problem: 'ends-before-start' };
  const end = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return { ok: true, from: start.toISOString(), to: end.toISOString() };
}

/**
 * The body: the whole table as edited with its holiday state, over the period. No state is sent as null ("none"),
 * since an absent one would have the simulation keep the state in force, which saving the table would drop.
 */
export function simulationRequest(candidate: { rules: PolicyRules; holidayState?: HolidayState }, period: { from: string; to: string }): SimulationRequest {
  return {
    rules: candidate.rules,
    holidayState: candidate.holidayState ?? null,
    from: period.from,
    to: period.to,
    limit: PREVIEW_CASE_LIMIT,
  };
}

const ladderIndex = (figures: { clock: SimulatedStepFigures['clock']; step: SimulatedStepFigures['step'] }) =>
  CLOCK_KINDS.indexOf(figures.clock) * LADDER_ORDER.length + LADDER_ORDER.indexOf(figures.step);

/** The summary's steps, request by request in ladder order; a step no case reached under either policy is left out. */
export function stepRows(summary: PolicySimulation['summary']): SimulatedStepFigures[] {
  return summary.steps.filter((figures) => figures.reached.recorded > 0 || figures.reached.simulated > 0).sort((a, b) => ladderIndex(a) - ladderIndex(b));
}

/** A changed case's steps that moved, came or went, in ladder order (unchanged ones left out). */
export function movedSteps(simulated: SimulatedCase): SimulatedStep[] {
  return simulated.steps.filter((step) => step.change !== 'unchanged').sort((a, b) => ladderIndex(a) - ladderIndex(b));
}

/** How far a step moved, in milliseconds (positive), when it moved earlier or later. */
export function shiftMilliseconds(step: SimulatedStep): number | undefined {
  return step.shiftSeconds === undefined ? undefined : Math.abs(step.shiftSeconds) * 1000;
}
