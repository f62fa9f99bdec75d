// Concurrent filings under one Idempotency-Key (a client retrying impatiently, a load balancer replaying):
// one report is filed, and every caller gets it back, including the key's first user when another call's
// filing overtook its own.
import { ReportState } from '@engine/domain';
import { filing, staff } from './report-filing';
import { useLifecycleStack } from './use-lifecycle-stack';

const reportIdOf = (state: ReportState) => (state as Exclude<ReportState, { status: 'not-filed' }>).report.reportId;

describe('concurrent filings with one Idempotency-Key', () => {
  const lifecycle = useLifecycleStack();

  it('file one report and answer every caller with it', async () => {
    const stack = lifecycle();
    const key = `concurrent-${Date.now()}`;
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => stack.reports.file(filing(), staff, `${key}-${round}`)));
      const refused = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
      expect(refused).toEqual([]);
      const answers = results.map((result) => (result as PromiseFulfilledResult<{ created: boolean; report: ReportState }>).value);
      const ids = new Set(answers.map((answer) => reportIdOf(answer.report)));
      expect(ids.size).toBe(1);
      expect(answers.filter((answer) => answer.created)).toHaveLength(1);
      const [reportId] = ids;
      expect((await stack.reports.events(reportId)).events.map((event) => event.type)).toEqual(['ReportFiled']);
    }
  }, 60_000);
});
