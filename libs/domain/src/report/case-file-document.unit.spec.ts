import { at, DAY, event, history, HOUR, meta, MINUTE, REPORT_ID, timer } from '../../testing/report-fixtures';
import { buildCaseFile, CaseFileInput, CaseFileRecipient, CaseFileStoredEvent } from './case-file-document';
import { ReportEvent } from './events';

/** A case that went through the whole ladder's first steps: requested, escalated by the timer, noted, answered, verified, closed. */
const lifecycle = (): ReportEvent[] => [
  ...history.deletionRequested(),
  event.assigned({ assignee: 'analyst.schulz' }, meta(30 * MINUTE)),
  event.noteAdded('Reporter is a witness, call back before court', meta(40 * MINUTE)),
  event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'reminder', trigger: 'deadline', deadline: at(2 * DAY) }, timer(DAY + 20 * MINUTE)),
  event.responseRecorded({ clock: 'deletion', response: 'removed', step: 'reminder', receivedAt: at(DAY + 4 * HOUR), effectGivenAt: at(DAY + 3 * HOUR) }, meta(DAY + 5 * HOUR)),
  event.removalConfirmed(meta(2 * DAY)),
  event.closed({ outcome: 'removed-after-escalation', note: 'Checked by hand' }, meta(2 * DAY + HOUR)),
];

const stored = (events: ReportEvent[]): CaseFileStoredEvent[] =>
  events.map((e, index) => ({ streamVersion: index + 1, eventId: `${REPORT_ID}:${index + 1}`, type: e.type, data: e.data, actor: e.metadata.actor, occurredAt: e.metadata.now, recordedAt: e.metadata.now }));

const messages: CaseFileInput['messages'] = [
  { messageId: `${REPORT_ID}:3:deletion-request`, kind: 'deletion-request', recipient: 'standard-contact', subject: 'Anordnung …', channel: 'smtp', status: 'delivered', attempts: 1, firstAttemptAt: at(20 * MINUTE), lastAttemptAt: at(20 * MINUTE) },
];

/** Given the stored case, when its file is made for a recipient, then the document. */
const given = (events: ReportEvent[], integrity: CaseFileInput['integrity'] = { verified: true }) => ({
  whenFiledFor: (recipient: CaseFileRecipient) => buildCaseFile({ reportId: REPORT_ID, recipient, generatedAt: at(3 * DAY), events: stored(events), integrity, messages }),
});

