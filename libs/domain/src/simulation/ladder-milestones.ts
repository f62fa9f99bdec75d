// When each request of a case reached each step of its escalation ladder, read from its events.

import { CLOCK_KINDS, ClockKind, LadderStep } from '../policy/escalation-policy';
import { ReportEvent } from '../report/events';
import { toMillis } from '../time/instant';

/** The steps past the standard contact: a reminder, the high-level contact, app-store pressure. */
export const ESCALATION_STEPS = ['reminder', 'high-level-contact', 'app-store-pressure'] as const satisfies readonly LadderStep[];
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

export interface RequestMilestones {
  /** When the request was first sent. */
  requestedAt?: string;
  /** When the request first reached each step (a removal contradicted later may bring it there again). */
  reached: Partial<Record<EscalationStep, string>>;
  /** When the platform first answered it. */
  answeredAt?: string;
}

export type CaseMilestones = Record<ClockKind, RequestMilestones>;

export function ladderMilestones(events: readonly ReportEvent[]): CaseMilestones {
  const milestones = Object.fromEntries(CLOCK_KINDS.map((kind) => [kind, { reached: {} }])) as CaseMilestones;
  for (const event of events) {
    const now = event.metadata.now;
    switch (event.type) {
      case 'DeletionRequested':
        milestones.deletion.requestedAt ??= now;
        break;
      case 'SubscriberDataRequested':
        milestones['subscriber-data'].requestedAt ??= now;
        break;
      case 'RequestEscalated': {
        const to = event.data.to;
        if (to !== 'standard-contact') milestones[event.data.clock].reached[to] ??= now;
        break;
      }
      case 'PlatformResponseRecorded':
        milestones[event.data.clock].answeredAt ??= now;
        break;
      default:
        break;
    }
  }
  return milestones;
}

/** How long after the request was sent it reached `step`, in ms; undefined if it never did. */
export function timeToStep(milestones: RequestMilestones, step: EscalationStep): number | undefined {
  const reached = milestones.reached[step];
  if (reached === undefined || milestones.requestedAt === undefined) return undefined;
  return toMillis(reached) - toMillis(milestones.requestedAt);
}
