import { at, DAY, event, history, HOUR, meta, MINUTE, timer } from '../../testing/report-fixtures';
import { fold } from '../event-sourcing';
import { ReportEvent } from './events';
import { isOverdue, ladderExhausted, overdueSince } from './overdue';
import { reportDecider } from './report-decider';

const given = (events: ReportEvent[]) => fold(reportDecider, events);
const firstDeadline = at(20 * MINUTE + DAY);
/** The deletion request climbed to app-store pressure and its last deadline (day 9) passed unanswered. */
const exhausted = (): ReportEvent[] => [
  ...history.deletionRequested(),
  event.escalated({ clock: 'deletion', from: 'high-level-contact', to: 'app-store-pressure', trigger: 'deadline', deadline: at(9 * DAY) }, timer(2 * DAY)),
  event.deadlineElapsed({ clock: 'deletion', step: 'app-store-pressure', deadline: at(9 * DAY) }, timer(9 * DAY)),
  event.exhausted('deletion', timer(9 * DAY)),
];

describe('overdueSince', () => {
  it('is undefined for a case in triage, and for a triaged case that sent no request', () => {
    expect(overdueSince(given(history.filed()))).toBeUndefined();
    expect(overdueSince(given(history.triaged()))).toBeUndefined();
  });

  it("is a running request's deadline: overdue once it passes, not before", () => {
    const state = given(history.deletionRequested());
    expect(overdueSince(state)).toBe(firstDeadline);
    expect(isOverdue(state, at(HOUR))).toBe(false);
    expect(isOverdue(state, firstDeadline)).toBe(true);
  });

  it('when the whole ladder ran out unanswered: overdue since its last deadline, for ever after', () => {
    const state = given(exhausted());
    expect(overdueSince(state)).toBe(at(9 * DAY));
    expect(isOverdue(state, at(9 * DAY))).toBe(true);
    expect(isOverdue(state, at(400 * DAY))).toBe(true);
    expect(ladderExhausted(state)).toBe(true);
    expect(ladderExhausted(given(history.deletionRequested()))).toBe(false);
  });

  it('an exhausted request ranks before a running one that is due later', () => {
    const state = given([...exhausted(), event.subscriberDataRequested(at(10 * DAY + DAY), meta(10 * DAY))]);
    expect(overdueSince(state)).toBe(at(9 * DAY));
  });

  it('is undefined once the platform answers', () => {
    const state = given([...exhausted(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'app-store-pressure' }, meta(10 * DAY))]);
    expect(overdueSince(state)).toBeUndefined();
    expect(isOverdue(state, at(11 * DAY))).toBe(false);
  });

  it('is undefined while the case is paused (deadlines stand still) and once it is closed', () => {
    expect(overdueSince(given([...exhausted(), event.paused({ reason: 'awaiting-court-order' }, meta(10 * DAY))]))).toBeUndefined();
    expect(overdueSince(given([...exhausted(), event.closed({ outcome: 'unresolved' }, meta(10 * DAY))]))).toBeUndefined();
  });
});
