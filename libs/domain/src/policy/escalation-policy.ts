// The escalation policy: per platform a versioned table of deadlines, by severity × clock × ladder step.

import { addTime, TimeBasis } from '../time/deadline-clock';
import { InvalidDurationError, parseDuration } from '../time/duration';
import { GERMAN_STATES, GermanState } from '../time/german-calendar';

export const SEVERITIES = ['critical', 'high', 'standard'] as const;
/** `critical` = threat to life or limb; `high` = manifestly unlawful; `standard` = other unlawful content. */
export type Severity = (typeof SEVERITIES)[number];

export const CLOCK_KINDS = ['deletion', 'subscriber-data'] as const;
/** Each request to the platform runs its own clock. */
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** The escalation ladder, in order. Each step waits for the platform up to its own deadline. */
export const LADDER_STEPS = ['standard-contact', 'reminder', 'high-level-contact', 'app-store-pressure'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];

export interface StepRule {
  /** ISO 8601 duration: weeks, days, hours, minutes, seconds (`PT1H`, `P7D`, `PT30S`). */
  duration: string;
  basis: TimeBasis;
}

export type StepRules = Record<LadderStep, StepRule>;

export interface EscalationPolicy {
  platform: string;
  /** Increases by one with every change an admin makes. */
  version: number;
  rules: Record<Severity, Record<ClockKind, StepRules>>;
  /** Business time skips federal holidays, and those of this state when set. */
  holidayState?: GermanState;
}

export function nextStep(step: LadderStep): LadderStep | undefined {
  return LADDER_STEPS[LADDER_STEPS.indexOf(step) + 1];
}

const calendar = (duration: string): StepRule => ({ duration, basis: 'calendar' });

function ladder(firstResponse: string, reminder: string, highLevel: string, appStore: string): StepRules {
  return {
    'standard-contact': calendar(firstResponse),
    reminder: calendar(reminder),
    'high-level-contact': calendar(highLevel),
    'app-store-pressure': calendar(appStore),
  };
}

/**
 * Version 1 for a platform: 1 hour for threats to life (the DSA expects immediate action), 24 hours for
 * manifestly unlawful content and 7 days for other unlawful content (NetzDG), each step of the ladder its own.
 */
export function defaultEscalationPolicy(platform: string): EscalationPolicy {
  const critical = ladder('PT1H', 'PT1H', 'PT4H', 'PT24H');
  const high = ladder('PT24H', 'PT24H', 'PT48H', 'P7D');
  const standard = ladder('P7D', 'P3D', 'PT48H', 'P14D');
  return {
    platform,
    version: 1,
    rules: {
      critical: { deletion: critical, 'subscriber-data': critical },
      high: { deletion: high, 'subscriber-data': high },
      standard: { deletion: standard, 'subscriber-data': standard },
    },
  };
}

/** The deadline of one ladder step that started at `startMs`, under a policy. */
export function stepDeadline(
  policy: EscalationPolicy,
  severity: Severity,
  clock: ClockKind,
  step: LadderStep,
  startMs: number,
): number {
  const rule = policy.rules[severity][clock][step];
  return addTime(startMs, parseDuration(rule.duration), rule.basis, policy.holidayState);
}

/**
 * Everything wrong with a policy, as messages an admin understands (empty when it is valid). Pure, so the
 * API and the decider agree on what a valid policy is.
 */
export function policyProblems(policy: unknown): string[] {
  const problems: string[] = [];
  if (typeof policy !== 'object' || policy === null) return ['a policy must be an object'];
  const p = policy as Partial<EscalationPolicy>;
  if (typeof p.platform !== 'string' || p.platform.trim() === '') problems.push('platform must be a non-empty string');
  if (!Number.isInteger(p.version) || (p.version as number) < 1) problems.push('version must be a whole number from 1');
  if (p.holidayState !== undefined && !GERMAN_STATES.includes(p.holidayState)) {
    problems.push(`holidayState must be one of ${GERMAN_STATES.join(', ')}`);
  }
  if (typeof p.rules !== 'object' || p.rules === null) return [...problems, 'rules must be given'];
  for (const severity of SEVERITIES) {
    for (const clock of CLOCK_KINDS) {
      for (const step of LADDER_STEPS) {
        const where = `rules.${severity}.${clock}.${step}`;
        const rule = p.rules?.[severity]?.[clock]?.[step];
        if (!rule) {
          problems.push(`${where} is missing`);
          continue;
        }
        try {
          parseDuration(rule.duration);
        } catch (error) {
          problems.push(`${where}.duration: ${error instanceof InvalidDurationError ? error.message : 'invalid'}`);
        }
        if (rule.basis !== 'calendar' && rule.basis !== 'business') {
          problems.push(`${where}.basis must be "calendar" or "business"`);
        }
      }
    }
  }
  return problems;
}
