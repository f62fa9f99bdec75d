// What the benchmarks on `npm start`'s stack share: reports to file, filing many at once, waiting until healthy,
// percentiles.

import type { httpClient } from '../../tests/e2e/engine-process';

type Http = ReturnType<typeof httpClient>;

/** A valid filing on the platform `bench` (start the engine with PLATFORMS=bench), told apart by `n`. */
export const filing = (n: number) => ({
  platform: 'bench',
  channel: 'other',
  contentLocations: [{ url: `https://t.me/c/${n}` }],
  excerpt: 'Benchmark report',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference: `bench-${n}`,
});

/** Files reports `from` … `to - 1` with `concurrency` requests in flight; returns their ids. Throws on a refusal. */
export async function fileReports(http: Http, from: number, to: number, concurrency: number, progress?: (filed: number) => void): Promise<string[]> {
  const ids: string[] = [];
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const n = next++;
        const res = await http.post('/api/reports', filing(n));
        if (res.status !== 201) throw new Error(`filing ${n} answered ${res.status}: ${JSON.stringify(res.body)}`);
        ids.push(res.body.report.reportId as string);
        if (progress && ids.length % 1000 === 0) progress(ids.length);
      }
    }),
  );
  return ids;
}

/** Polls GET /health until it answers 200; the milliseconds from `since` (performance.now()) until then. */
export async function waitUntilHealthy(http: Http, since: number, timeoutMs = 600_000): Promise<number> {
  for (;;) {
    const { status } = await http.get('/health', null).catch(() => ({ status: 0 }));
    if (status === 200) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`not healthy within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The value below which `p` percent of `values` lie (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
