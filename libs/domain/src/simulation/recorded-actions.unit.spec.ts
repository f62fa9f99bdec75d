import { at, DAY, event, HOUR, meta, MINUTE, policyV1, timer, uniformPolicy } from '../../testing/report-fixtures';
import { recordedActions } from './recorded-actions';

const due = at(20 * MINUTE + DAY);
const candidate = uniformPolicy(7, 'PT2H');

describe("the people's part of a recorded history", () => {
  it("keeps the staff's actions and the platform's answers at their times; drops the timer's steps and the policy applied", () => {
    const recorded = [
      event.reportFiled(),
      event.reportTriaged('high'),
      event.deletionRequested(due),
      event.deadlineElapsed({ clock: 'deletion', step: 'standard-contact', deadline: due }, timer(20 * MINUTE + DAY)),
      event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(20 * MINUTE + 2 * DAY) }, timer(20 * MINUTE + DAY)),
      event.escalated({ clock: 'deletion', from: 'reminder', to: 'high-level-contact', trigger: 'staff', reason: 'still online', deadline: at(2 * DAY) }, meta(30 * HOUR)),
      event.policyApplied({ policy: { ...policyV1, version: 2 }, previousVersion: 1, reason: 'tuning', deadlines: [] }, meta(31 * HOUR, 'ada')),
      event.paused({ reason: 'awaiting-prosecutor' }, meta(32 * HOUR)),
      event.resumed({ pausedForMs: HOUR, deadlines: [] }, meta(33 * HOUR)),
      event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'high-level-contact', receivedAt: at(33 * HOUR + 30 * MINUTE), effectGivenAt: at(33 * HOUR + 20 * MINUTE) }, meta(34 * HOUR)),
      event.removalContradicted({ step: 'high-level-contact', deadline: at(3 * DAY) }, meta(35 * HOUR)),
      event.exhausted('deletion', timer(4 * DAY)),
      event.closed({ outcome: 'unresolved', note: 'gave up' }, meta(5 * DAY)),
    ];
    const commands = recordedActions(recorded, candidate);
    expect(commands.map((c) => [c.type, c.metadata.now])).toEqual([
      ['FileReport', at(0)],
      ['TriageReport', at(10 * MINUTE)],
      ['RequestDeletion', at(20 * MINUTE)],
      ['Escalate', at(30 * HOUR)],
      ['PauseCase', at(32 * HOUR)],
      ['ResumeCase', at(33 * HOUR)],
      ['RecordPlatformResponse', at(34 * HOUR)],
      ['VerifyRemoval', at(35 * HOUR)],
      ['CloseCase', at(5 * DAY)],
    ]);
    expect(commands[0].data).toMatchObject({ policy: candidate });
    expect(commands[3].data).toEqual({ clock: 'deletion', reason: 'still online' });
    expect(commands[6].data).toEqual({ clock: 'deletion', response: 'removed', receivedAt: at(33 * HOUR + 30 * MINUTE), effectGivenAt: at(33 * HOUR + 20 * MINUTE) });
    expect(commands[7].data).toEqual({ result: 'still-online' });
  });

  it('takes dismissing and marking a duplicate as the one action each was, not a closing by hand as well', () => {
    const dismissed = [event.reportFiled(), event.reportDismissed('satire'), event.closed({ outcome: 'dismissed', note: 'satire' }, meta(10 * MINUTE))];
    expect(recordedActions(dismissed, candidate).map((c) => [c.type, c.data])).toEqual([
      ['FileReport', expect.anything()],
      ['TriageReport', { decision: 'dismiss', reason: 'satire' }],
    ]);
    const duplicate = [event.reportFiled(), event.markedDuplicate('r-0', meta(HOUR)), event.closed({ outcome: 'duplicate', note: 'Duplicate of r-0' }, meta(HOUR))];
    expect(recordedActions(duplicate, candidate).map((c) => c.type)).toEqual(['FileReport', 'MarkDuplicate']);
  });

  it('files the case under the candidate for its own platform, whatever the spelling it was stored under', () => {
    const filed = { ...event.reportFiled(), data: { ...event.reportFiled().data, platform: 'Telegram' } };
    expect(recordedActions([filed], candidate)[0].data).toMatchObject({ platform: 'Telegram', policy: { platform: 'Telegram', version: 7 } });
  });
});
