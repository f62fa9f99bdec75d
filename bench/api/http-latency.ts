// HTTP benchmark on `npm start`'s stack, driven from this separate process: back-office action latency under
// sustained open-loop load, then the rate at which p99 passes 100 ms, then the maximum filing rate. Prints figures;
// asserts nothing.
//
//   npm run bench:api -- [rates=10,25,50,100] [secondsPerRate=60] [cases=200] [searchSeconds=20] [fileSeconds=10]
//
//   rates          actions per second, one step each, in this order
//   secondsPerRate how long each step sends at its rate
//   cases          open cases filed and triaged first; each action goes to one of them at random, as a back
//                  office's staff spread over their cases
//   searchSeconds  length of each step of the search upward (from the last step with p99 ≤ 100 ms, ×1.25 a step,
//                  then halving the gap) for the rate where p99 passes 100 ms; 0 skips the search
//   fileSeconds    how long to file reports at full speed (16 concurrent) for the maximum filing rate; 0 skips it
//
// The action is POST /api/reports/:id/notes (update → decide → event stored, the path every back-office action
// takes). Open loop: the n-th action is sent at start + n/rate whether or not earlier ones were answered, and its
// latency counts from that instant, so a stalled engine shows as latency instead of as fewer requests. Latencies
// are of 200 answers; other answers are counted by status, requests without an answer by their cause. Each step
// starts after 5 s without load and a healthy /health. Rate limits are off (RATE_LIMIT_PER_MINUTE=0): the bench
// measures the engine, not the per-client limit. BENCH_ENGINE_NODE_OPTIONS goes to the program as NODE_OPTIONS.

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, httpClient, startEngine } from '../../tests/e2e/engine-process';
import { fileReports, filing, percentile, waitUntilHealthy } from '../support/engine-workload';

const [ratesArg = '10,25,50,100', secondsArg = '60', casesArg = '200', searchArg = '20', fileArg = '10'] = process.argv.slice(2);
const rates = ratesArg.split(',').map(Number);
const seconds = Number(secondsArg);
const caseCount = Number(casesArg);
const searchSeconds = Number(searchArg);
const fileSeconds = Number(fileArg);
if (rates.some((rate) => !(rate > 0)) || !(seconds > 0) || !(caseCount > 0) || !(searchSeconds >= 0) || !(fileSeconds >= 0)) {
  console.error('usage: http-latency.js [rates=10,25,50,100] [secondsPerRate=60] [cases=200] [searchSeconds=20] [fileSeconds=10]');
  process.exit(2);
}

/** p99 above this is where the search stops. */
const P99_LIMIT_MS = 100;
/** Requests in flight beyond this are not sent (counted as skipped): the engine is past saturation. */
const MAX_IN_FLIGHT = 2000;
/** Quiet time before each step. */
const SETTLE_MS = 5000;

type Http = ReturnType<typeof httpClient>;

interface Step {
  rate: number;
  sent: number;
  latencies: number[];
  failures: Map<string, number>;
  skipped: number;
  achieved: number;
}

/** Sends actions at `rate` per second for `durationS` seconds, open loop, to random cases of `ids`. */
async function step(http: Http, ids: readonly string[], rate: number, durationS: number, label: string): Promise<Step> {
  await settle(http);
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  let sent = 0;
  const total = Math.round(rate * durationS);
  const started = performance.now();
  for (let n = 0; n < total; n++) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    sent++;
    const id = ids[Math.floor(Math.random() * ids.length)];
    const request = (async () => {
      try {
        const res = await http.post(`/api/reports/${id}/notes`, { text: `${label} note ${n}` });
        if (res.status === 200) latencies.push(performance.now() - due);
        else failures.set(String(res.status), (failures.get(String(res.status)) ?? 0) + 1);
      } catch (error) {
        // fetch fails with a TypeError whose cause says why (a refused or reset connection, a timeout).
        const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
        const name = `no answer (${cause?.code ?? cause?.message ?? (error as Error)?.message ?? error})`;
        failures.set(name, (failures.get(name) ?? 0) + 1);
      }
    })();
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;
  return { rate, sent, latencies, failures, skipped, achieved: latencies.length / elapsedS };
}

/**
 * Before a step: a few seconds without load and a healthy engine, so that a step is not charged with the backlog
 * the one before it left (an overloaded step leaves workflow tasks, relay and projector work behind).
 */
async function settle(http: Http): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await waitUntilHealthy(http, performance.now(), 120_000).catch(() => undefined);
}

const ms = (value: number) => (Number.isNaN(value) ? '    –' : value.toFixed(1).padStart(7));
const p99 = (result: Step) => percentile(result.latencies, 99);

