import { fold } from '../event-sourcing';
import { at, DAY, event, HOUR, meta, MINUTE, timer } from '../../testing/report-fixtures';
import { ReportEvent } from './events';
import { replayReport } from './replay';
import { reportDecider } from './report-decider';

// Filed at T0, triaged at +10 min, deletion requested at +20 min (due a day later), elapsed and escalated by the timer.
const due = at(20 * MINUTE + DAY);
const reminderDue = at(20 * MINUTE + 2 * DAY);
const stream: ReportEvent[] = [
  event.reportFiled(),
  event.reportTriaged('high'),
  event.deletionRequested(due),
  event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: due }, timer(20 * MINUTE + DAY)),
  event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: reminderDue }, timer(20 * MINUTE + DAY)),
  event.noteAdded('Called the contact', meta(2 * DAY)),
];

describe('replaying a case to an earlier point', () => {
  it('by version: folds exactly that many events, as the decider folds them', () => {
    const replayed = replayReport(stream, { atVersion: 3 });
    expect(replayed).toEqual({ state: fold(reportDecider, stream.slice(0, 3)), version: 3, occurredAt: at(20 * MINUTE), latestVersion: 6 });
    expect(replayed?.state.status === 'active' && replayed.state.clocks.deletion?.step).toBe('standard-contact');
  });

  it('at the last version: the case as it is now', () => {
    expect(replayReport(stream, { atVersion: 6 })?.state).toEqual(fold(reportDecider, stream));
  });

  it('by instant: every event that occurred by then, the events of that very instant included', () => {
    const beforeDeadline = replayReport(stream, { at: at(DAY) });
    expect(beforeDeadline?.version).toBe(3);
    const atEscalation = replayReport(stream, { at: at(20 * MINUTE + DAY) });
    expect(atEscalation?.version).toBe(5);
    expect(atEscalation?.state.status === 'active' && atEscalation.state.clocks.deletion?.step).toBe('reminder');
    expect(replayReport(stream, { at: '2030-01-01T00:00:00Z' })?.version).toBe(6);
  });

  it('by instant: stops at the first event after it, even if a later one carries an earlier time', () => {
    const skewed = [...stream.slice(0, 3), event.noteAdded('late clock', meta(3 * HOUR)), event.noteAdded('early clock', meta(HOUR))];
    expect(replayReport(skewed, { at: at(2 * HOUR) })?.version).toBe(3);
  });

  it.each([
    ['before the first event', { at: at(-1) }],
    ['version 0', { atVersion: 0 }],
    ['past the end', { atVersion: 7 }],
    ['not a whole number', { atVersion: 2.5 }],
  ])('has nothing %s', (_what, point) => {
    expect(replayReport(stream, point)).toBeUndefined();
  });

  it('has nothing for an empty stream', () => {
    expect(replayReport([], { atVersion: 1 })).toBeUndefined();
    expect(replayReport([], { at: at(0) })).toBeUndefined();
  });
});
