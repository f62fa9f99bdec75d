import { caseIn } from '../testing/report-states';
import { toEventStream, toReportDetail, toReportSummary } from './report-responses';

describe('the public shape of a report', () => {
  it('shows a case in triage with its facts and its policy by version, no clocks yet', () => {
    const detail = toReportDetail(caseIn('r1'));
    expect(detail).toEqual({
      status: 'in-triage',
      version: 1,
      report: {
        reportId: 'r1',
        platform: 'telegram',
        channel: 'citizen-portal',
        contentLocations: [{ url: 'https://t.me/example/1' }],
        excerpt: 'the reported text',
        evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015',
        seenAt: '2026-02-01T08:00:00.000Z',
        reporterReference: 'portal-1',
        filedAt: '2026-02-01T09:00:00.000Z',
      },
      policy: { platform: 'telegram', version: 1 },
      clocks: {},
      nextDeadline: null,
      overdueSince: null,
      notes: [],
    });
  });

  it("shows a running request's clock with its ladder under the case's severity, and the next deadline", () => {
    const detail = toReportDetail(caseIn('r1', 'active'));
    expect(detail).toMatchObject({
      status: 'active',
      assessment: { category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } },
      assignee: 'sam',
      notes: [{ text: 'called the platform', author: 'sam', at: '2026-02-01T09:04:00.000Z' }],
      nextDeadline: '2026-02-01T10:02:00.000Z',
      overdueSince: '2026-02-01T10:02:00.000Z',
    });
    expect(detail.clocks).toEqual({
      deletion: {
        kind: 'deletion',
        status: 'running',
        requestedAt: '2026-02-01T09:02:00.000Z',
        step: 'standard-contact',
        stepStartedAt: '2026-02-01T09:02:00.000Z',
        deadline: '2026-02-01T10:02:00.000Z',
        paused: false,
        escalated: false,
        ladder: [
          { step: 'standard-contact', duration: 'PT1H', basis: 'calendar', progress: 'current' },
          { step: 'reminder', duration: 'PT1H', basis: 'calendar', progress: 'ahead' },
          { step: 'high-level-contact', duration: 'PT4H', basis: 'calendar', progress: 'ahead' },
          { step: 'app-store-pressure', duration: 'PT24H', basis: 'calendar', progress: 'ahead' },
        ],
      },
    });
    expect(detail).not.toHaveProperty('pause');
    expect(detail).not.toHaveProperty('closure');
  });

  it('marks the clocks of a paused case as paused, with the pause; a paused case has no next deadline', () => {
    const detail = toReportDetail(caseIn('r1', 'paused'));
    expect(detail.pause).toEqual({ reason: 'awaiting-prosecutor', since: '2026-02-01T09:05:00.000Z' });
    expect(detail.clocks.deletion).toMatchObject({ status: 'running', paused: true });
    expect(detail.nextDeadline).toBeNull();
    expect(detail.overdueSince).toBeNull();
  });

  it('shows a request that ran through its whole ladder as overdue since its last deadline, with no next deadline', () => {
    const active = caseIn('r1', 'active') as Extract<ReturnType<typeof caseIn>, { status: 'active' }>;
    const exhausted = { ...active, clocks: { deletion: { ...active.clocks.deletion!, step: 'app-store-pressure' as const, status: 'exhausted' as const } } };
    const detail = toReportDetail(exhausted);
    expect(detail.nextDeadline).toBeNull();
    expect(detail.overdueSince).toBe('2026-02-01T10:02:00.000Z');
  });

  it("shows how a case was closed and the platform's answer on its clock", () => {
    const detail = toReportDetail(caseIn('r1', 'closed'));
    expect(detail.closure).toEqual({ outcome: 'removed', at: '2026-02-01T09:07:00.000Z' });
    expect(detail.clocks.deletion).toMatchObject({
      status: 'answered',
      paused: false,
      response: { kind: 'removed', at: '2026-02-01T09:05:00.000Z' },
      removal: 'gone',
    });
    expect(detail.nextDeadline).toBeNull();
  });

  it('refuses to show a report that was never filed', () => {
    expect(() => toReportDetail({ status: 'not-filed', version: 0 })).toThrow('never filed');
  });

  it("shows of the read model's state in a list row only where each request stands", () => {
    const state = caseIn('r1', 'active');
    const summary = toReportSummary({
      reportId: 'r1', platform: 'telegram', status: 'active', severity: 'critical', category: 'threat', assignee: null,
      filedAt: '2026-02-01T09:00:00.000Z', nextDeadline: null, overdueSince: '2026-02-01T10:00:00.000Z', policyVersion: 2, version: 4, state,
    });
    expect(summary).toEqual({
      reportId: 'r1', platform: 'telegram', status: 'active', severity: 'critical', category: 'threat', assignee: null,
      filedAt: '2026-02-01T09:00:00.000Z', nextDeadline: null, overdueSince: '2026-02-01T10:00:00.000Z', policyVersion: 2, version: 4,
      requests: [{ kind: 'deletion', status: 'running', step: 'standard-contact', deadline: state.clocks.deletion!.deadline }],
    });
  });

  it('lists no request for a case in triage', () => {
    const summary = toReportSummary({
      reportId: 'r2', platform: 'telegram', status: 'in-triage', severity: null, category: null, assignee: null,
      filedAt: '2026-02-01T09:00:00.000Z', nextDeadline: null, overdueSince: null, policyVersion: 1, version: 1, state: caseIn('r2'),
    });
    expect(summary.requests).toEqual([]);
  });

  it('shows an event stream with a broken chain as such', () => {
    const stream = toEventStream({
      reportId: 'r1',
      events: [{ streamVersion: 1, eventId: 'e1', type: 'ReportFiled', data: { reportId: 'r1' }, actor: 'sam', occurredAt: 't1', recordedAt: 't2' }],
      integrity: { verified: false, brokenAtVersion: 1, reason: 'hash mismatch' },
    });
    expect(stream.integrity).toEqual({ verified: false, brokenAtVersion: 1, reason: 'hash mismatch' });
    expect(stream.events[0]).toEqual({ streamVersion: 1, eventId: 'e1', type: 'ReportFiled', data: { reportId: 'r1' }, actor: 'sam', occurredAt: 't1', recordedAt: 't2' });
  });
});