function row(result: Step): string {
  const { latencies } = result;
  const failed = [...result.failures].map(([status, count]) => `${count}×${status}`).join(' ');
  return (
    `${String(result.rate).padStart(7)}/s ${result.achieved.toFixed(1).padStart(8)}/s ` +
    `${ms(percentile(latencies, 50))} ${ms(percentile(latencies, 90))} ${ms(percentile(latencies, 99))} ${ms(latencies.length ? Math.max(...latencies) : NaN)}` +
    `  ${String(latencies.length).padStart(6)}` +
    (failed ? `  failed: ${failed}` : '') +
    (result.skipped ? `  not sent (over ${MAX_IN_FLIGHT} in flight): ${result.skipped}` : '')
  );
}

const HEADER = '   rate   achieved     p50     p90     p99     max      ok   (ms)';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const engine = await startEngine(dataDir, await freeEnginePorts(), {
    env: { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0', PLATFORMS: 'bench', ...(process.env.BENCH_ENGINE_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_ENGINE_NODE_OPTIONS }) },
  });
  const http = httpClient(engine.baseUrl);
  try {
    console.log(`HTTP action latency on npm start's stack (${availableParallelism()} cores shared with this load generator, load ${loadavg()[0].toFixed(1)})`);
    // The cases to act on: filed and triaged, as the back office finds them.
    const ids = await fileReports(http, 0, caseCount, 16);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker; i < ids.length; i += 8) {
          const res = await http.post(`/api/reports/${ids[i]}/triage`, {
            decision: 'actionable',
            category: 'insult',
            severity: 'standard',
            actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: false },
          });
          if (res.status !== 200) throw new Error(`triage answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
      }),
    );
    console.log(`POST /api/reports/:id/notes to ${caseCount} triaged cases at random, open loop, ${seconds} s per rate`);
    console.log(HEADER);
    const results: Step[] = [];
    for (const rate of rates) {
      const result = await step(http, ids, rate, seconds, `r${rate}`);
      results.push(result);
      console.log(row(result));
    }

    if (searchSeconds > 0) {
      // Upward from the highest rate that kept p99 within the limit (or down from the lowest that did not).
      const isWithin = (result: Step) => p99(result) <= P99_LIMIT_MS && result.failures.size === 0 && result.skipped === 0;
      const within = results.filter(isWithin);
      let low = within.length ? Math.max(...within.map((result) => result.rate)) : 0;
      let high = results.filter((result) => !isWithin(result) && result.rate > low).reduce((min, result) => Math.min(min, result.rate), Infinity);
      console.log(`searching for the rate where p99 passes ${P99_LIMIT_MS} ms, ${searchSeconds} s a step:`);
      console.log(HEADER);
      const tryRate = async (rate: number) => {
        const result = await step(http, ids, rate, searchSeconds, `s${rate}`);
        console.log(row(result));
        return isWithin(result);
      };
      if (low === 0) {
        // Not even the lowest rate kept within the limit: downward, halving.
        for (let rate = Math.floor(high / 2); rate >= 1 && low === 0; rate = Math.floor(rate / 2)) {
          if (await tryRate(rate)) low = rate;
          else high = rate;
        }
      }
      while (!Number.isFinite(high) && low < 2000) {
        const rate = Math.max(Math.round(low * 1.25), low + 5);
        if (await tryRate(rate)) low = rate;
        else high = rate;
      }
      for (let i = 0; i < 3 && low > 0 && high - low > Math.max(2, low * 0.05); i++) {
        const rate = Math.round((low + high) / 2);
        if (await tryRate(rate)) low = rate;
        else high = rate;
      }
      if (low === 0) console.log(`p99 is above ${P99_LIMIT_MS} ms even at ${high} action/s`);
      else if (!Number.isFinite(high)) console.log(`p99 stays within ${P99_LIMIT_MS} ms up to ${low} actions/s (the search stops there)`);
      else console.log(`p99 passes ${P99_LIMIT_MS} ms between ${low} and ${high} actions/s (the highest rate within it: ${low}/s)`);
    }

    if (fileSeconds > 0) {
      let filed = 0;
      let next = 1_000_000;
      const until = performance.now() + fileSeconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (performance.now() < until) {
            const res = await http.post('/api/reports', filing(next++));
            if (res.status === 201) filed++;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      console.log(`maximum filing rate (POST /api/reports, 16 concurrent): ${(filed / elapsed).toFixed(1)} reports/s over ${elapsed.toFixed(1)} s`);
    }
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
