import { specFor } from '../../testing/decider-spec';
import { at, command, DAY, event, history, HOUR, meta, MINUTE, policyV1, REPORT_ID, timer, uniformPolicy } from '../../testing/report-fixtures';
import { reportDecider } from './report-decider';

const spec = specFor(reportDecider);
const sentAt = 20 * MINUTE; // the deletion request in history.deletionRequested() goes out 20 minutes in
const firstDeadline = at(sentAt + DAY);

describe('FileReport', () => {
  it('files a new report with the policy in force', () =>
    spec.given([]).when(command.fileReport()).then([event.reportFiled()]));

  it('refuses to file the same report twice', () =>
    spec.given(history.filed()).when(command.fileReport()).thenThrows('already-filed', /already been filed/));

  it('refuses a report without a content location', () =>
    spec.given([]).when(command.fileReport({ contentLocations: [] })).thenThrows('invalid-input', /content location/));

  it('refuses a content location with neither URL nor channel', () =>
    spec.given([]).when(command.fileReport({ contentLocations: [{ messageIds: ['1'] }] })).thenThrows('invalid-input', /URL or a channel/));

  it('refuses an empty excerpt', () =>
    spec.given([]).when(command.fileReport({ excerpt: '  ' })).thenThrows('invalid-input', /excerpt must not be empty/));

  it('refuses a seen-at that is not an instant', () =>
    spec.given([]).when(command.fileReport({ seenAt: 'yesterday' })).thenThrows('invalid-input', /ISO 8601/));

  it('refuses a policy of another platform', () =>
    spec.given([]).when(command.fileReport({ policy: { ...policyV1, platform: 'other' } })).thenThrows('policy-not-for-platform'));

  it('refuses a command without an acting user', () =>
    spec.given([]).when({ ...command.fileReport(), metadata: { actor: '', now: at(0) } }).thenThrows('invalid-input', /acting user/));
});

describe('TriageReport', () => {
  it('finds a report actionable with category, severity and actions', () =>
    spec.given(history.filed()).when(command.triageActionable('critical')).then([event.reportTriaged('critical')]));

  it('dismisses a report with a reason, which closes it', () =>
    spec.given(history.filed()).when(command.dismiss()).then([
      event.reportDismissed(),
      event.closed({ outcome: 'dismissed', note: 'Satire, not unlawful' }, meta(10 * MINUTE)),
    ]));

  it('refuses a dismissal without a reason', () =>
    spec.given(history.filed()).when(command.dismiss('')).thenThrows('invalid-input', /reason for dismissing/));

  it('refuses to triage twice', () =>
    spec.given(history.triaged()).when(command.triageActionable()).thenThrows('already-triaged'));

  it('refuses to triage a report that does not exist', () =>
    spec.given([]).when(command.triageActionable()).thenThrows('not-filed'));

  it('refuses an unknown severity', () =>
    spec.given(history.filed()).when({
      type: 'TriageReport',
      data: { decision: 'actionable', category: 'threat', severity: 'urgent' as never, actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } },
      metadata: meta(HOUR),
    }).thenThrows('invalid-input', /severity/));
});

