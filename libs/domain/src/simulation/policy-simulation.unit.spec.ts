// What-if simulations of a policy over recorded cases, as the business asks them.
import fc from 'fast-check';
import { EscalationPolicy, LADDER_STEPS, LadderStep, SEVERITIES, CLOCK_KINDS } from '../policy/escalation-policy';
import { ReportEvent } from '../report/events';
import { at, command, DAY, HOUR, MINUTE, policyV1, T0, uniformPolicy } from '../../testing/report-fixtures';
import { recordHistory, TimedAction } from '../../testing/recorded-histories';
import { CaseSimulation, PolicySimulation, simulatePolicy } from './policy-simulation';
import { simulateCase } from './simulate-case';

/** The default policy with some cells of the high-severity deletion ladder changed. */
function candidate(version: number, steps: Partial<Record<LadderStep, string>>, basis: 'calendar' | 'business' = 'calendar'): EscalationPolicy {
  const policy: EscalationPolicy = JSON.parse(JSON.stringify(policyV1));
  policy.version = version;
  for (const [step, duration] of Object.entries(steps)) policy.rules.high.deletion[step as LadderStep] = { duration, basis };
  return policy;
}

const act = (offsetMs: number, make: TimedAction['make']): TimedAction => ({ at: T0 + offsetMs, make });

/** A high-severity case: filed at T0, triaged at +10 min, the deletion request sent at +20 min (due 24 h later). */
function caseWith(...later: TimedAction[]): TimedAction[] {
  return [
    act(0, (m) => command.fileReport({}, m)),
    act(10 * MINUTE, (m) => command.triageActionable('high', m)),
    act(20 * MINUTE, (m) => command.requestDeletion(m)),
    ...later,
  ];
}

const answeredAt = (offsetMs: number) => act(offsetMs, (m) => command.respond({ clock: 'deletion', response: 'removed' }, m));

/** given recorded cases, when simulated under a candidate (up to an instant), then … */
function given(...cases: TimedAction[][]) {
  const until = T0 + 5 * DAY;
  const recorded = cases.map((actions) => recordHistory(actions, until));
  return {
    recorded,
    whenSimulatedUnder: (policy: EscalationPolicy, options: { sameWithinMs?: number } = {}): PolicySimulation =>
      simulatePolicy({ cases: recorded, candidate: policy, asOf: new Date(until).toISOString(), ...options }),
  };
}

const stepsOf = (simulated: CaseSimulation) => simulated.steps.map(({ clock, step, change, shiftMs }) => ({ clock, step, change, shiftMs }));

