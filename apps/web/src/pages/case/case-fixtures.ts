// Report details as the API answers them, for the case page's tests.

import type { ApiSchemas, ReportDetail } from '../../api/client';

type Clock = ApiSchemas['RequestClockDto'];

export function clockOf(kind: Clock['kind'], change: Partial<Clock> = {}): Clock {
  return {
    kind,
    status: 'running',
    requestedAt: '2026-02-01T09:00:00.000Z',
    step: 'standard-contact',
    stepStartedAt: '2026-02-01T09:00:00.000Z',
    deadline: '2026-02-01T10:00:00.000Z',
    paused: false,
    escalated: false,
    ladder: [],
    ...change,
  };
}

export function detailOf(status: ReportDetail['status'], change: Partial<ReportDetail> = {}): ReportDetail {
  const triaged = status !== 'in-triage';
  return {
    status,
    version: 3,
    report: {
      reportId: 'R-1',
      platform: 'telegram',
      channel: 'citizen-portal',
      contentLocations: [{ url: 'https://t.me/example/1' }],
      excerpt: 'the reported text',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015',
      seenAt: '2026-02-01T08:00:00.000Z',
      reporterReference: 'portal-1',
      filedAt: '2026-02-01T08:30:00.000Z',
    },
    policy: { platform: 'telegram', version: 1 },
    ...(triaged && {
      assessment: { category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } },
    }),
    clocks: {},
    nextDeadline: null,
    overdueSince: null,
    notes: [],
    ...change,
  };
}