describe('RequestDeletion', () => {
  it('sends the request and starts its clock on the standard contact (24 h for high severity)', () =>
    spec.given(history.triaged()).when(command.requestDeletion()).then([event.deletionRequested(firstDeadline)]));

  it('gives a critical report one hour', () =>
    spec.given(history.triaged('critical')).when(command.requestDeletion()).then([event.deletionRequested(at(sentAt + HOUR))]));

  it('gives a standard report seven days', () =>
    spec.given(history.triaged('standard')).when(command.requestDeletion()).then([event.deletionRequested(at(sentAt + 7 * DAY))]));

  it('refuses before triage', () =>
    spec.given(history.filed()).when(command.requestDeletion()).thenThrows('not-triaged', /triaged as actionable/));

  it('refuses a second request while the first is running', () =>
    spec.given(history.deletionRequested()).when(command.requestDeletion(meta(HOUR))).thenThrows('request-already-running'));

  it('refuses once the platform removed the content', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))])
      .when(command.requestDeletion(meta(2 * HOUR))).thenThrows('request-already-fulfilled'));

  it('sends a new request after a refusal', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'refused', reason: 'No violation of our ToS', step: 'standard-contact' }, meta(HOUR))])
      .when(command.requestDeletion(meta(2 * HOUR))).then([event.deletionRequested(at(2 * HOUR + DAY), meta(2 * HOUR))]));

  it('refuses on a closed case', () =>
    spec.given(history.closedWithdrawn()).when(command.requestDeletion(meta(2 * HOUR))).thenThrows('case-closed'));

  it('refuses on a paused case', () =>
    spec.given([...history.triaged(), event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR))]).when(command.requestDeletion(meta(2 * HOUR))).thenThrows('case-paused'));
});

describe('RequestSubscriberData', () => {
  it('starts its own clock beside the deletion request', () =>
    spec.given(history.deletionRequested()).when(command.requestSubscriberData(meta(HOUR))).then([event.subscriberDataRequested(at(HOUR + DAY), meta(HOUR))]));

  it('refuses once data was supplied', () =>
    spec.given([...history.triaged(), event.subscriberDataRequested(firstDeadline), event.responseRecorded({ clock: 'subscriber-data', response: 'data-supplied', step: 'standard-contact' }, meta(HOUR))])
      .when(command.requestSubscriberData(meta(2 * HOUR))).thenThrows('request-already-fulfilled'));
});

describe('RecordPlatformResponse', () => {
  it('records a removal at the current step', () =>
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'removed' }, meta(HOUR)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))]));

  it('records a refusal with the platform reason', () =>
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'refused', reason: 'Political speech' }, meta(HOUR)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'refused', reason: 'Political speech', step: 'standard-contact' }, meta(HOUR))]));

  it('refuses a refusal without reason', () =>
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'refused' }, meta(HOUR))).thenThrows('reason-required'));

  it('refuses a response to a request never sent', () =>
    spec.given(history.triaged()).when(command.respond({ clock: 'deletion', response: 'removed' }, meta(HOUR))).thenThrows('request-not-sent', /No deletion request has been sent/));

  it('refuses a data answer to a deletion request', () =>
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'data-supplied' }, meta(HOUR))).thenThrows('response-does-not-fit-request'));

  it('refuses a second response to the same request', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))])
      .when(command.respond({ clock: 'deletion', response: 'removed' }, meta(2 * HOUR))).thenThrows('response-already-recorded'));

  it('records a late answer after the ladder was exhausted', () =>
    spec.given([...history.deletionRequested(), event.exhausted('deletion', timer(30 * DAY))])
      .when(command.respond({ clock: 'deletion', response: 'removed' }, meta(31 * DAY)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(31 * DAY))]));

  it('records an answer while the case is paused', () =>
    spec.given([...history.deletionRequested(), event.paused({ reason: 'awaiting-court-order' }, meta(HOUR))])
      .when(command.respond({ clock: 'deletion', response: 'partially-removed' }, meta(2 * HOUR)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'partially-removed', step: 'standard-contact' }, meta(2 * HOUR))]));

  it("records the platform's information on the effect given: when its answer arrived and when it removed the content", () =>
    spec.given(history.deletionRequested())
      .when(command.respond({ clock: 'deletion', response: 'removed', receivedAt: at(2 * HOUR), effectGivenAt: at(90 * MINUTE) }, meta(DAY)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact', receivedAt: at(2 * HOUR), effectGivenAt: at(90 * MINUTE) }, meta(DAY))]));

  it('records when a refusal arrived, normalised to an ISO instant in UTC', () =>
    spec.given(history.deletionRequested())
      .when(command.respond({ clock: 'deletion', response: 'refused', reason: 'Not unlawful in our view', receivedAt: '2026-03-02T12:00:00+01:00' }, meta(DAY)))
      .then([event.responseRecorded({ clock: 'deletion', response: 'refused', reason: 'Not unlawful in our view', step: 'standard-contact', receivedAt: '2026-03-02T11:00:00.000Z' }, meta(DAY))]));

  it('refuses an arrival after the recording, before the request, or not an instant', () => {
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'removed', receivedAt: at(2 * HOUR) }, meta(HOUR))).thenThrows('invalid-input', /after it is recorded/);
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'removed', receivedAt: at(10 * MINUTE) }, meta(HOUR))).thenThrows('invalid-input', /before the request was sent/);
    spec.given(history.deletionRequested()).when(command.respond({ clock: 'deletion', response: 'removed', receivedAt: 'this morning' }, meta(HOUR))).thenThrows('invalid-input', /ISO 8601/);
  });

  it('refuses effect given with a refusal, or after the answer arrived', () => {
    spec.given(history.deletionRequested())
      .when(command.respond({ clock: 'deletion', response: 'refused', reason: 'No', effectGivenAt: at(HOUR) }, meta(2 * HOUR))).thenThrows('invalid-input', /refusal gives no effect/);
    spec.given(history.deletionRequested())
      .when(command.respond({ clock: 'deletion', response: 'removed', receivedAt: at(HOUR), effectGivenAt: at(90 * MINUTE) }, meta(2 * HOUR))).thenThrows('invalid-input', /after the answer arrived/);
  });
});

