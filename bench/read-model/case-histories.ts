// Realistic case histories for the read-model benchmark: each case is driven through the domain's own `decide`
// (so every event is one the engine could have recorded) by a seeded random script over the year before `now`:
// filed, assigned, triaged, requests sent, the platform answering or the ladder escalating at its deadlines,
// notes, pauses, closing. Old cases are mostly closed; recent ones are open with their deadlines ahead or passed.

import { decide, defaultEscalationPolicy, evolve, IllegalStepError, initialState, OFFENCE_CATEGORIES, SEVERITIES } from '@engine/domain';
import type { ClockKind, FiledReportState, ReportCommand, ReportEvent, ReportState } from '@engine/domain';
import type { ReportLifecycleMessage } from '@engine/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Platforms by share of the reports (a few big ones, a long tail), and how willing each is to answer a step. */
export const BENCH_PLATFORMS = [
  { platform: 'telegram', share: 0.34, answers: 0.35 },
  { platform: 'x', share: 0.2, answers: 0.55 },
  { platform: 'tiktok', share: 0.14, answers: 0.7 },
  { platform: 'facebook', share: 0.1, answers: 0.8 },
  { platform: 'instagram', share: 0.08, answers: 0.8 },
  { platform: 'youtube', share: 0.07, answers: 0.85 },
  { platform: 'vk', share: 0.04, answers: 0.1 },
  { platform: 'gettr', share: 0.03, answers: 0.2 },
] as const;

export const BENCH_ASSIGNEES = Array.from({ length: 24 }, (_, i) => `analyst.${String(i + 1).padStart(2, '0')}`);
const STATES = ['BW', 'BY', 'BE', 'HH', 'HE', 'NI', 'NW', 'SN'];
const EXCERPTS = [
  'Call to murder a named virologist',
  'Threat against a mayor and her family',
  'Antisemitic incitement in a channel with 40,000 subscribers',
  'Insult of a police officer with a photo',
  'Public call to attack a refugee shelter',
  'Death threat against a journalist',
  'Holocaust denial in a video description',
];

/** One case: its events as the lifecycle topic carries them, and the state they fold to. */
export interface GeneratedCase {
  messages: ReportLifecycleMessage[];
  state: FiledReportState;
  refusedCommands: number;
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same data set on every run. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCase(index: number, now: number, random: () => number): GeneratedCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (from: number, to: number) => from + random() * (to - from);
  let roll = random();
  const profile = BENCH_PLATFORMS.find((p) => (roll -= p.share) < 0) ?? BENCH_PLATFORMS[0];
  const reportId = `R-bench-${String(index).padStart(7, '0')}`;
  // Filed over the year before now, more of them recently (the office grows).
  const filedAt = now - Math.floor(random() ** 1.3 * 380 * DAY);

  let state: ReportState = initialState();
  const messages: ReportLifecycleMessage[] = [];
  let refusedCommands = 0;
  let t = filedAt;
  const meta = (at: number, actor = 'analyst.desk') => ({ actor, now: new Date(Math.floor(at)).toISOString() });
  /** Runs a command if its time has come; false when it lies after now or the decider refuses it. */
  const run = (command: ReportCommand): boolean => {
    if (Date.parse(command.metadata.now) > now) return false;
    let events: ReportEvent[];
    try {
      events = decide(command, state);
    } catch (error) {
      if (!(error instanceof IllegalStepError)) throw error;
      refusedCommands++;
      return false;
    }
    for (const event of events) {
      state = evolve(state, event);
      const streamVersion = messages.length + 1;
      messages.push({
        eventId: `${reportId}:${streamVersion}`, type: event.type, schemaVersion: 1, reportId, streamVersion,
        data: event.data, metadata: event.metadata, recordedAt: event.metadata.now,
      } as ReportLifecycleMessage);
    }
    return true;
  };

