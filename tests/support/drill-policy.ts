// An admin's drill policy for tests: a rule table whose steps last seconds, so a case climbs its ladder while the
// test watches.
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, SEVERITIES, type ClockKind, type EscalationPolicy, type LadderStep, type Severity } from '@engine/domain';

type DurationOf = (severity: Severity, clock: ClockKind, step: LadderStep) => string;

/** Every step of every ladder lasts `duration` (an ISO 8601 duration), or what `duration` gives for it; calendar time. */
export function drillRules(duration: string | DurationOf): EscalationPolicy['rules'] {
  const rules = defaultEscalationPolicy('drill').rules;
  for (const severity of SEVERITIES) {
    for (const clock of CLOCK_KINDS) {
      for (const step of LADDER_STEPS) {
        rules[severity][clock][step] = { duration: typeof duration === 'string' ? duration : duration(severity, clock, step), basis: 'calendar' };
      }
    }
  }
  return rules;
}
