// The rules staff rely on (#11 §5): a decision on a stale version is refused, re-triage corrects an assessment,
// notes and assignment go on after closing, and a request goes out only when triage chose it.
import { specFor } from '../../testing/decider-spec';
import { at, command, DAY, event, history, HOUR, meta, MINUTE } from '../../testing/report-fixtures';
import { TriageActions } from './vocabulary';
import { RetriageReport } from './commands';
import { ReportRetriaged } from './events';
import { decide } from './decide';
import { fold } from '../event-sourcing';
import { reportDecider } from './report-decider';

const spec = specFor(reportDecider);
const sentAt = 20 * MINUTE;
const all: TriageActions = { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true };
const retriage = (data: Partial<RetriageReport['data']>, m = meta(2 * HOUR)): RetriageReport => ({
  type: 'RetriageReport',
  data: { category: 'call-to-murder', severity: 'high', actions: all, reason: 'Second look', ...data },
  metadata: m,
});
const retriaged = (data: Partial<ReportRetriaged['data']>, m = meta(2 * HOUR)): ReportRetriaged => ({
  type: 'ReportRetriaged',
  data: {
    category: 'call-to-murder', severity: 'high', actions: all, reason: 'Second look',
    previous: { category: 'call-to-murder', severity: 'high', actions: all }, deadlines: [], ...data,
  },
  metadata: m,
});
const triagedWith = (actions: Partial<TriageActions>) => [
  event.reportFiled(),
  { ...event.reportTriaged('high'), data: { ...event.reportTriaged('high').data, actions: { ...all, ...actions } } },
];

describe('expected version (If-Match)', () => {
  it('decides when the case is at the version the actor saw, and keeps the expectation off the events', () =>
    spec.given(history.triaged()).when(command.addNote('Checked', { ...meta(HOUR), expectedVersion: 2 }))
      .then([event.noteAdded('Checked', meta(HOUR))]));

  it('refuses when the case moved on since, naming the current version', () =>
    spec.given(history.deletionRequested()).when(command.addNote('Checked', { ...meta(HOUR), expectedVersion: 2 }))
      .thenThrows('version-mismatch', /at version 3, not 2/));
});

describe('RetriageReport', () => {
  it('corrects the severity and recomputes a waiting deadline from its step start', () =>
    spec.given(history.deletionRequested()).when(retriage({ severity: 'standard' }))
      .then([retriaged({
        severity: 'standard',
        deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: at(sentAt + DAY), deadline: at(sentAt + 7 * DAY) }],
      })]));

  it('elapses at once a deadline the new severity puts in the past', () =>
    spec.given(history.deletionRequested()).when(retriage({ severity: 'critical' }))
      .then([
        retriaged({ severity: 'critical', deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: at(sentAt + DAY), deadline: at(sentAt + HOUR) }] }),
        event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: at(sentAt + HOUR) }, meta(2 * HOUR)),
        event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(3 * HOUR) }, meta(2 * HOUR)),
      ]));

  it('corrects the category alone without moving deadlines', () =>
    spec.given(history.deletionRequested()).when(retriage({ category: 'threat' })).then([retriaged({ category: 'threat' })]));

  it('the folded case carries the corrected assessment', () => {
    const state = fold(reportDecider, [...history.deletionRequested(), retriaged({ severity: 'standard', deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: at(sentAt + DAY), deadline: at(sentAt + 7 * DAY) }] })]);
    expect(state.status === 'active' && state.assessment.severity).toBe('standard');
    expect(state.status === 'active' && state.clocks.deletion?.deadline).toBe(at(sentAt + 7 * DAY));
  });

  it('refuses without a reason, before triage, on a closed case, and when nothing changes', () => {
    spec.given(history.triaged()).when(retriage({ reason: ' ' })).thenThrows('invalid-input', /reason for re-triaging/);
    spec.given(history.filed()).when(retriage({})).thenThrows('not-triaged');
    spec.given(history.closedWithdrawn()).when(retriage({ severity: 'standard' })).thenThrows('case-closed');
    spec.given(history.triaged()).when(retriage({})).thenThrows('assessment-unchanged');
  });

  it('refuses to withdraw an action whose request was already sent', () =>
    spec.given(history.deletionRequested()).when(retriage({ actions: { ...all, deletionRequest: false } })).thenThrows('action-already-taken'));
});

describe('requests follow triage', () => {
  it('refuses a request triage did not choose, pointing to re-triage', () => {
    spec.given(triagedWith({ deletionRequest: false })).when(command.requestDeletion()).thenThrows('request-not-chosen-at-triage', /re-triage/);
    spec.given(triagedWith({ subscriberDataRequest: false })).when(command.requestSubscriberData()).thenThrows('request-not-chosen-at-triage');
  });

  it('sends it once a re-triage chose it', () =>
    spec.given([...triagedWith({ deletionRequest: false }), retriaged({ previous: { category: 'call-to-murder', severity: 'high', actions: { ...all, deletionRequest: false } } }, meta(15 * MINUTE))])
      .when(command.requestDeletion())
      .then([event.deletionRequested(at(sentAt + DAY))]));

  it('a host replaying histories from before the rule can switch it off', () => {
    const state = fold(reportDecider, triagedWith({ deletionRequest: false }));
    expect(decide(command.requestDeletion(), state, { requestsFollowTriage: false })).toEqual([event.deletionRequested(at(sentAt + DAY))]);
  });
});

describe('a closed case', () => {
  it('still takes notes', () =>
    spec.given(history.closedWithdrawn()).when(command.addNote('Court date set', meta(2 * HOUR))).then([event.noteAdded('Court date set', meta(2 * HOUR))]));

  it('can still be assigned', () =>
    spec.given(history.closedWithdrawn()).when(command.assign('sam', meta(2 * HOUR))).then([event.assigned({ assignee: 'sam' }, meta(2 * HOUR))]));

  it('takes no other step', () =>
    spec.given(history.closedWithdrawn()).when(command.requestDeletion(meta(2 * HOUR))).thenThrows('case-closed'));
});
