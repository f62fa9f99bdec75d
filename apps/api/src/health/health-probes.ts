// The checks /health runs, one per outside dependency; the app that wires the API implements them.

export interface ProbeResult {
  up: boolean;
  /** What was checked or what failed, for an operator (no secrets). */
  detail?: string;
}

export abstract class HealthProbes {
  abstract temporal(): Promise<ProbeResult>;
  abstract kafka(): Promise<ProbeResult>;
  abstract database(): Promise<ProbeResult>;
}
