// Whether stored events flow: the relay publishing them, the projector applying them to the read model. Read
// from the database (their checkpoints in the store's global order, the events after them, the quarantine), so it holds
// whichever process runs relay and projector. A component with lag whose progress has not moved for
// STALL_AFTER_MS is stalled (down); quarantined events make the pipeline degraded (up, but an operator must act).

export type PipelineComponent = 'relay' | 'projector';
const COMPONENTS: readonly PipelineComponent[] = ['relay', 'projector'];

/** How long a component may have lag without progress before /health calls it stalled. */
export const STALL_AFTER_MS = 60_000;

export interface PipelineReading {
  /** Events stored but not yet published (relay) or not yet in the read model (projector), quarantined ones excluded. */
  lag: number;
  /** A figure that grows whenever the component gets on (its checkpoint's position in the store). */
  progress: number;
  /** Events this component quarantined (npm run quarantine lists them). */
  quarantined: number;
}

/** What the last probes saw: when each component last made progress. */
export type PipelineMemory = Partial<Record<PipelineComponent, { progress: number; since: number }>>;

export interface PipelineAssessment {
  up: boolean;
  degraded: boolean;
  detail: string;
  memory: PipelineMemory;
}

export function assessPipeline(readings: Record<PipelineComponent, PipelineReading>, memory: PipelineMemory, now: number, stallAfterMs = STALL_AFTER_MS): PipelineAssessment {
  const next: PipelineMemory = {};
  const parts: string[] = [];
  let stalled = false;
  let quarantined = 0;
  for (const component of COMPONENTS) {
    const reading = readings[component];
    const seen = memory[component];
    // Progress, or nothing to do, or a first look: the clock for a stall starts (again) now.
    const moving = !seen || seen.progress !== reading.progress || reading.lag === 0;
    const since = moving ? now : seen.since;
    next[component] = { progress: reading.progress, since };
    const stuckMs = now - since;
    const isStalled = reading.lag > 0 && stuckMs >= stallAfterMs;
    stalled ||= isStalled;
    quarantined += reading.quarantined;
    let part = `${component} lag ${reading.lag}`;
    if (isStalled) part += ` (stalled: no progress for ${Math.round(stuckMs / 1000)} s)`;
    if (reading.quarantined > 0) part += `, ${reading.quarantined} event(s) quarantined`;
    parts.push(part);
  }
  const state = stalled ? 'down' : quarantined > 0 ? 'degraded' : 'ok';
  const hint = quarantined > 0 ? '; list them with npm run quarantine' : '';
  return { up: !stalled, degraded: !stalled && quarantined > 0, detail: `${state}: ${parts.join('; ')}${hint}`, memory: next };
}