  const platform = profile.platform;
  const channel = `channel${Math.floor(random() * 800)}`;
  run({
    type: 'FileReport',
    data: {
      reportId, platform, channel: pick(['citizen-portal', 'partner-organisation', 'state-police', 'other'] as const),
      contentLocations: [{ url: `https://${platform}.example/${channel}/${index}`, channel, messageIds: [String(index)] }],
      excerpt: `${pick(EXCERPTS)} (#${index})`, evidenceHash: `sha256:${index.toString(16).padStart(64, '0')}`,
      seenAt: new Date(filedAt - between(HOUR, 3 * DAY)).toISOString(), reporterReference: `LKA-${pick(STATES)}-2026-${index}`,
      policy: defaultEscalationPolicy(platform),
    },
    metadata: meta(filedAt, 'integration:portal'),
  });
  if (random() < 0.85) run({ type: 'AssignCase', data: { assignee: pick(BENCH_ASSIGNEES) }, metadata: meta((t += between(5 * 60_000, 4 * HOUR))) });
  t += between(10 * 60_000, 2 * DAY);
  if (random() < 0.12) {
    run({ type: 'TriageReport', data: { decision: 'dismiss', reason: 'Not unlawful' }, metadata: meta(t) });
    return finished();
  }
  roll = random();
  const severity = roll < 0.1 ? SEVERITIES[0] : roll < 0.5 ? SEVERITIES[1] : SEVERITIES[2];
  const actions = { deletionRequest: random() < 0.95, subscriberDataRequest: random() < 0.45, referToProsecution: random() < 0.3 };
  if (!run({ type: 'TriageReport', data: { decision: 'actionable', category: pick(OFFENCE_CATEGORIES), severity, actions }, metadata: meta(t) })) return finished();
  if (actions.deletionRequest) run({ type: 'RequestDeletion', data: {}, metadata: meta((t += between(5 * 60_000, HOUR))) });
  if (actions.subscriberDataRequest) run({ type: 'RequestSubscriberData', data: {}, metadata: meta((t += between(5 * 60_000, HOUR))) });
  for (let n = Math.floor(random() * 3); n > 0; n--) run({ type: 'AddNote', data: { text: `Checked the channel again (${n})` }, metadata: meta((t += between(HOUR, 2 * DAY))) });
  if (random() < 0.04) {
    run({ type: 'PauseCase', data: { reason: 'awaiting-prosecutor' }, metadata: meta((t += between(HOUR, DAY))) });
    run({ type: 'ResumeCase', data: {}, metadata: meta((t += between(5 * DAY, 30 * DAY))) });
  }

  // The platform answers a step before its deadline, or the step's deadline passes and the ladder climbs.
  for (let step = 0; step < 12 && state.status === 'active'; step++) {
    const waiting = Object.values(state.clocks).filter((clock) => clock.status === 'running');
    if (waiting.length === 0) break;
    const clock = waiting.reduce((a, b) => (a.deadline < b.deadline ? a : b));
    const deadline = Date.parse(clock.deadline);
    if (random() < profile.answers) {
      const at = between(Math.max(t, Date.parse(clock.stepStartedAt)), deadline);
      const response = answer(clock.kind);
      if (!run({ type: 'RecordPlatformResponse', data: { clock: clock.kind, response, effectGivenAt: new Date(at).toISOString() }, metadata: meta(at) })) break;
      t = at;
      if (response === 'removed' && random() < 0.7) run({ type: 'VerifyRemoval', data: { result: random() < 0.9 ? 'gone' : 'still-online' }, metadata: meta((t += between(HOUR, 3 * DAY))) });
    } else {
      const at = deadline + between(1_000, 60_000);
      if (!run({ type: 'RecordDeadlineElapsed', data: { clock: clock.kind, step: clock.step }, metadata: meta(at, 'system:timer') })) break;
      t = at;
    }
  }
  if (state.status === 'active' && !Object.values(state.clocks).some((clock) => clock.status === 'running') && random() < 0.8) {
    const at = t + between(HOUR, 10 * DAY);
    for (const outcome of ['removed', 'removed-after-escalation', 'refused-and-referred-to-prosecution', 'unresolved'] as const) {
      if (Date.parse(meta(at).now) > now) break;
      try {
        decide({ type: 'CloseCase', data: { outcome }, metadata: meta(at) }, state);
      } catch {
        continue; // not this outcome: the next one
      }
      run({ type: 'CloseCase', data: { outcome }, metadata: meta(at) });
      break;
    }
  }
  return finished();

  function answer(kind: ClockKind) {
    const r = random();
    if (kind === 'deletion') return r < 0.75 ? 'removed' : r < 0.85 ? 'partially-removed' : 'refused';
    return r < 0.6 ? 'data-supplied' : 'data-refused';
  }

  function finished(): GeneratedCase {
    if (state.status === 'not-filed') throw new Error(`case ${reportId} was not filed`);
    return { messages, state, refusedCommands };
  }
}
