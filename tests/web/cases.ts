// Cases set up over the API for the browser tests (what the test is not about is not clicked through).

import type { httpClient } from '../e2e/engine-process';

type Http = ReturnType<typeof httpClient>;

export const evidenceHash = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export const reportOn = (platform: string, reporterReference: string) => ({
  platform,
  channel: 'state-police',
  contentLocations: [{ url: 'https://t.me/examplechannel/4711' }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash,
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference,
});

/** Files a report on telegram (by default) and answers its id. */
export async function filedCase(http: Http, reporterReference: string, platform = 'telegram'): Promise<string> {
  // A 503 (not applied within its limit: a busy machine) is taken again under a new key, as a person would.
  for (let attempt = 1; ; attempt += 1) {
    const filed = await http.post('/api/reports', reportOn(platform, reporterReference), undefined, { 'Idempotency-Key': `file-${reporterReference}-${attempt}` });
    if (filed.status === 201 || filed.status === 200) return filed.body.report.reportId as string;
    if (filed.status !== 503 || attempt === 3) throw new Error(`filing ${reporterReference}: ${filed.status} ${JSON.stringify(filed.body)}`);
  }
}

export const triageHigh = { decision: 'actionable', category: 'call-to-murder', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } };

/** A case filed, triaged (high, deletion) and with its deletion request sent: running, its clock ticking. */
export async function runningCase(http: Http, reporterReference: string, platform = 'telegram'): Promise<string> {
  const id = await filedCase(http, reporterReference, platform);
  for (const [action, body] of [['triage', triageHigh], ['deletion-request', undefined]] as const) {
    const answer = await http.post(`/api/reports/${id}/${action}`, body);
    if (answer.status !== 200) throw new Error(`${action} of ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return id;
}

export { drillRules } from '../support/drill-policy';
