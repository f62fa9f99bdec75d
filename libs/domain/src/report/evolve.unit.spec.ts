// What the folded state looks like after the events that matter most to the back office.
import { fold } from '../event-sourcing';
import { at, DAY, event, history, HOUR, meta, MINUTE, timer } from '../../testing/report-fixtures';
import { reportDecider } from './report-decider';
import { ReportEvent } from './events';

const stateAfter = (events: ReportEvent[]) => fold(reportDecider, events);

describe('evolve', () => {
  it('starts not filed', () => expect(reportDecider.initialState()).toEqual({ status: 'not-filed', version: 0 }));

  it('puts a filed report into triage with its details and policy version', () => {
    const state = stateAfter(history.filed());
    expect(state).toMatchObject({ status: 'in-triage', version: 1, report: { reportId: 'r-2026-0001', filedAt: at(0) }, policy: { version: 1 } });
  });

  it('runs a deletion clock from the request', () => {
    const state = stateAfter(history.deletionRequested());
    expect(state).toMatchObject({
      status: 'active',
      version: 3,
      clocks: { deletion: { status: 'running', step: 'standard-contact', requestedAt: at(20 * MINUTE), stepStartedAt: at(20 * MINUTE), deadline: at(20 * MINUTE + DAY), escalated: false } },
    });
  });

  it('moves the clock up the ladder and marks it escalated', () => {
    const state = stateAfter([
      ...history.deletionRequested(),
      event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: at(20 * MINUTE + DAY) }, timer(20 * MINUTE + DAY)),
      event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(20 * MINUTE + 2 * DAY) }, timer(20 * MINUTE + DAY)),
    ]);
    expect(state).toMatchObject({ clocks: { deletion: { step: 'reminder', stepStartedAt: at(20 * MINUTE + DAY), escalated: true, requestedAt: at(20 * MINUTE) } } });
  });

  it('remembers a pause and accounts the paused span on resume', () => {
    const paused = stateAfter([...history.deletionRequested(), event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR))]);
    expect(paused).toMatchObject({ status: 'paused', pause: { reason: 'awaiting-prosecutor', since: at(HOUR) } });
    const resumed = stateAfter([
      ...history.deletionRequested(),
      event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR)),
      event.resumed({ pausedForMs: 2 * HOUR, deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: at(20 * MINUTE + DAY), deadline: at(20 * MINUTE + DAY + 2 * HOUR) }] }, meta(3 * HOUR)),
    ]);
    expect(resumed).toMatchObject({ status: 'active', clocks: { deletion: { deadline: at(20 * MINUTE + DAY + 2 * HOUR), pausedMsInStep: 2 * HOUR } } });
    expect(resumed).not.toHaveProperty('pause');
  });

  it('cancels running clocks on closing and returns to active on reopening', () => {
    const closed = stateAfter([...history.deletionRequested(), event.closed({ outcome: 'unresolved' }, meta(HOUR))]);
    expect(closed).toMatchObject({ status: 'closed', closure: { outcome: 'unresolved', at: at(HOUR) }, clocks: { deletion: { status: 'cancelled' } } });
    const reopened = stateAfter([...history.deletionRequested(), event.closed({ outcome: 'unresolved' }, meta(HOUR)), event.reopened('New evidence', meta(DAY))]);
    expect(reopened).toMatchObject({ status: 'active', clocks: { deletion: { status: 'cancelled' } } });
    expect(reopened).not.toHaveProperty('closure');
  });

  it('returns an untriaged case to triage when reopened', () => {
    const reopened = stateAfter([...history.filed(), event.closed({ outcome: 'withdrawn' }, meta(HOUR)), event.reopened('Mistake', meta(DAY))]);
    expect(reopened.status).toBe('in-triage');
  });

  it('keeps the original of a duplicate on the closure', () => {
    const state = stateAfter([...history.filed(), event.markedDuplicate('r-0', meta(HOUR)), event.closed({ outcome: 'duplicate' }, meta(HOUR))]);
    expect(state).toMatchObject({ status: 'closed', duplicateOf: 'r-0', closure: { outcome: 'duplicate', duplicateOf: 'r-0' } });
  });

  it('records notes with their author', () => {
    const state = stateAfter([...history.filed(), event.noteAdded('Called the LKA', meta(HOUR, 'a.schulz'))]);
    expect(state).toMatchObject({ notes: [{ text: 'Called the LKA', author: 'a.schulz', at: at(HOUR) }] });
  });
});
