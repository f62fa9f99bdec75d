// The policy table as the editor holds it: per severity × request × ladder step, the duration as the person
// typed it and the time basis; read into the rules the API stores, and compared with the version in force.

import type { ApiSchemas } from '../../api/client';
import { CLOCK_KINDS, SEVERITIES, type ClockKind, type Severity } from '../../api/vocabulary';
import { formatIsoDuration } from '../../format/time';
import type { Language } from '../../i18n';
import { durationMilliseconds, parseDurationInput, type DurationProblem } from './durations';

export type PolicyRules = ApiSchemas['PolicyRulesDto'];
export type StepRule = ApiSchemas['StepRuleDto'];
export type TimeBasis = StepRule['basis'];
export type PolicyStep = keyof ApiSchemas['LadderRulesDto'];
export type HolidayState = NonNullable<ApiSchemas['PolicyChangeDto']['holidayState']>;

export const POLICY_STEPS = ['standard-contact', 'reminder', 'high-level-contact', 'app-store-pressure'] as const satisfies readonly PolicyStep[];
export const TIME_BASES = ['calendar', 'business'] as const satisfies readonly TimeBasis[];
export const HOLIDAY_STATES = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'] as const satisfies readonly HolidayState[];

/** One cell of the editor: the text in the duration field and the basis chosen. */
export interface DraftCell {
  duration: string;
  basis: TimeBasis;
}

export type DraftRules = Record<Severity, Record<ClockKind, Record<PolicyStep, DraftCell>>>;

export interface CellAddress {
  severity: Severity;
  clock: ClockKind;
  step: PolicyStep;
}

/** Every cell in table order: severity, then request, then ladder step. */
export function cellAddresses(): CellAddress[] {
  return SEVERITIES.flatMap((severity) => CLOCK_KINDS.flatMap((clock) => POLICY_STEPS.map((step) => ({ severity, clock, step }))));
}

/** The rules as the editor shows them, durations written as people read them ("24 h", "7 Tage"). */
export function draftOf(rules: PolicyRules, language: Language): DraftRules {
  const draft = {} as DraftRules;
  for (const { severity, clock, step } of cellAddresses()) {
    const rule = rules[severity][clock][step];
    ((draft[severity] ??= {} as DraftRules[Severity])[clock] ??= {} as Record<PolicyStep, DraftCell>)[step] = {
      duration: formatIsoDuration(rule.duration, language),
      basis: rule.basis,
    };
  }
  return draft;
}

export type ReadDraft = { ok: true; rules: PolicyRules } | { ok: false; problems: Array<CellAddress & { problem: DurationProblem }> };

/**
 * The editor's table as rules to store. A cell whose text still reads as its stored duration keeps the stored
 * ISO text (so an untouched "24 h" stays PT24H, not a rewritten P1D), any other is what the person typed.
 */
export function readDraft(draft: DraftRules, base: PolicyRules): ReadDraft {
  const rules = structuredClone(base);
  const problems: Array<CellAddress & { problem: DurationProblem }> = [];
  for (const address of cellAddresses()) {
    const { severity, clock, step } = address;
    const cell = draft[severity][clock][step];
    const parsed = parseDurationInput(cell.duration);
    if (!parsed.ok) {
      problems.push({ ...address, problem: parsed.problem });
      continue;
    }
    const stored = base[severity][clock][step];
    const duration = durationMilliseconds(stored.duration) === parsed.milliseconds ? stored.duration : parsed.iso;
    rules[severity][clock][step] = { duration, basis: cell.basis };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

export type PolicyDifference =
  | (CellAddress & { kind: 'cell'; before: StepRule; after: StepRule })
  | { kind: 'holiday-state'; before: HolidayState | undefined; after: HolidayState | undefined };

/** What a new version changes against the one in force: cells of another length or basis, and the holiday state. */
export function policyDiff(
  inForce: { rules: PolicyRules; holidayState?: HolidayState },
  proposed: { rules: PolicyRules; holidayState?: HolidayState },
): PolicyDifference[] {
  const differences: PolicyDifference[] = [];
  for (const address of cellAddresses()) {
    const { severity, clock, step } = address;
    const before = inForce.rules[severity][clock][step];
    const after = proposed.rules[severity][clock][step];
    if (durationMilliseconds(before.duration) !== durationMilliseconds(after.duration) || before.basis !== after.basis) {
      differences.push({ kind: 'cell', ...address, before, after });
    }
  }
  if ((inForce.holidayState ?? undefined) !== (proposed.holidayState ?? undefined)) {
    differences.push({ kind: 'holiday-state', before: inForce.holidayState, after: proposed.holidayState });
  }
  return differences;
}
