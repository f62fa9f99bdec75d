// Scale of one machine on `npm start`'s program (a child process, driven over HTTP as a user would): resident
// memory of its process tree with N open cases that each wait on a deadline, how late deadlines fire while they
// fall due at R per second, and the outbox lag (stored → consumed on Kafka) meanwhile. Prints figures; asserts
// nothing.
//
//   npm run build && node dist/bench/scale/open-cases.js [cases=1000] [deadlinesPerSecond=100] [waveSeconds=20] [concurrency=16]
//
// 1. N cases are filed on platform `bench`, triaged and sent a deletion request (the default policy: their
//    deadlines are days away, so they stay open and waiting). The seeding rate gives a projection for 100,000.
// 2. The deadline wave: cases on platforms `wave-0` … `wave-(P-1)`, each platform with a drill policy whose first
//    step lasts (P - k) × waveSeconds + margin. Platform k's cases are seeded during the k-th slice of waveSeconds,
//    at R / P per second, so that all P platforms' deadlines fall due together during one slice: R per second
//    although seeding runs slower than R. Each deadline stores DeadlineElapsed and RequestEscalated, so the wave
//    is also 2 × R transitions per second for the outbox.
// 3. The engine is stopped and started again on the same data: how long until healthy, and the first action.
// Lateness of a deadline = recordedAt of its DeadlineElapsed (stored) − the deadline in its data.
// SCALE_KEEP_DATA=1 keeps the data directory (its path is printed) to start the engine on it again later;
// SCALE_DATA_DIR=<dir> runs on such a directory (kept), adding N cases to those it holds, so that a large count
// can be reached in several sittings.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import { parseLifecycleMessage } from '@engine/kafka';
import { embeddedKafkaSasl, freeEnginePorts, httpClient, startEngine } from '../../tests/e2e/engine-process';
import { drillRules } from '../../tests/support/drill-policy';
import { childPids, mib, processTreeRss } from './process-tree-memory';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const [cases = 1000, deadlinesPerSecond = 100, waveSeconds = 20, concurrency = 16] = process.argv.slice(2).map(Number);
/** Time for the last slice's seeding to finish before the first deadline falls due. */
const MARGIN_SECONDS = 15;
const TARGET_CASES = 100_000;
/** Keeps references apart from an earlier run's on the same data directory. */
const RUN_TAG = Date.now().toString(36);

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted[sorted.length - 1]} ms (n=${sorted.length})`;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const filing = (platform: string, n: number) => ({
  platform,
  channel: 'other',
  contentLocations: [{ url: `https://t.me/c/${platform}/${n}` }],
  excerpt: 'Scale benchmark report',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference: `scale-${platform}-${RUN_TAG}-${n}`,
});
const triage = { decision: 'actionable', category: 'insult', severity: 'standard', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } };

