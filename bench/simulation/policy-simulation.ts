// Benchmark of the what-if simulation (libs/domain): N recorded cases of varied severity, with pauses, escalations by
// hand, answers early, late or never, run again under a stricter candidate (business time for the first answer) and
// under the policy in force. Prints the time and cases per second of each, and the candidate's summary. Pure: no store.
//
//   npm run bench:simulation [-- 10000]   (the number of cases)

import { CLOCK_KINDS, defaultEscalationPolicy, EscalationPolicy, ReportEvent, Severity, simulatePolicy } from '@engine/domain';
import { recordHistory, TimedAction } from '../../libs/domain/testing/recorded-histories';

const cases = Number(process.argv[2] ?? 10_000);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse('2026-01-05T08:00:00.000Z');
const PLATFORM = 'telegram';

/** A small deterministic generator (mulberry32), so every run simulates the same cases. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function recordedCases(count: number, policy: EscalationPolicy): { histories: ReportEvent[][]; until: number } {
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const until = START + 120 * DAY;
  const histories: ReportEvent[][] = [];
  for (let index = 0; index < count; index++) {
    const filed = START + Math.floor(next() * 90 * DAY);
    const severity: Severity = pick(['critical', 'high', 'high', 'standard', 'standard', 'standard']);
    const actor = pick(['sam', 'alex', 'kim']);
    const actions: TimedAction[] = [];
    const at = (offset: number, make: TimedAction['make']) => actions.push({ at: filed + offset, actor, make });
    at(0, (metadata) => ({
      type: 'FileReport',
      data: { reportId: `bench-${index}`, platform: PLATFORM, channel: 'citizen-portal', contentLocations: [{ url: `https://t.me/c/${index}` }], excerpt: 'x', evidenceHash: `sha256:${index}`, seenAt: new Date(filed - HOUR).toISOString(), reporterReference: `ref-${index}`, policy },
      metadata,
    }));
    const triaged = 10 * MINUTE + Math.floor(next() * 4 * HOUR);
    at(triaged, (metadata) => ({ type: 'TriageReport', data: { decision: 'actionable', category: 'threat', severity, actions: { deletionRequest: true, subscriberDataRequest: next() < 0.3, referToProsecution: false } }, metadata }));
    const sent = triaged + 10 * MINUTE;
    at(sent, (metadata) => ({ type: 'RequestDeletion', data: {}, metadata }));
    if (next() < 0.3) at(sent + MINUTE, (metadata) => ({ type: 'RequestSubscriberData', data: {}, metadata }));
    if (next() < 0.15) {
      const pausedAt = sent + Math.floor(next() * 12 * HOUR);
      at(pausedAt, (metadata) => ({ type: 'PauseCase', data: { reason: 'awaiting-prosecutor' }, metadata }));
      at(pausedAt + Math.floor(next() * 3 * DAY), (metadata) => ({ type: 'ResumeCase', data: {}, metadata }));
    }
    if (next() < 0.1) at(sent + 2 * DAY, (metadata) => ({ type: 'Escalate', data: { clock: 'deletion', reason: 'still online' }, metadata }));
    const answer = next();
    if (answer < 0.75) {
      // Most answers come within days, some only after weeks.
      const after = answer < 0.5 ? Math.floor(next() * 3 * DAY) : Math.floor(next() * 25 * DAY);
      const answeredAt = sent + 3 * DAY + after;
      at(answeredAt, (metadata) => ({ type: 'RecordPlatformResponse', data: { clock: 'deletion', response: 'removed' }, metadata }));
      at(answeredAt + 2 * HOUR, (metadata) => ({ type: 'VerifyRemoval', data: { result: 'gone' }, metadata }));
      at(answeredAt + 3 * HOUR, (metadata) => ({ type: 'AddNote', data: { text: 'Checked: gone.' }, metadata }));
    }
    actions.sort((a, b) => a.at - b.at);
    histories.push(recordHistory(actions, until));
  }
  return { histories, until };
}

function stricter(policy: EscalationPolicy): EscalationPolicy {
  const candidate: EscalationPolicy = JSON.parse(JSON.stringify(policy));
  candidate.version = policy.version + 1;
  for (const clock of CLOCK_KINDS) {
    candidate.rules.high[clock]['standard-contact'] = { duration: 'PT12H', basis: 'business' };
    candidate.rules.standard[clock]['standard-contact'] = { duration: 'P3D', basis: 'business' };
    candidate.rules.standard[clock]['high-level-contact'] = { duration: 'PT24H', basis: 'calendar' };
  }
  return candidate;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const started = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function main(): void {
  const inForce = defaultEscalationPolicy(PLATFORM);
  const recording = time(() => recordedCases(cases, inForce));
  const { histories, until } = recording.result;
  const events = histories.reduce((sum, history) => sum + history.length, 0);
  const asOf = new Date(until).toISOString();
  console.log(`recorded ${cases} cases, ${events} events, in ${recording.ms.toFixed(0)} ms (setup, not measured)`);
  simulatePolicy({ cases: histories.slice(0, 200), candidate: inForce, asOf }); // warm-up
  for (const [name, candidate] of [['candidate (stricter, business time)', stricter(inForce)], ['policy in force', inForce]] as const) {
    const { result, ms } = time(() => simulatePolicy({ cases: histories, candidate, asOf }));
    console.log(`\n${name}: ${cases} cases simulated in ${ms.toFixed(0)} ms (${Math.round(cases / (ms / 1000))} cases/s)`);
    const { summary } = result;
    console.log(`  changed ${summary.casesChanged}, with refused actions ${summary.casesWithRefusedActions}, app-store pressure ${summary.appStorePressure.recorded} → ${summary.appStorePressure.simulated}`);
    for (const step of summary.steps.filter((s) => s.clock === 'deletion')) {
      const hours = (ms: number | null) => (ms === null ? '–' : `${(ms / HOUR).toFixed(1)} h`);
      console.log(`  deletion ${step.step}: reached ${step.reached.recorded} → ${step.reached.simulated}; earlier ${step.changes.earlier}, later ${step.changes.later}, not at all ${step.changes['not-at-all']}, new ${step.changes['only-under-candidate']}; median ${hours(step.medianMsToStep.recorded)} → ${hours(step.medianMsToStep.simulated)}`);
    }
  }
}

main();
