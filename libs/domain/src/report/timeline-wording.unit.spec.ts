import { at, DAY, event, HOUR, meta, MINUTE, timer, uniformPolicy } from '../../testing/report-fixtures';
import { describeReportEvent, describeSpan, TimelineEventInput } from './timeline-wording';

/** Given an event, when the timeline words it, then the back office reads this sentence. */
const line = (given: TimelineEventInput) => describeReportEvent(given);

describe('describeReportEvent', () => {
  it('a filed report names its channel, platform and policy version', () => {
    expect(line(event.reportFiled())).toBe('Report filed via the state police against telegram (policy version 1)');
  });

  it('a triage names category, severity and the planned actions', () => {
    expect(line(event.reportTriaged('high'))).toBe(
      'Triaged as call-to-murder, severity high; planned: deletion request, subscriber-data request, referral to prosecution',
    );
    const nothingPlanned = { type: 'ReportTriaged', data: { category: 'insult', severity: 'standard', actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: false } } } as const;
    expect(line(nothingPlanned)).toBe('Triaged as insult, severity standard; planned: no action');
  });

  it('a request sent names whom it went to and when it is due', () => {
    expect(line(event.deletionRequested(at(DAY)))).toBe(`Deletion request sent to the standard contact, due ${at(DAY)}`);
    expect(line(event.subscriberDataRequested(at(DAY)))).toBe(`Subscriber-data request sent to the standard contact, due ${at(DAY)}`);
  });

  it('an escalation by deadline says the deadline elapsed and where the request went', () => {
    const escalated = event.escalated({ clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'deadline', deadline: at(3 * DAY) }, timer(2 * DAY));
    expect(line(escalated)).toBe(`Deadline elapsed: the deletion request escalated to the high-level contact, due ${at(3 * DAY)}`);
  });

  it('an escalation by hand gives the reason', () => {
    const escalated = event.escalated({ clock: 'subscriber-data', from: 'standard-contact', to: 'reminder', trigger: 'staff', reason: 'Urgent threat', deadline: at(DAY) }, meta(HOUR));
    expect(line(escalated)).toBe(`Subscriber-data request escalated by hand to the reminder, due ${at(DAY)}: Urgent threat`);
  });

  it('an elapsed deadline, an exhausted ladder', () => {
    expect(line(event.deadlineElapsed({ clock: 'deletion', step: 'app-store-pressure', deadline: at(9 * DAY) }, timer(9 * DAY)))).toBe(
      'Deadline elapsed: the deletion request at app-store pressure went unanswered',
    );
    expect(line(event.exhausted('deletion', timer(9 * DAY)))).toBe('Escalation ladder exhausted: the deletion request escalates no further on its own');
  });

  it("the platform's answer, with its reason when given", () => {
    expect(line(event.responseRecorded({ clock: 'deletion', response: 'partially-removed', step: 'reminder' }, meta(DAY)))).toBe(
      'Platform answered the deletion request: partially removed',
    );
    expect(line(event.responseRecorded({ clock: 'subscriber-data', response: 'data-refused', reason: 'No court order', step: 'standard-contact' }, meta(DAY)))).toBe(
      'Platform answered the subscriber-data request: data refused: No court order',
    );
    expect(line(event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'reminder', receivedAt: at(DAY), effectGivenAt: at(DAY - HOUR) }, meta(2 * DAY)))).toBe(
      `Platform answered the deletion request: removed (effect given ${at(DAY - HOUR)}, answer arrived ${at(DAY)})`,
    );
  });

  it('a removal verified or contradicted', () => {
    expect(line(event.removalConfirmed(meta(DAY)))).toBe('Removal verified: the content is gone');
    expect(line(event.removalContradicted({ step: 'reminder', deadline: at(2 * DAY) }, meta(DAY)))).toBe(
      `Removal contradicted: the content is still online; the deletion request runs again at the reminder, due ${at(2 * DAY)}`,
    );
  });

  it('pause and resume: the reason, how long, how many deadlines moved', () => {
    expect(line(event.paused({ reason: 'awaiting-prosecutor', note: 'Asked on the phone' }, meta(HOUR)))).toBe('Case paused: awaiting the prosecutor: Asked on the phone');
    const deadline = { clock: 'deletion', step: 'standard-contact', previousDeadline: at(DAY), deadline: at(2 * DAY) } as const;
    expect(line(event.resumed({ pausedForMs: DAY + 2 * HOUR + 5 * MINUTE, deadlines: [deadline] }, meta(2 * DAY)))).toBe('Case resumed after 1 d 2 h 5 min; 1 deadline moved');
    expect(line(event.resumed({ pausedForMs: 30 * MINUTE, deadlines: [] }, meta(2 * DAY)))).toBe('Case resumed after 30 min');
  });

  it('assignment, notes, duplicates, closing and reopening', () => {
    expect(line(event.assigned({ assignee: 'sam' }, meta(HOUR)))).toBe('Assigned to sam');
    expect(line(event.assigned({ assignee: 'kim', previousAssignee: 'sam' }, meta(HOUR)))).toBe('Reassigned from sam to kim');
    expect(line(event.noteAdded('Called the platform', meta(HOUR)))).toBe('Note: Called the platform');
    expect(line(event.markedDuplicate('R-20260201-0b1c2d3e', meta(HOUR)))).toBe('Closed as a duplicate of R-20260201-0b1c2d3e');
    expect(line(event.closed({ outcome: 'removed-after-escalation' }, meta(HOUR)))).toBe('Closed: content removed after escalation');
    expect(line(event.closed({ outcome: 'withdrawn', note: 'Reporter withdrew' }, meta(HOUR)))).toBe('Closed: withdrawn: Reporter withdrew');
    expect(line(event.reopened('Content is back', meta(HOUR)))).toBe('Reopened: Content is back');
    expect(line(event.reportDismissed())).toBe('Dismissed: Satire, not unlawful');
  });

  it('a re-triage and a new policy say what changed and how many deadlines moved', () => {
    const previous = { category: 'insult', severity: 'standard', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } } as const;
    const deadlines = [
      { clock: 'deletion', step: 'standard-contact', previousDeadline: at(3 * DAY), deadline: at(DAY) },
      { clock: 'subscriber-data', step: 'reminder', previousDeadline: at(3 * DAY), deadline: at(DAY) },
    ] as const;
    expect(line({ type: 'ReportRetriaged', data: { ...previous, category: 'threat', severity: 'high', reason: 'Named target', previous, deadlines: [...deadlines] } })).toBe(
      'Re-triaged from insult (standard) to threat (high): Named target; 2 deadlines moved',
    );
    expect(line(event.policyApplied({ policy: uniformPolicy(3, 'P1D'), previousVersion: 2, reason: 'Faster SLA', deadlines: [] }, meta(HOUR)))).toBe(
      'Policy version 3 applied (was 2): Faster SLA',
    );
  });

  it('an event type newer than this wording still gets a line', () => {
    expect(line({ type: 'SomethingNew', data: {} } as unknown as TimelineEventInput)).toBe('Recorded SomethingNew');
  });
});

describe('describeSpan', () => {
  it('rounds down to the minute', () => {
    expect(describeSpan(59_999)).toBe('under a minute');
    expect(describeSpan(2 * HOUR)).toBe('2 h');
    expect(describeSpan(3 * DAY + MINUTE)).toBe('3 d 1 min');
  });
});