describe('VerifyRemoval', () => {
  const removed = () => [...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))];

  it('confirms a removal that is gone', () =>
    spec.given(removed()).when(command.verify('gone', meta(2 * HOUR))).then([event.removalConfirmed(meta(2 * HOUR))]));

  it('restarts the deletion clock when the content is still online', () =>
    spec.given(removed()).when(command.verify('still-online', meta(2 * HOUR)))
      .then([event.removalContradicted({ step: 'standard-contact', deadline: at(2 * HOUR + DAY) }, meta(2 * HOUR))]));

  it('refuses when no removal was claimed', () =>
    spec.given(history.deletionRequested()).when(command.verify('gone', meta(2 * HOUR))).thenThrows('no-removal-to-verify'));

  it('refuses to verify twice', () =>
    spec.given([...removed(), event.removalConfirmed(meta(2 * HOUR))]).when(command.verify('gone', meta(3 * HOUR))).thenThrows('no-removal-to-verify'));
});

describe('Escalate (by hand)', () => {
  it('moves the request to the next step with that step\'s deadline', () =>
    spec.given(history.deletionRequested()).when(command.escalate({ clock: 'deletion', reason: 'Imminent threat' }, meta(HOUR)))
      .then([event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'staff', reason: 'Imminent threat', deadline: at(HOUR + DAY) }, meta(HOUR))]));

  it('refuses without a reason', () =>
    spec.given(history.deletionRequested()).when(command.escalate({ clock: 'deletion', reason: '' }, meta(HOUR))).thenThrows('invalid-input'));

  it('refuses beyond app-store pressure', () =>
    spec.given([
      ...history.deletionRequested(),
      event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'staff', reason: 'x', deadline: at(2 * DAY) }, meta(HOUR)),
      event.escalated({ clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'staff', reason: 'x', deadline: at(3 * DAY) }, meta(HOUR)),
      event.escalated({ clock: 'deletion', from: 'high-level-contact', to: 'app-store-pressure', trigger: 'staff', reason: 'x', deadline: at(9 * DAY) }, meta(HOUR)),
    ]).when(command.escalate({ clock: 'deletion', reason: 'x' }, meta(2 * HOUR))).thenThrows('last-step-reached'));

  it('refuses for a request that is not running', () =>
    spec.given(history.triaged()).when(command.escalate({ clock: 'subscriber-data', reason: 'x' }, meta(HOUR))).thenThrows('clock-not-running'));
});