async function main(): Promise<void> {
  const givenDataDir = process.env.SCALE_DATA_DIR;
  const dataDir = givenDataDir ?? mkdtempSync(join(tmpdir(), 'engine-scale-'));
  const wavePlatforms = (count: number) => Array.from({ length: count }, (_, k) => `wave-${k}`);
  // Enough platforms for any slice count the seeding rate may ask for; unused ones cost nothing.
  const ports = await freeEnginePorts();
  // ENGINE_NODE_OPTIONS reaches the engine (for example --heapsnapshot-signal=SIGUSR2 to see where memory goes).
  const env = { RATE_LIMIT_PER_MINUTE: '0', PLATFORMS: ['bench', ...wavePlatforms(40)].join(','), ...(process.env.ENGINE_NODE_OPTIONS && { NODE_OPTIONS: process.env.ENGINE_NODE_OPTIONS }) };
  let engine = await startEngine(dataDir, ports, { env });
  let [enginePid] = childPids();
  const http = httpClient(engine.baseUrl);

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, processTreeRss(enginePid))), 1000);
  const openCase = async (platform: string, n: number): Promise<string> => {
    const filed = await http.post('/api/reports', filing(platform, n));
    if (filed.status !== 201) throw new Error(`filing answered ${filed.status}: ${JSON.stringify(filed.body)}`);
    const id = filed.body.report.reportId as string;
    for (const [path, body] of [['triage', triage], ['deletion-request', undefined]] as const) {
      const answer = await http.post(`/api/reports/${id}/${path}`, body);
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return id;
  };

  // Every event on the topic, as an outside consumer reads it.
  const waveCases = new Set<string>();
  const lateness: number[] = [];
  const lags: { recordedAt: number; lag: number }[] = [];
  const kafka = new Kafka({ brokers: [`127.0.0.1:${ports.kafkaPort}`], clientId: 'bench-scale', sasl: embeddedKafkaSasl(dataDir), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-scale-${Date.now()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  // Events an earlier sitting stored (SCALE_DATA_DIR) are read too, but they are backlog, not lag.
  const consumingSince = Date.now();
  await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = parseLifecycleMessage(message.value);
      const recordedAt = Date.parse(event.recordedAt);
      lags.push({ recordedAt, lag: Date.now() - recordedAt });
      if (event.type === 'DeadlineElapsed' && waveCases.has(event.reportId)) lateness.push(recordedAt - Date.parse((event.data as { deadline: string }).deadline));
    },
  });

  try {
    const startedRss = processTreeRss(enginePid);
    const earlier = Number((await http.get('/api/reports?limit=1')).body.total ?? 0);
    console.log(`npm start's program (pid ${enginePid}) up: ${mib(startedRss)} resident (process tree)${earlier ? `; the data directory holds ${earlier} cases already` : ''}`);
    const warmUp = 50;
    for (let n = 0; n < warmUp; n++) await openCase('bench', n);
    await sleep(2000);
    const warmRss = processTreeRss(enginePid);

    // 1. N open cases waiting on their deadlines.
    const seedStarted = performance.now();
    let next = warmUp;
    let seeded = 0;
    /** RSS once half the cases are open: the growth from there on is what each further case costs. */
    let halfwayRss = 0;
    const progress = setInterval(() => console.log(`  seeded ${seeded}/${cases - warmUp}, ${mib(processTreeRss(enginePid))}`), 30_000);
    let failed = 0;
    let firstFailure = '';
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < cases) {
          // A refused or timed-out action is counted, not fatal: the bench goes on measuring the cases that opened.
          const opened = await openCase('bench', next++).then(
            () => true,
            (error: Error) => ((firstFailure ||= error.message), failed++, false),
          );
          if (!opened) continue;
          if (++seeded === Math.floor((cases - warmUp) / 2)) halfwayRss = processTreeRss(enginePid);
        }
      }),
    );
    clearInterval(progress);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const seedRate = seeded / seedSeconds;
    await sleep(5000);
    const seededRss = processTreeRss(enginePid);
    if (failed > 0) console.log(`seeding: ${failed} cases failed to open, the first: ${firstFailure}`);
    console.log(`seeding: ${seeded} cases (file + triage + deletion request over HTTP, concurrency ${concurrency}) in ${seedSeconds.toFixed(1)} s = ${seedRate.toFixed(1)} cases/s; ${TARGET_CASES.toLocaleString('en')} would take ${(TARGET_CASES / seedRate / 60).toFixed(0)} min`);
    // The marginal cost (second half of the cases) leaves out what the first cases cost once (heaps growing, caches filling).
    const perCase = (seededRss - halfwayRss) / (seeded - Math.floor(seeded / 2));
    console.log(`memory with ${earlier + cases} open cases: ${mib(seededRss)} resident (after ${warmUp} cases: ${mib(warmRss)}; halfway: ${mib(halfwayRss)}); ${((seededRss - warmRss) / seeded / 1024).toFixed(1)} KiB per open case on average, ${(perCase / 1024).toFixed(1)} KiB in the second half`);
    console.log(`  ${await heapBreakdown(http)}`);
    console.log(`  projection for ${TARGET_CASES.toLocaleString('en')} open cases at the second half's rate: ${mib(seededRss + perCase * (TARGET_CASES - earlier - cases))} (target 2048 MiB)`);

    // 2. The deadline wave: P slices seeded at R/P per second each fall due together at R per second.
    const slices = Math.min(40, Math.max(1, Math.ceil(deadlinesPerSecond / (0.6 * seedRate))));
    const sliceRate = deadlinesPerSecond / slices;
    const platforms = wavePlatforms(slices);
    for (const [k, platform] of platforms.entries()) {
      const firstStep = `PT${(slices - k) * waveSeconds + MARGIN_SECONDS}S`;
      const rules = drillRules((_severity, _clock, step) => (step === 'standard-contact' ? firstStep : 'P30D'));
      const answer = await http.put(`/api/policies/${platform}`, { rules, appliesTo: 'new-cases', reason: 'Scale benchmark' });
      if (answer.status !== 200) throw new Error(`policy for ${platform} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    console.log(`deadline wave: ${slices} slices of ${waveSeconds} s, ${sliceRate.toFixed(1)} cases/s each, to fall due together at ${deadlinesPerSecond}/s`);
    const waveSeeded = performance.now();
    const failures: string[] = [];
    const inFlight: Promise<void>[] = [];
    for (const [k, platform] of platforms.entries()) {
      const count = Math.round(sliceRate * waveSeconds);
      for (let n = 0; n < count; n++) {
        const wait = waveSeeded + (k * waveSeconds + n / sliceRate) * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        inFlight.push(openCase(platform, n).then((id) => void waveCases.add(id), (error: Error) => void failures.push(error.message)));
      }
    }
    await Promise.all(inFlight);
    const waveStart = Date.now() + (waveSeeded + (slices * waveSeconds + MARGIN_SECONDS) * 1000 - performance.now());
    console.log(`  ${waveCases.size} wave cases seeded (${failures.length} failed${failures.length ? `: ${failures[0]}` : ''}); the wave starts in ${((waveStart - Date.now()) / 1000).toFixed(1)} s`);
    if (waveStart < Date.now()) console.log('  seeding ran past the margin: the first slices fall due while the last are seeded');
    peakRss = 0;
    const waveEnd = waveStart + waveSeconds * 1000;
    // Until every wave deadline has fired (a late one counts with its lateness), or 2 minutes past the wave.
    while (lateness.length < waveCases.size && Date.now() < waveEnd + 120_000) await sleep(1000);
    const firingSeconds = (Date.now() - waveStart) / 1000;

    const waveLags = lags.filter(({ recordedAt }) => recordedAt >= waveStart && recordedAt < waveEnd).map(({ lag }) => lag);
    const seedingLags = lags.filter(({ recordedAt }) => recordedAt >= consumingSince && recordedAt < waveStart - MARGIN_SECONDS * 1000).map(({ lag }) => lag);
    console.log(`deadlines fired: ${lateness.length} of ${waveCases.size} within ${firingSeconds.toFixed(0)} s of the wave's start (${(lateness.length / firingSeconds).toFixed(1)}/s); lateness (DeadlineElapsed stored − deadline): ${summary(lateness)} (target p99 < 1000 ms)`);
    console.log(`transitions stored during the wave: ${(waveLags.length / waveSeconds).toFixed(1)}/s; outbox lag (stored → consumed): ${summary(waveLags)} (target p99 < 200 ms at 200/s)`);
    console.log(`outbox lag while seeding: ${summary(seedingLags)}`);
    console.log(`memory: peak during the wave ${mib(peakRss)}, now ${mib(processTreeRss(enginePid))} with ${earlier + cases + waveCases.size} open cases`);

    // 3. A restart with every case open: stopped cleanly, started on the same data, until healthy and acting.
    await consumer.stop();
    await engine.stop();
    const restarting = performance.now();
    engine = await startEngine(dataDir, ports, { env });
    [enginePid] = childPids();
    while ((await http.get('/health', null).then(({ status }) => status, () => 0)) !== 200) await sleep(100);
    const healthyMs = performance.now() - restarting;
    const acted = performance.now();
    const note = await http.post(`/api/reports/${[...waveCases][0]}/notes`, { text: 'after the restart' });
    console.log(
      `restart with ${earlier + cases + waveCases.size} open cases: healthy after ${(healthyMs / 1000).toFixed(1)} s; the first action on an old case answered ${note.status} after ${Math.round(performance.now() - acted)} ms; ${mib(processTreeRss(enginePid))} resident (target: healthy within 30 s at 100,000)`,
    );
  } finally {
    clearInterval(sampler);
    await consumer.disconnect();
    await engine.stop();
    if (givenDataDir || process.env.SCALE_KEEP_DATA === '1') console.log(`data directory kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The engine's main-thread heap and its memory outside the heap (PGlite's WebAssembly memory, buffers), from /metrics. */
async function heapBreakdown(http: ReturnType<typeof httpClient>): Promise<string> {
  const metrics = String((await http.get('/metrics', null)).body);
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const heap = value('nodejs_heap_size_used_bytes');
  const external = value('nodejs_external_memory_bytes');
  const rss = value('process_resident_memory_bytes');
  return `of which main thread's heap in use ${mib(heap)}, outside the heap (WebAssembly, buffers) ${mib(external)}, the rest (worker threads, the SDK's core, allocator) ${mib(rss - heap - external)}`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
