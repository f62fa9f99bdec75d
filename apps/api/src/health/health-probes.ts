// The checks /health runs, one per outside dependency; the app that wires the API implements them.

export interface ProbeResult {
  up: boolean;
  /** What was checked or what failed, for an operator (no secrets). */
  detail?: string;
  /** Up, but something needs an operator (quarantined events). */
  degraded?: boolean;
}

export abstract class HealthProbes {
  abstract temporal(): Promise<ProbeResult>;
  /** A worker polls the engine's task queue (without one, no case moves and no case can be read). */
  abstract worker(): Promise<ProbeResult>;
  /** The broker answers and the lifecycle topic exists. */
  abstract kafka(): Promise<ProbeResult>;
  abstract database(): Promise<ProbeResult>;
  /** Stored events flow: relay and projector keep up or make progress, and none is quarantined (degraded). */
  abstract pipeline(): Promise<ProbeResult>;
}
