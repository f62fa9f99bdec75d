// Start-up benchmark of `npm start`'s program: the time from spawning it to GET /health answering 200, on a new
// data directory and on restarts of the same data with more and more open cases (filed through the API). Also the
// first action on an old case after the restart, how long the stop took, and the CPU time the engine used until
// healthy (less noisy than wall time on a shared machine). Prints figures; asserts nothing.
//
//   npm run bench:startup -- [openCases=0,1000] [fileConcurrency=16]
//
//   openCases  the case counts to restart at, ascending: cases are filed up to each count, then the engine is
//              stopped (SIGTERM) and started again on the same data (0: a restart with no case)
// Needs `npm run build` first (the script does it); runs on free ports and a temporary data directory.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess, freeEnginePorts, httpClient, startEngine } from '../../tests/e2e/engine-process';
import { fileReports, waitUntilHealthy } from '../support/engine-workload';

const [countsArg = '0,1000', concurrencyArg = '16'] = process.argv.slice(2);
const counts = countsArg.split(',').map(Number);
const fileConcurrency = Number(concurrencyArg);
if (counts.some((n, i) => !Number.isInteger(n) || n < 0 || (i > 0 && n < counts[i - 1])) || !(fileConcurrency > 0)) {
  console.error('usage: startup.js [openCases=0,1000 ascending] [fileConcurrency=16]');
  process.exit(2);
}

const env = { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0', PLATFORMS: 'bench' };
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Start {
  engine: EngineProcess;
  running: number;
  healthy: number;
  /** CPU seconds (user + system) the engine's process used until healthy: less noisy than the time on a busy machine. */
  cpu: number;
}

/** CPU time of a process so far, in seconds, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** Spawns the engine and waits for its "running" line, then for /health: both in ms from the spawn. */
async function timedStart(dataDir: string): Promise<Start> {
  const spawned = performance.now();
  const engine = await startEngine(dataDir, await freeEnginePorts(), { env });
  const running = performance.now() - spawned;
  const healthy = await waitUntilHealthy(httpClient(engine.baseUrl), spawned);
  return { engine, running, healthy, cpu: cpuSeconds(engine.pid) };
}

async function timedStop(engine: EngineProcess): Promise<number> {
  const t0 = performance.now();
  await engine.stop('SIGTERM');
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-startup-'));
  console.log(`start-up of npm start's program (${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}), data in ${dataDir}`);
  try {
    let { engine, running, healthy, cpu } = await timedStart(dataDir);
    console.log(`  new data directory:        running ${seconds(running)}, healthy ${seconds(healthy)} (${cpu.toFixed(2)} s CPU)`);
    const ids: string[] = [];
    const rows: [count: number, healthyMs: number, cpu: number][] = [];
    for (const count of counts) {
      if (ids.length < count) {
        const t0 = performance.now();
        const before = ids.length;
        ids.push(...(await fileReports(httpClient(engine.baseUrl), before, count, fileConcurrency, (n) => process.stderr.write(`\r  filing… ${before + n}`))));
        const rate = (count - before) / ((performance.now() - t0) / 1000);
        console.log(`\r  filed up to ${count} open cases (${rate.toFixed(0)} reports/s, ${fileConcurrency} concurrent)`);
      }
      const stopped = await timedStop(engine);
      ({ engine, running, healthy, cpu } = await timedStart(dataDir));
      // Healthy is not yet answering: the first action on a case filed before the restart.
      let firstAction = NaN;
      if (ids.length > 0) {
        const t0 = performance.now();
        const res = await httpClient(engine.baseUrl).post(`/api/reports/${ids[0]}/notes`, { text: 'after the restart' });
        firstAction = res.status === 200 ? performance.now() - t0 : NaN;
        if (res.status !== 200) console.log(`  (the first action after the restart answered ${res.status})`);
      }
      rows.push([count, healthy, cpu]);
      console.log(
        `  restart with ${String(count).padStart(6)} open cases: stop ${seconds(stopped)}, running ${seconds(running)}, healthy ${seconds(healthy)} (${cpu.toFixed(2)} s CPU)` +
          (Number.isNaN(firstAction) ? '' : `, first action on an old case ${firstAction.toFixed(0)} ms`),
      );
    }
    await engine.stop();
    if (rows.length > 1) {
      console.log('growth of the restart (time to healthy, CPU until then):');
      for (const [count, ms, cpuS] of rows) {
        console.log(`  ${String(count).padStart(6)} cases  ${seconds(ms)} (${(ms / rows[0][1]).toFixed(2)}×)  ${cpuS.toFixed(2)} s CPU (${(cpuS / rows[0][2]).toFixed(2)}×)`);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