describe('simulating a policy over recorded cases', () => {
  it('the policy in force reproduces exactly what happened: nothing earlier, later, missing or refused', () => {
    const unanswered = given(caseWith());
    const result = unanswered.whenSimulatedUnder(policyV1);
    expect(simulateCase(unanswered.recorded[0], policyV1, T0 + 5 * DAY).events).toEqual(unanswered.recorded[0]);
    expect(result.cases[0]).toMatchObject({ reportId: 'r-2026-0001', changed: false, refused: [], appStorePressure: { recorded: true, simulated: true } });
    expect(stepsOf(result.cases[0]).map((s) => s.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(result.summary).toMatchObject({ cases: 1, casesChanged: 0, casesWithRefusedActions: 0, appStorePressure: { recorded: 1, simulated: 1 } });
  });

  it('a shorter first deadline brings the reminder 12 hours earlier, for a case the platform answered after it', () => {
    const result = given(caseWith(answeredAt(30 * HOUR))).whenSimulatedUnder(candidate(2, { 'standard-contact': 'PT12H' }));
    expect(stepsOf(result.cases[0])).toEqual([{ clock: 'deletion', step: 'reminder', change: 'earlier', shiftMs: -12 * HOUR }]);
    expect(result.cases[0].steps[0]).toMatchObject({ recorded: at(20 * MINUTE + DAY), simulated: at(20 * MINUTE + 12 * HOUR) });
  });

  it('a longer first deadline than the platform took: no reminder at all', () => {
    const result = given(caseWith(answeredAt(30 * HOUR))).whenSimulatedUnder(candidate(2, { 'standard-contact': 'P2D' }));
    expect(stepsOf(result.cases[0])).toEqual([{ clock: 'deletion', step: 'reminder', change: 'not-at-all', shiftMs: undefined }]);
    expect(result.summary.steps.find((s) => s.clock === 'deletion' && s.step === 'reminder')).toMatchObject({
      reached: { recorded: 1, simulated: 0 },
      changes: { 'not-at-all': 1, earlier: 0, later: 0, unchanged: 0, 'only-under-candidate': 0 },
    });
  });

  it('a ladder of one hour a step would have put pressure through the app stores on a case answered after 30 hours', () => {
    const result = given(caseWith(answeredAt(30 * HOUR))).whenSimulatedUnder({ ...uniformPolicy(2, 'PT1H'), holidayState: undefined });
    expect(stepsOf(result.cases[0])).toEqual([
      { clock: 'deletion', step: 'reminder', change: 'earlier', shiftMs: -23 * HOUR },
      { clock: 'deletion', step: 'high-level-contact', change: 'only-under-candidate', shiftMs: undefined },
      { clock: 'deletion', step: 'app-store-pressure', change: 'only-under-candidate', shiftMs: undefined },
    ]);
    expect(result.cases[0].appStorePressure).toEqual({ recorded: false, simulated: true });
    expect(result.summary.appStorePressure).toEqual({ recorded: 0, simulated: 1 });
  });

  it('a shorter high-level step brings app-store pressure 36 hours earlier on an unanswered case', () => {
    const result = given(caseWith()).whenSimulatedUnder(candidate(2, { 'high-level-contact': 'PT12H' }));
    expect(stepsOf(result.cases[0])).toEqual([
      { clock: 'deletion', step: 'reminder', change: 'unchanged', shiftMs: 0 },
      { clock: 'deletion', step: 'high-level-contact', change: 'unchanged', shiftMs: 0 },
      { clock: 'deletion', step: 'app-store-pressure', change: 'earlier', shiftMs: -36 * HOUR },
    ]);
  });

  it('a pause moves the candidate deadline by the time paused, as it moved the recorded one', () => {
    const paused = caseWith(
      act(HOUR, (m) => command.pause({ reason: 'awaiting-prosecutor' }, m)),
      act(11 * HOUR, (m) => command.resume(m)),
      answeredAt(40 * HOUR),
    );
    const result = given(paused).whenSimulatedUnder(candidate(2, { 'standard-contact': 'PT12H' }));
    // Recorded: due at 24 h 20 min + 10 h paused; candidate: 12 h 20 min + 10 h.
    expect(result.cases[0].steps[0]).toMatchObject({ change: 'earlier', recorded: at(34 * HOUR + 20 * MINUTE), simulated: at(22 * HOUR + 20 * MINUTE) });
  });

  it('in business time a deadline over the weekend comes two days later', () => {
    // Sent on Friday 6 March 2026 at 15:00 UTC (16:00 in Berlin): 24 business hours end on Monday at 16:00 in Berlin.
    const friday = 4 * DAY + 6 * HOUR;
    const overWeekend = [
      act(0, (m) => command.fileReport({}, m)),
      act(10 * MINUTE, (m) => command.triageActionable('high', m)),
      act(friday, (m) => command.requestDeletion(m)),
      act(friday + 4 * DAY, (m) => command.respond({ clock: 'deletion', response: 'refused', reason: 'no violation' }, m)),
    ];
    const result = simulatePolicy({ cases: [recordHistory(overWeekend, T0 + 10 * DAY)], candidate: candidate(2, { 'standard-contact': 'PT24H' }, 'business'), asOf: at(10 * DAY) });
    expect(result.cases[0].steps[0]).toMatchObject({ step: 'reminder', change: 'later', recorded: '2026-03-07T15:00:00.000Z', simulated: '2026-03-09T15:00:00.000Z', shiftMs: 2 * DAY });
  });

  it('an escalation by hand that the candidate ladder had already run through is refused, with the reason', () => {
    const escalatedByHand = caseWith(act(3 * HOUR, (m) => command.escalate({ clock: 'deletion', reason: 'still online' }, m)));
    const result = given(escalatedByHand).whenSimulatedUnder({ ...uniformPolicy(2, 'PT30M') });
    expect(result.cases[0].refused).toEqual([
      { command: 'Escalate', at: at(3 * HOUR), actor: 'analyst.meyer', code: 'clock-not-running', reason: expect.stringMatching(/No deletion request is waiting/) },
    ]);
    expect(result.cases[0].changed).toBe(true);
    expect(result.summary.casesWithRefusedActions).toBe(1);
  });

  it('a timer that fired a few seconds after its deadline counts as unchanged, within sameWithinMs', () => {
    const { recorded } = given(caseWith(answeredAt(30 * HOUR)));
    const late = recorded[0].map((event): ReportEvent =>
      event.metadata.actor === 'system:timer' ? { ...event, metadata: { ...event.metadata, now: new Date(Date.parse(event.metadata.now) + 2_000).toISOString() } } : event,
    );
    expect(simulatePolicy({ cases: [late], candidate: policyV1, asOf: at(5 * DAY) }).cases[0].steps[0]).toMatchObject({ change: 'unchanged', shiftMs: -2_000 });
    expect(simulatePolicy({ cases: [late], candidate: policyV1, asOf: at(5 * DAY), sameWithinMs: 0 }).cases[0].steps[0]).toMatchObject({ change: 'earlier' });
  });

  it('gives the median time from the request to each step under both policies', () => {
    const result = given(caseWith(), caseWith(answeredAt(30 * HOUR)), caseWith(answeredAt(2 * HOUR))).whenSimulatedUnder(candidate(2, { 'standard-contact': 'PT12H' }));
    const reminder = result.summary.steps.find((s) => s.clock === 'deletion' && s.step === 'reminder');
    expect(reminder).toMatchObject({ reached: { recorded: 2, simulated: 2 }, medianMsToStep: { recorded: DAY, simulated: 12 * HOUR } });
    expect(result.summary.steps.find((s) => s.clock === 'subscriber-data' && s.step === 'reminder')?.medianMsToStep).toEqual({ recorded: null, simulated: null });
    expect(result.summary.cases).toBe(3);
  });
});

// ---- properties ---------------------------------------------------------------------------------------------

const offset = fc.oneof(fc.integer({ min: 0, max: 2 * HOUR }), fc.integer({ min: 0, max: 4 * DAY }));
const kind = fc.constantFrom(...CLOCK_KINDS);
const action = (o: number, make: TimedAction['make']): [number, TimedAction['make']] => [o, make];
const staffAction: fc.Arbitrary<[number, TimedAction['make']]> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(offset, fc.constantFrom(...SEVERITIES)).map(([o, severity]) => action(o, (m) => command.triageActionable(severity, m))) },
  { weight: 1, arbitrary: fc.tuple(offset, fc.constantFrom(...SEVERITIES)).map(([o, severity]) => action(o, (m) => ({ type: 'RetriageReport', data: { category: 'threat', severity, actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false }, reason: 'second look' }, metadata: m }))) },
  { weight: 1, arbitrary: offset.map((o) => action(o, (m) => command.dismiss('not unlawful', m))) },
  { weight: 3, arbitrary: offset.map((o) => action(o, (m) => command.requestDeletion(m))) },
  { weight: 2, arbitrary: offset.map((o) => action(o, (m) => command.requestSubscriberData(m))) },
  { weight: 3, arbitrary: fc.tuple(offset, fc.constantFrom('removed', 'partially-removed', 'refused'), fc.integer({ min: 0, max: 2 * HOUR })).map(([o, response, late]) => action(o, (m) => command.respond({
    clock: 'deletion', response, reason: 'because',
    // Now and then with when the answer arrived and when the removal took effect, as the platform states them.
    ...(late > HOUR && { receivedAt: new Date(Date.parse(m.now) - late + HOUR).toISOString(), ...(response !== 'refused' && { effectGivenAt: new Date(Date.parse(m.now) - late).toISOString() }) }),
  }, m))) },
  { weight: 2, arbitrary: fc.tuple(offset, fc.constantFrom('data-supplied', 'data-refused')).map(([o, response]) => action(o, (m) => command.respond({ clock: 'subscriber-data', response, reason: 'because' }, m))) },
  { weight: 3, arbitrary: fc.tuple(offset, fc.constantFrom('gone', 'still-online') as fc.Arbitrary<'gone' | 'still-online'>).map(([o, result]) => action(o, (m) => command.verify(result, m))) },
  { weight: 2, arbitrary: fc.tuple(offset, kind).map(([o, clock]) => action(o, (m) => command.escalate({ clock, reason: 'urgent' }, m))) },
  { weight: 2, arbitrary: offset.map((o) => action(o, (m) => command.pause({ reason: 'awaiting-prosecutor' }, m))) },
  { weight: 3, arbitrary: offset.map((o) => action(o, (m) => command.resume(m))) },
  { weight: 1, arbitrary: fc.tuple(offset, fc.constantFrom('a', 'b')).map(([o, who]) => action(o, (m) => command.assign(who, m))) },
  { weight: 1, arbitrary: offset.map((o) => action(o, (m) => command.addNote('note', m))) },
  { weight: 1, arbitrary: fc.tuple(offset, fc.constantFrom('withdrawn', 'unresolved', 'removed', 'refused-and-referred-to-prosecution') as fc.Arbitrary<'withdrawn'>).map(([o, outcome]) => action(o, (m) => command.close({ outcome }, m))) },
  { weight: 2, arbitrary: offset.map((o) => action(o, (m) => command.reopen('again', m))) },
  { weight: 1, arbitrary: offset.map((o) => action(o, (m) => command.markDuplicate('r-0', m))) },
);
const durations = fc.constantFrom('PT30M', 'PT1H', 'PT12H', 'P1D', 'P3D');
const rulesTable = fc.tuple(fc.array(fc.tuple(durations, fc.constantFrom('calendar' as const, 'business' as const)), { minLength: 24, maxLength: 24 }), fc.option(fc.constantFrom('BY' as const, 'BE' as const), { nil: undefined }))
  .map(([cells, holidayState]) => {
    const policy: EscalationPolicy = JSON.parse(JSON.stringify(policyV1));
    let index = 0;
    for (const severity of SEVERITIES) for (const clock of CLOCK_KINDS) for (const step of LADDER_STEPS) {
      const [duration, basis] = cells[index++];
      policy.rules[severity][clock][step] = { duration, basis };
    }
    return holidayState ? { ...policy, holidayState } : policy;
  });

