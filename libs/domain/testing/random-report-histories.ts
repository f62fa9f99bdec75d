// Random histories of a report: sequences of back-office actions and timer firings, run through the decider.
// Shared by the decider's property specs and the contract specs. Test-only.
import fc from 'fast-check';
import { IllegalStepError } from '../src/errors';
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, SEVERITIES } from '../src/policy/escalation-policy';
import { toInstant, toMillis } from '../src/time/instant';
import { ReportCommand } from '../src/report/commands';
import { ReportEvent } from '../src/report/events';
import { reportDecider } from '../src/report/report-decider';
import { ReportState } from '../src/report/state';
import { CLOSE_OUTCOMES, DELETION_RESPONSES, PAUSE_REASONS, REMOVAL_CHECKS, SUBSCRIBER_DATA_RESPONSES } from '../src/report/vocabulary';

const { decide, evolve, initialState } = reportDecider;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const PLATFORM = 'telegram';

/** A step a user or a timer might take: turned into a command against the state and the time it meets. */
export type Intent = { advanceMs: number; make: (state: ReportState, now: number) => { command: ReportCommand; now: number } };

const at = (now: number, actor = 'staff.a') => ({ actor, now: toInstant(now) });
const plain = (advanceMs: number, build: (meta: ReturnType<typeof at>, state: ReportState) => ReportCommand): Intent => ({
  advanceMs,
  make: (state, now) => ({ command: build(at(now), state), now }),
});

const currentVersion = (state: ReportState) => (state.status === 'not-filed' ? 1 : state.policy.version);

function uniform(version: number, duration: string, basis: 'calendar' | 'business') {
  const policy = defaultEscalationPolicy(PLATFORM);
  for (const severity of SEVERITIES) for (const clock of CLOCK_KINDS) for (const step of LADDER_STEPS) policy.rules[severity][clock][step] = { duration, basis };
  return { ...policy, version };
}

const advance = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 3_600_000 }), fc.integer({ min: 1, max: 10 * 86_400_000 }));
const clockKind = fc.constantFrom(...CLOCK_KINDS);
const duration = fc.constantFrom('PT30S', 'PT10M', 'PT1H', 'P1D', 'P7D');
const basis = fc.constantFrom('calendar' as const, 'business' as const);

const fileCommand = (metadata: ReturnType<typeof at>): ReportCommand => ({
  type: 'FileReport',
  data: { reportId: 'r-1', platform: PLATFORM, channel: 'citizen-portal', contentLocations: [{ url: 'https://t.me/c/1' }], excerpt: 'x', evidenceHash: 'sha256:1', seenAt: toInstant(T0), reporterReference: 'ref', policy: defaultEscalationPolicy(PLATFORM) },
  metadata,
});

// A response that mostly fits its request, sometimes not (the decider must refuse those).
const response = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('deletion' as const), fc.constantFrom(...DELETION_RESPONSES)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('subscriber-data' as const), fc.constantFrom(...SUBSCRIBER_DATA_RESPONSES)) },
  { weight: 1, arbitrary: fc.tuple(clockKind, fc.constantFrom(...DELETION_RESPONSES, ...SUBSCRIBER_DATA_RESPONSES)) },
);

const weighted = (weight: number, arbitrary: fc.Arbitrary<Intent>) => ({ weight, arbitrary });

