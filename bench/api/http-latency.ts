// HTTP benchmark on `npm start`'s stack: action latency (p50/p99) at fixed request rates, and the maximum
// filing rate. Prints figures; asserts nothing.
//
//   npm run build && node dist/bench/api/http-latency.js [rates=5,10,20] [secondsPerRate=10] [fileConcurrency=16]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, httpClient, startEngine } from '../../tests/e2e/engine-process';

const [ratesArg = '5,10,20', secondsArg = '10', concurrencyArg = '16'] = process.argv.slice(2);
const rates = ratesArg.split(',').map(Number);
const seconds = Number(secondsArg);
const fileConcurrency = Number(concurrencyArg);

const filing = (n: number) => ({
  platform: 'bench',
  channel: 'other',
  contentLocations: [{ url: `https://t.me/c/${n}` }],
  excerpt: 'Benchmark report',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference: `bench-${n}`,
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  // Rate limits off: the bench looks for the engine's own ceiling, not the per-token limit's.
  const engine = await startEngine(dataDir, await freeEnginePorts(), { env: { RATE_LIMIT_PER_MINUTE: '0', PLATFORMS: 'bench' } });
  const http = httpClient(engine.baseUrl);
  try {
    // Cases to act on: filed and triaged once, then notes are added at a fixed rate (open-loop arrivals).
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = (await http.post('/api/reports', filing(i))).body.report.reportId as string;
      await http.post(`/api/reports/${id}/triage`, { decision: 'actionable', category: 'insult', severity: 'standard', actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: false } });
      ids.push(id);
    }
    console.log(`action latency (POST /api/reports/:id/notes), open loop, ${seconds} s per rate`);
    for (const rate of rates) {
      const latencies: number[] = [];
      let errors = 0;
      const inFlight: Promise<void>[] = [];
      const started = performance.now();
      for (let n = 0; n < rate * seconds; n++) {
        const due = started + (n * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(
          (async () => {
            const t0 = performance.now();
            const res = await http.post(`/api/reports/${ids[n % ids.length]}/notes`, { text: `note ${n}` });
            if (res.status === 200) latencies.push(performance.now() - t0);
            else errors++;
          })(),
        );
      }
      await Promise.all(inFlight);
      console.log(`  ${String(rate).padStart(4)} req/s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ${latencies.length} ok, ${errors} failed`);
    }
    let filed = 0;
    let next = 1000;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: fileConcurrency }, async () => {
        while (performance.now() < until) {
          const res = await http.post('/api/reports', filing(next++));
          if (res.status === 201) filed++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    console.log(`maximum filing rate (POST /api/reports, ${fileConcurrency} concurrent): ${(filed / elapsed).toFixed(1)} reports/s over ${elapsed.toFixed(1)} s`);
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
