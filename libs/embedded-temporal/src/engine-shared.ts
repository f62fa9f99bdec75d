// Types, enum shorthands, limits and task tokens shared by the engine's parts.
import { temporal } from '@temporalio/proto';

type WS = typeof temporal.api.workflowservice.v1;
/** The decoded request message type of a WorkflowService method, by its request type name. */
export type Req<K extends keyof WS> = WS[K] extends { prototype: infer P } ? P : never;

export const enums = temporal.api.enums.v1;
export const CommandType = enums.CommandType;
export const WFTFailedCause = enums.WorkflowTaskFailedCause;
export const TimeoutType = enums.TimeoutType;
/** Durations the server fills where the caller left them open ("no limit"), kept well inside setTimeout's range. */
export const UNBOUNDED_MS = 10 * 365 * 24 * 3600 * 1000;
export const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
export const HISTORY_PAGE_SIZE = 1000;
/** A sticky queue nobody polled for this long (real time) has lost its worker: tasks and queries skip it (as the real server's matching does). */
export const STICKY_POLLER_UNAVAILABLE_MS = 10_000;

/** Task and page tokens: small JSON documents the server alone interprets. */
export function encodeToken(value: Record<string, string | number>): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeToken(token: Uint8Array | null | undefined): Record<string, string | number> | null {
  if (!token || token.length === 0) return null;
  try {
    const parsed = JSON.parse(Buffer.from(token).toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string | number>) : null;
  } catch {
    return null;
  }
}
