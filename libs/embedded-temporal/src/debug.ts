// Opt-in trace of the engine's scheduling decisions (EMBEDDED_TEMPORAL_DEBUG=<file>), for diagnosing races.
import { appendFileSync } from 'node:fs';

const target = process.env.EMBEDDED_TEMPORAL_DEBUG;

export const debugEnabled = Boolean(target);

export function debugLog(message: string | (() => string)): void {
  if (!target) return;
  const text = typeof message === 'function' ? message() : message;
  appendFileSync(target, `${new Date().toISOString()} ${text}\n`);
}
