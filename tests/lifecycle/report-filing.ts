// The acting analyst and a report to file, shared by the lifecycle specs.

export const staff = { username: 'analyst.meyer', role: 'staff' as const };

/** A call to murder seen on a Telegram channel; `reportId` when the test picks it. */
export const filing = (reportId?: string) => ({
  ...(reportId && { reportId }),
  platform: 'telegram',
  channel: 'state-police' as const,
  contentLocations: [{ url: 'https://t.me/examplechannel/4711' }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash: 'sha256:9f2c',
  seenAt: '2026-03-01T20:15:00.000Z',
  reporterReference: 'LKA-BW-2026-123',
});
