import { at, DAY, event, history, HOUR, meta, MINUTE, PLATFORM, REPORT_ID, timer } from '../../testing/report-fixtures';
import { fold } from '../event-sourcing';
import { ReportEffect, reportEffects } from './effects';
import { ReportEvent } from './events';
import { reportDecider } from './report-decider';

/** given(stored events).when(newly stored events).then(what they ask of the outside world). */
const given = (stored: ReportEvent[]) => ({
  when: (events: ReportEvent[]) => ({
    then: (expected: ReportEffect[]) => expect(reportEffects(fold(reportDecider, stored), events)).toEqual(expected),
  }),
});

const report = fold(reportDecider, history.filed()) as { report: unknown };
const firstDeadline = at(20 * MINUTE + DAY);
// Each message carries the triage it cites (the offence and severity its order names).
const assessment = event.reportTriaged().data;
const contact = (version: number, kind: string, step: string, deadline: string, clock = 'deletion'): ReportEffect =>
  ({ type: 'ContactPlatform', message: { messageId: `${REPORT_ID}:${version}:${kind}`, kind, report: report.report, clock, step, deadline, assessment } }) as ReportEffect;
const toAppStores = (deadline: string, m = timer(2 * DAY)) =>
  event.escalated({ clock: 'deletion', from: 'high-level-contact', to: 'app-store-pressure', trigger: 'deadline', deadline }, m);
/** The deletion request reached app-store pressure on day 2: the report waits in the dossier. */
const pressing = (): ReportEvent[] => [...history.deletionRequested(), toAppStores(at(9 * DAY))];

describe('what stored report events ask of the outside world', () => {
  it('sends a deletion request and a subscriber-data request to the platform, each with its deadline', () => {
    given(history.triaged()).when([event.deletionRequested(firstDeadline)]).then([contact(3, 'deletion-request', 'standard-contact', firstDeadline)]);
    given(history.triaged())
      .when([event.subscriberDataRequested(firstDeadline)])
      .then([contact(3, 'subscriber-data-request', 'standard-contact', firstDeadline, 'subscriber-data')]);
  });

  it('writes a reminder and to the high-level contact as the ladder climbs, numbering each message by its event', () => {
    const elapsed = event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: firstDeadline }, timer(DAY + 20 * MINUTE));
    const reminder = event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(2 * DAY) }, timer(DAY + 20 * MINUTE));
    given(history.deletionRequested()).when([elapsed, reminder]).then([contact(5, 'reminder', 'reminder', at(2 * DAY))]);
    const highLevel = event.escalated({ clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'staff', reason: 'urgent', deadline: at(3 * DAY) }, meta(HOUR));
    given(history.deletionRequested()).when([highLevel]).then([contact(4, 'high-level-contact', 'high-level-contact', at(3 * DAY))]);
  });

  it('tells the platform that content it called removed is still online', () => {
    const contradicted = event.removalContradicted({ step: 'standard-contact', deadline: at(2 * DAY) }, meta(DAY));
    given(history.deletionRequested()).when([contradicted]).then([contact(4, 'removal-still-online', 'standard-contact', at(2 * DAY))]);
  });

  it("joins the platform's app-store dossier at app-store pressure, as whoever escalated", () =>
    given(history.deletionRequested()).when([toAppStores(at(9 * DAY))]).then([{ type: 'JoinAppStoreDossier', platform: PLATFORM, reportId: REPORT_ID, actor: 'system:timer' }]));

  it('leaves the dossier when the platform answers or the case closes, after any other effect', () => {
    const answered = event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'app-store-pressure' }, meta(3 * DAY, 'b.weber'));
    given(pressing()).when([answered]).then([{ type: 'LeaveAppStoreDossier', platform: PLATFORM, reportId: REPORT_ID, actor: 'b.weber', reason: 'answered' }]);
    const closed = event.closed({ outcome: 'withdrawn' }, meta(3 * DAY, 'b.weber'));
    given(pressing()).when([closed]).then([{ type: 'LeaveAppStoreDossier', platform: PLATFORM, reportId: REPORT_ID, actor: 'b.weber', reason: 'closed' }]);
  });

  it('asks nothing for what stays inside: triage, notes, assignment, pauses; nor of a report that never pressed', () => {
    given(history.filed()).when([event.reportTriaged()]).then([]);
    given(pressing()).when([event.noteAdded('Called the platform', meta(3 * DAY))]).then([]);
    given(history.deletionRequested()).when([event.closed({ outcome: 'withdrawn' }, meta(3 * DAY))]).then([]);
    given([]).when([]).then([]);
  });
});
