// Properties of the decider over random sequences of back-office actions and timer firings.
import fc from 'fast-check';
import { fold } from '../event-sourcing';
import { toMillis } from '../time/instant';
import { run, scenario } from '../../testing/random-report-histories';
import { ReportEvent } from './events';
import { reportDecider } from './report-decider';
import { FiledReportState, ReportState } from './state';

const { decide } = reportDecider;

const clocksOf = (state: ReportState) => (state.status === 'not-filed' ? [] : Object.values((state as FiledReportState).clocks));

describe('the report decider, over random sequences of actions', () => {
  const params = { numRuns: 300 };

  it('only ever refuses with an IllegalStepError, and never mutates the state it is given', () => {
    fc.assert(fc.property(scenario, (intents) => { run(intents); }), params);
  });

  it('is deterministic: the same command on the same state decides the same events, the same events fold the same state', () => {
    fc.assert(fc.property(scenario, (intents) => {
      const { steps, log, state } = run(intents);
      for (const step of steps) expect(decide(step.command, step.before)).toEqual(step.events);
      expect(fold(reportDecider, log)).toEqual(fold(reportDecider, log));
      expect(fold(reportDecider, log)).toEqual(state);
    }), params);
  });

  it('lets nothing but notes, assignment and ReportReopened follow ReportClosed', () => {
    fc.assert(fc.property(scenario, (intents) => {
      const { log } = run(intents);
      log.forEach((event, i) => {
        if (event.type === 'ReportClosed' && i + 1 < log.length) expect(['ReportReopened', 'NoteAdded', 'CaseAssigned']).toContain(log[i + 1].type);
      });
    }), params);
  });

  it('never puts a deadline before its clock\'s start', () => {
    fc.assert(fc.property(scenario, (intents) => {
      for (const step of run(intents).steps) {
        for (const clock of clocksOf(step.after)) {
          expect(toMillis(clock.stepStartedAt)).toBeGreaterThanOrEqual(toMillis(clock.requestedAt));
          expect(toMillis(clock.deadline)).toBeGreaterThan(toMillis(clock.stepStartedAt));
        }
      }
    }), params);
  });

  it('never shortens a deadline by pausing and resuming', () => {
    fc.assert(fc.property(scenario, (intents) => {
      for (const step of run(intents).steps) {
        if (step.command.type !== 'ResumeCase') continue;
        const resumed = step.events.find((e) => e.type === 'CaseResumed');
        expect(resumed).toBeDefined();
        if (resumed?.type !== 'CaseResumed') continue;
        for (const change of resumed.data.deadlines) expect(toMillis(change.deadline)).toBeGreaterThanOrEqual(toMillis(change.previousDeadline));
      }
    }), params);
  });

  it('rebuilds exactly the state from the stored (serialised) events', () => {
    fc.assert(fc.property(scenario, (intents) => {
      const { log, state } = run(intents);
      const stored = JSON.parse(JSON.stringify(log)) as ReportEvent[];
      expect(fold(reportDecider, stored)).toEqual(state);
      expect(state.version).toBe(log.length);
    }), params);
  });

  it('reaches every kind of event somewhere in the runs (the generator is not trivial)', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(scenario, (intents) => { for (const e of run(intents).log) seen.add(e.type); }), { numRuns: 2000, seed: 42 });
    expect([...seen].sort()).toEqual([
      'CaseAssigned', 'CasePaused', 'CaseResumed', 'DeadlineElapsed', 'DeletionRequested', 'EscalationLadderExhausted',
      'NoteAdded', 'PlatformResponseRecorded', 'PolicyApplied', 'RemovalConfirmed', 'RemovalContradicted', 'ReportClosed',
      'ReportDismissed', 'ReportFiled', 'ReportMarkedDuplicate', 'ReportReopened', 'ReportRetriaged', 'ReportTriaged', 'RequestEscalated',
      'SubscriberDataRequested',
    ]);
  });
});