describe('RecordDeadlineElapsed', () => {
  it('elapses the standard contact and escalates to the reminder', () =>
    spec.given(history.deletionRequested()).when(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(sentAt + DAY)))
      .then([
        event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: firstDeadline }, timer(sentAt + DAY)),
        event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(sentAt + 2 * DAY) }, timer(sentAt + DAY)),
      ]));

  it('escalates to the high-level contact with its own 48 h deadline', () =>
    spec.given([...history.deletionRequested(), event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(2 * DAY) }, timer(DAY))])
      .when(command.elapse({ clock: 'deletion', step: 'reminder' }, timer(2 * DAY)))
      .then([
        event.deadlineElapsed({ clock: 'deletion', step: 'reminder', deadline: at(2 * DAY) }, timer(2 * DAY)),
        event.escalated({ clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'deadline', deadline: at(4 * DAY) }, timer(2 * DAY)),
      ]));

  it('exhausts the ladder after app-store pressure', () =>
    spec.given([...history.deletionRequested(), event.escalated({ clock: 'deletion', from: 'high-level-contact', to: 'app-store-pressure', trigger: 'deadline', deadline: at(9 * DAY) }, timer(2 * DAY))])
      .when(command.elapse({ clock: 'deletion', step: 'app-store-pressure' }, timer(9 * DAY)))
      .then([
        event.deadlineElapsed({ clock: 'deletion', step: 'app-store-pressure', deadline: at(9 * DAY) }, timer(9 * DAY)),
        event.exhausted('deletion', timer(9 * DAY)),
      ]));

  it('refuses before the deadline', () =>
    spec.given(history.deletionRequested()).when(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(HOUR))).thenThrows('deadline-not-reached'));

  it('refuses for a clock that was already answered', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))])
      .when(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(sentAt + DAY))).thenThrows('clock-not-running'));

  it('refuses a stale timer for a step the request has left', () =>
    spec.given([...history.deletionRequested(), event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'staff', reason: 'x', deadline: at(2 * DAY) }, meta(HOUR))])
      .when(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(sentAt + DAY))).thenThrows('step-mismatch'));

  it('refuses while the case is paused', () =>
    spec.given([...history.deletionRequested(), event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR))])
      .when(command.elapse({ clock: 'deletion', step: 'standard-contact' }, timer(sentAt + DAY))).thenThrows('case-paused'));
});

describe('PauseCase and ResumeCase', () => {
  it('pauses an active case with a typed reason', () =>
    spec.given(history.deletionRequested()).when(command.pause({ reason: 'awaiting-prosecutor', note: 'StA Stuttgart' }, meta(HOUR)))
      .then([event.paused({ reason: 'awaiting-prosecutor', note: 'StA Stuttgart' }, meta(HOUR))]));

  it('refuses an unknown pause reason', () =>
    spec.given(history.deletionRequested()).when(command.pause({ reason: 'lunch' as never }, meta(HOUR))).thenThrows('invalid-input', /reason for pausing/));

  it('refuses to pause twice', () =>
    spec.given([...history.deletionRequested(), event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR))])
      .when(command.pause({ reason: 'other' }, meta(2 * HOUR))).thenThrows('case-paused'));

  it('resumes and extends every running deadline by the paused span', () =>
    spec.given([...history.deletionRequested(), event.paused({ reason: 'awaiting-prosecutor' }, meta(HOUR))])
      .when(command.resume(meta(4 * HOUR)))
      .then([event.resumed({ pausedForMs: 3 * HOUR, deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: firstDeadline, deadline: at(sentAt + DAY + 3 * HOUR) }] }, meta(4 * HOUR))]));

  it('refuses to resume a case that is not paused', () =>
    spec.given(history.deletionRequested()).when(command.resume(meta(HOUR))).thenThrows('case-not-paused', /not paused/));
});