const intent: fc.Arbitrary<Intent> = fc.oneof(
  weighted(1, advance.map((a) => plain(a, fileCommand))),
  fc.tuple(advance, fc.constantFrom(...SEVERITIES)).map(([a, severity]) => plain(a, (metadata) => ({
    type: 'TriageReport', data: { decision: 'actionable', category: 'threat', severity, actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } }, metadata,
  }))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'TriageReport', data: { decision: 'dismiss', reason: 'not unlawful' }, metadata }))),
  fc.tuple(advance, fc.constantFrom(...SEVERITIES), fc.constantFrom('threat' as const, 'insult' as const), fc.boolean()).map(([a, severity, category, referral]) => plain(a, (metadata) => ({
    type: 'RetriageReport', data: { category, severity, actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: referral }, reason: 'second look' }, metadata,
  }))),
  weighted(2, advance.map((a) => plain(a, (metadata) => ({ type: 'RequestDeletion', data: {}, metadata })))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'RequestSubscriberData', data: {}, metadata }))),
  weighted(3, fc.tuple(advance, response, fc.boolean()).map(([a, [clock, answer], withReason]) =>
    plain(a, (metadata) => ({ type: 'RecordPlatformResponse', data: { clock, response: answer, ...(withReason && { reason: 'because' }) }, metadata })))),
  weighted(2, fc.tuple(advance, fc.constantFrom(...REMOVAL_CHECKS)).map(([a, result]) => plain(a, (metadata) => ({ type: 'VerifyRemoval', data: { result }, metadata })))),
  fc.tuple(advance, clockKind).map(([a, clock]) => plain(a, (metadata) => ({ type: 'Escalate', data: { clock, reason: 'urgent' }, metadata }))),
  // A timer firing: at the clock's deadline (or now, if that has passed), for its current step or a stale one.
  weighted(6, fc.tuple(clockKind, fc.boolean(), fc.constantFrom(...LADDER_STEPS)).map(([clock, current, staleStep]): Intent => ({
    advanceMs: 0,
    make: (state, now) => {
      const running = state.status !== 'not-filed' ? state.clocks[clock] : undefined;
      const fireAt = running ? Math.max(now, toMillis(running.deadline)) : now;
      const step = current && running ? running.step : staleStep;
      return { command: { type: 'RecordDeadlineElapsed', data: { clock, step }, metadata: at(fireAt, 'system:timer') }, now: fireAt };
    },
  }))),
  fc.tuple(advance, fc.constantFrom(...PAUSE_REASONS)).map(([a, reason]) => plain(a, (metadata) => ({ type: 'PauseCase', data: { reason }, metadata }))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'ResumeCase', data: {}, metadata }))),
  fc.tuple(advance, fc.constantFrom('a', 'b')).map(([a, who]) => plain(a, (metadata) => ({ type: 'AssignCase', data: { assignee: who }, metadata }))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'AddNote', data: { text: 'note' }, metadata }))),
  fc.tuple(advance, fc.constantFrom(...CLOSE_OUTCOMES)).map(([a, outcome]) => plain(a, (metadata) => ({ type: 'CloseCase', data: { outcome }, metadata }))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'ReopenCase', data: { reason: 'again' }, metadata }))),
  advance.map((a) => plain(a, (metadata) => ({ type: 'MarkDuplicate', data: { duplicateOf: 'r-0' }, metadata }))),
  fc.tuple(advance, fc.integer({ min: 0, max: 2 }), duration, basis).map(([a, bump, d, b]) => plain(a, (metadata, state) => ({
    type: 'ApplyPolicy', data: { policy: uniform(currentVersion(state) + bump, d, b), reason: 'tuning' }, metadata,
  }))),
);

/**
 * The file command first, so that most runs get past the front door; half of the runs also triage and send
 * both requests first, so that the ladder's later steps are reached often.
 */
const triageAndRequest: Intent[] = [
  plain(0, (metadata) => ({ type: 'TriageReport', data: { decision: 'actionable', category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } }, metadata })),
  plain(0, (metadata) => ({ type: 'RequestDeletion', data: {}, metadata })),
  plain(0, (metadata) => ({ type: 'RequestSubscriberData', data: {}, metadata })),
];
export const scenario = fc
  .tuple(fc.boolean(), fc.array(intent, { minLength: 1, maxLength: 60 }))
  .map(([prefixed, rest]) => [plain(0, fileCommand), ...(prefixed ? triageAndRequest : []), ...rest]);

export interface Step { command: ReportCommand; before: ReportState; events: ReportEvent[]; after: ReportState }

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Runs a scenario, keeping every accepted step. Anything thrown but IllegalStepError fails the property. */
export function run(intents: Intent[]): { steps: Step[]; log: ReportEvent[]; state: ReportState } {
  let state = initialState();
  let now = T0;
  const steps: Step[] = [];
  const log: ReportEvent[] = [];
  for (const { advanceMs, make } of intents) {
    now += advanceMs;
    const made = make(state, now);
    now = made.now;
    const before = deepFreeze(state);
    let events: ReportEvent[];
    try {
      events = decide(made.command, before);
    } catch (error) {
      if (!(error instanceof IllegalStepError)) throw error;
      continue;
    }
    state = events.reduce(evolve, before);
    steps.push({ command: made.command, before, events, after: state });
    log.push(...events);
  }
  return { steps, log, state };
}