describe('the case file', () => {
  it('given a whole case, when filed for the prosecution, then it holds the content, triage with the StGB section, each request with its escalations and answer, notes, timeline, messages and the chain verdict', () => {
    const file = given(lifecycle()).whenFiledFor('prosecution');
    expect(file).toMatchObject({
      reportId: REPORT_ID,
      recipient: 'prosecution',
      generatedAt: at(3 * DAY),
      status: 'closed',
      version: 9,
      report: { platform: 'telegram', excerpt: 'Call to murder a named virologist', evidenceHash: 'sha256:9f2c…', seenAt: '2026-03-01T20:15:00.000Z', filedAt: at(0), channel: 'state-police', reporterReference: 'LKA-BW-2026-123' },
      triage: { category: 'call-to-murder', legalProvision: '§ 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord)', severity: 'high', triagedAt: at(10 * MINUTE), actions: { referToProsecution: true } },
      closure: { outcome: 'removed-after-escalation', at: at(2 * DAY + HOUR), note: 'Checked by hand' },
      notes: [{ text: 'Reporter is a witness, call back before court', author: 'analyst.meyer', at: at(40 * MINUTE) }],
      assignee: 'analyst.schulz',
      integrity: { verified: true, events: 9 },
      withheld: [],
    });
    expect(file.report.contentLocations).toEqual([{ url: 'https://t.me/examplechannel/4711', channel: 'examplechannel', messageIds: ['4711'] }]);
    expect(file.requests).toEqual([
      {
        request: 'deletion',
        sentAt: at(20 * MINUTE),
        deadline: at(20 * MINUTE + DAY),
        escalations: [{ at: at(DAY + 20 * MINUTE), from: 'standard-contact', to: 'reminder', deadline: at(2 * DAY), trigger: 'deadline' }],
        answer: { response: 'removed', recordedAt: at(DAY + 5 * HOUR), atStep: 'reminder', receivedAt: at(DAY + 4 * HOUR), effectGivenAt: at(DAY + 3 * HOUR) },
        removalChecks: [{ at: at(2 * DAY), result: 'gone' }],
      },
    ]);
    expect(file.timeline).toHaveLength(9);
    expect(file.timeline[3]).toEqual({ streamVersion: 4, at: at(30 * MINUTE), type: 'CaseAssigned', actor: 'analyst.meyer', summary: expect.stringContaining('analyst.schulz') });
    expect(file.messages).toEqual([{ kind: 'deletion-request', recipient: 'standard-contact', subject: 'Anordnung …', status: 'delivered', attempts: 1, firstAttemptAt: at(20 * MINUTE), lastAttemptAt: at(20 * MINUTE), channel: 'smtp' }]);
  });

  it('given the same case, when filed for the app stores, then notes, reporter reference, assignee, actors, planned actions and internal events are left out, and the file says so', () => {
    const file = given(lifecycle()).whenFiledFor('app-store');
    const text = JSON.stringify(file);
    for (const secret of ['LKA-BW-2026-123', 'Reporter is a witness', 'analyst.schulz', 'analyst.meyer', 'state-police', 'Checked by hand', 'referToProsecution', 'smtp']) {
      expect(text).not.toContain(secret);
    }
    expect(file.notes).toBeUndefined();
    expect(file.report).not.toHaveProperty('reporterReference');
    expect(file.triage).toEqual({ category: 'call-to-murder', legalProvision: '§ 111 i. V. m. § 211 StGB (Öffentliche Aufforderung zum Mord)', severity: 'high', triagedAt: at(10 * MINUTE) });
    expect(file.timeline.map((entry) => entry.type)).toEqual(['ReportFiled', 'ReportTriaged', 'DeletionRequested', 'RequestEscalated', 'PlatformResponseRecorded']);
    expect(file.requests[0].escalations).toEqual([{ at: at(DAY + 20 * MINUTE), from: 'standard-contact', to: 'reminder', deadline: at(2 * DAY) }]);
    expect(file.withheld).toContain('the reporting channel and the reporter reference');
    expect(file.withheld.join(' ')).toMatch(/staff notes/);
  });

  it("given an escalation by hand, then the prosecution's file gives the staff's reason and the app stores' does not", () => {
    const byHand = [...history.deletionRequested(), event.escalated({ clock: 'deletion', from: 'standard-contact', to: 'high-level-contact', trigger: 'staff', reason: 'Imminent danger to the victim', deadline: at(2 * DAY) }, meta(HOUR))];
    expect(given(byHand).whenFiledFor('prosecution').requests[0].escalations[0]).toMatchObject({ trigger: 'staff', reason: 'Imminent danger to the victim' });
    expect(JSON.stringify(given(byHand).whenFiledFor('app-store'))).not.toContain('Imminent danger');
  });

  it('given a broken hash chain, then the file says where it breaks', () => {
    const file = given(history.triaged(), { verified: false, brokenAtVersion: 2, reason: 'hash mismatch' }).whenFiledFor('prosecution');
    expect(file.integrity).toEqual({ verified: false, events: 2, brokenAtVersion: 2, reason: 'hash mismatch' });
    expect(file.requests).toEqual([]);
    expect(file.status).toBe('active');
  });

  it('given a case not yet triaged, then it has no triage and no requests', () => {
    const file = given(history.filed()).whenFiledFor('prosecution');
    expect(file.triage).toBeUndefined();
    expect(file.status).toBe('in-triage');
  });
});