describe('AssignCase and AddNote', () => {
  it('assigns, remembering the previous assignee', () =>
    spec.given([...history.triaged(), event.assigned({ assignee: 'a.schulz' }, meta(HOUR))]).when(command.assign('b.weber', meta(2 * HOUR)))
      .then([event.assigned({ assignee: 'b.weber', previousAssignee: 'a.schulz' }, meta(2 * HOUR))]));

  it('refuses to assign to the current assignee', () =>
    spec.given([...history.triaged(), event.assigned({ assignee: 'a.schulz' }, meta(HOUR))]).when(command.assign('a.schulz', meta(2 * HOUR))).thenThrows('already-assigned'));

  it('adds a note', () => spec.given(history.filed()).when(command.addNote('Called LKA', meta(HOUR))).then([event.noteAdded('Called LKA', meta(HOUR))]));

  it('refuses an empty note', () => spec.given(history.filed()).when(command.addNote(' ', meta(HOUR))).thenThrows('invalid-input'));

  it('takes a note on a closed case (follow-up work goes on)', () =>
    spec.given(history.closedWithdrawn()).when(command.addNote('late', meta(2 * HOUR))).then([event.noteAdded('late', meta(2 * HOUR))]));
});

describe('CloseCase', () => {
  const removedAndVerified = (escalatedFirst: boolean) => [
    ...history.deletionRequested(),
    ...(escalatedFirst ? [event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(2 * DAY) }, timer(DAY))] : []),
    event.responseRecorded({ clock: 'deletion', response: 'removed', step: escalatedFirst ? 'reminder' : 'standard-contact' }, meta(DAY + HOUR)),
    event.removalConfirmed(meta(DAY + 2 * HOUR)),
  ];

  it('closes as removed after a verified removal', () =>
    spec.given(removedAndVerified(false)).when(command.close({ outcome: 'removed' }, meta(2 * DAY))).then([event.closed({ outcome: 'removed' }, meta(2 * DAY))]));

  it('closes as removed after escalation when the request had escalated', () =>
    spec.given(removedAndVerified(true)).when(command.close({ outcome: 'removed-after-escalation' }, meta(2 * DAY))).then([event.closed({ outcome: 'removed-after-escalation' }, meta(2 * DAY))]));

  it('refuses removed when the request had escalated', () =>
    spec.given(removedAndVerified(true)).when(command.close({ outcome: 'removed' }, meta(2 * DAY))).thenThrows('outcome-not-allowed', /removed-after-escalation/));

  it('refuses removed before the removal is verified', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'standard-contact' }, meta(HOUR))])
      .when(command.close({ outcome: 'removed' }, meta(2 * HOUR))).thenThrows('outcome-not-allowed', /verified/));

  it('closes as refused and referred after a refusal', () =>
    spec.given([...history.deletionRequested(), event.responseRecorded({ clock: 'deletion', response: 'refused', reason: 'No', step: 'standard-contact' }, meta(HOUR))])
      .when(command.close({ outcome: 'refused-and-referred-to-prosecution' }, meta(2 * HOUR))).then([event.closed({ outcome: 'refused-and-referred-to-prosecution' }, meta(2 * HOUR))]));

  it('refuses refused-and-referred without a refusal', () =>
    spec.given(history.deletionRequested()).when(command.close({ outcome: 'refused-and-referred-to-prosecution' }, meta(2 * HOUR))).thenThrows('outcome-not-allowed'));

  it('closes as unresolved, cancelling running clocks', () =>
    spec.given(history.deletionRequested()).when(command.close({ outcome: 'unresolved', note: 'Platform gone' }, meta(HOUR))).then([event.closed({ outcome: 'unresolved', note: 'Platform gone' }, meta(HOUR))]));

  it('refuses closing a closed case', () =>
    spec.given(history.closedWithdrawn()).when(command.close({ outcome: 'withdrawn' }, meta(2 * HOUR))).thenThrows('case-closed', /closed/));

  it('refuses dismissed and duplicate as plain closures', () => {
    spec.given(history.filed()).when(command.close({ outcome: 'dismissed' }, meta(HOUR))).thenThrows('outcome-not-allowed', /triage/);
    spec.given(history.filed()).when(command.close({ outcome: 'duplicate' }, meta(HOUR))).thenThrows('outcome-not-allowed', /duplicate/);
  });
});