/** A case filed under `policy` at T0, then the staff's actions at random later times, recorded with the timer's steps. */
const recordedCase = fc.tuple(rulesTable, fc.boolean(), fc.array(staffAction, { maxLength: 25 }), fc.integer({ min: 0, max: 30 * DAY })).map(([policy, prefixed, actions, tail]) => {
  let now = T0;
  const timed: TimedAction[] = [{ at: T0, make: (m) => command.fileReport({ policy }, m) }];
  if (prefixed) {
    timed.push({ at: T0 + MINUTE, make: (m) => command.triageActionable('critical', m) }, { at: T0 + 2 * MINUTE, make: (m) => command.requestDeletion(m) });
    now += 2 * MINUTE;
  }
  for (const [advance, make] of actions) {
    now += advance;
    timed.push({ at: now, make });
  }
  const until = now + tail;
  return { policy, until, events: recordHistory(timed, until) };
});

describe('simulation properties', () => {
  it('the policy that was in force, simulated, reproduces exactly what happened', () => {
    fc.assert(fc.property(recordedCase, ({ policy, until, events }) => {
      const simulated = simulateCase(events, policy, until);
      expect(simulated.refused).toEqual([]);
      expect(simulated.events).toEqual(events);
      const result = simulatePolicy({ cases: [events], candidate: policy, asOf: new Date(until).toISOString(), sameWithinMs: 0 });
      expect(result.summary.casesChanged).toBe(0);
    }), { numRuns: 300 });
  });

  it('under any candidate: deterministic, and every step reached is counted once as earlier, later, unchanged or new', () => {
    fc.assert(fc.property(fc.array(recordedCase, { minLength: 1, maxLength: 4 }), rulesTable, (cases, other) => {
      const input = { cases: cases.map((c) => c.events), candidate: { ...other, version: 9 }, asOf: new Date(Math.max(...cases.map((c) => c.until))).toISOString() };
      const result = simulatePolicy(input);
      expect(simulatePolicy(input)).toEqual(result);
      for (const figures of result.summary.steps) {
        const { earlier, later, unchanged } = figures.changes;
        expect(figures.reached.simulated).toBe(earlier + later + unchanged + figures.changes['only-under-candidate']);
        expect(figures.reached.recorded).toBe(earlier + later + unchanged + figures.changes['not-at-all']);
      }
    }), { numRuns: 100 });
  });
});