describe('ReopenCase', () => {
  it('reopens a closed case', () =>
    spec.given(history.closedWithdrawn()).when(command.reopen('New evidence', meta(DAY))).then([event.reopened('New evidence', meta(DAY))]));

  it('refuses to reopen an open case', () =>
    spec.given(history.triaged()).when(command.reopen('x', meta(DAY))).thenThrows('case-not-closed'));

  it('refuses without a reason', () =>
    spec.given(history.closedWithdrawn()).when(command.reopen('', meta(DAY))).thenThrows('invalid-input'));
});

describe('MarkDuplicate', () => {
  it('links the original and closes as duplicate', () =>
    spec.given(history.filed()).when(command.markDuplicate('r-2026-0000', meta(HOUR))).then([
      event.markedDuplicate('r-2026-0000', meta(HOUR)),
      event.closed({ outcome: 'duplicate', note: 'Duplicate of r-2026-0000' }, meta(HOUR)),
    ]));

  it('refuses a duplicate of itself', () =>
    spec.given(history.filed()).when(command.markDuplicate(REPORT_ID, meta(HOUR))).thenThrows('duplicate-of-itself'));
});

describe('ApplyPolicy', () => {
  it('recomputes open deadlines from the step start under the new durations', () =>
    spec.given(history.deletionRequested()).when(command.applyPolicy(uniformPolicy(2, 'PT6H'), meta(HOUR)))
      .then([event.policyApplied({
        policy: uniformPolicy(2, 'PT6H'), previousVersion: 1, reason: 'Drill',
        deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: firstDeadline, deadline: at(sentAt + 6 * HOUR) }],
      }, meta(HOUR))]));

  it("elapses at once a deadline the new policy puts in the past, as the timer's doing (with the change's correlation id)", () =>
    spec.given(history.deletionRequested()).when(command.applyPolicy(uniformPolicy(2, 'PT30M'), { ...meta(2 * HOUR, 'admin.kurz'), correlationId: 'req-7' }))
      .then([
        event.policyApplied({
          policy: uniformPolicy(2, 'PT30M'), previousVersion: 1, reason: 'Drill',
          deadlines: [{ clock: 'deletion', step: 'standard-contact', previousDeadline: firstDeadline, deadline: at(sentAt + 30 * MINUTE) }],
        }, { ...meta(2 * HOUR, 'admin.kurz'), correlationId: 'req-7' }),
        event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: at(sentAt + 30 * MINUTE) }, { ...timer(2 * HOUR), correlationId: 'req-7' }),
        event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(2 * HOUR + 30 * MINUTE) }, { ...timer(2 * HOUR), correlationId: 'req-7' }),
      ]));

  it('records the version on a case still in triage', () =>
    spec.given(history.filed()).when(command.applyPolicy(uniformPolicy(2, 'PT1H'), meta(HOUR)))
      .then([event.policyApplied({ policy: uniformPolicy(2, 'PT1H'), previousVersion: 1, reason: 'Drill', deadlines: [] }, meta(HOUR))]));

  it('refuses a version that is not newer', () =>
    spec.given(history.filed()).when(command.applyPolicy(uniformPolicy(1, 'PT1H'), meta(HOUR))).thenThrows('policy-version-not-newer'));

  it('refuses an invalid policy, naming the problem', () =>
    spec.given(history.filed()).when(command.applyPolicy(uniformPolicy(2, 'P1M'), meta(HOUR))).thenThrows('invalid-policy', /months and years/));

  it('refuses a policy of another platform', () =>
    spec.given(history.filed()).when(command.applyPolicy({ ...uniformPolicy(2, 'PT1H'), platform: 'x' }, meta(HOUR))).thenThrows('policy-not-for-platform'));

  it('refuses on a closed case', () =>
    spec.given(history.closedWithdrawn()).when(command.applyPolicy(uniformPolicy(2, 'PT1H'), meta(DAY))).thenThrows('case-closed'));
});
