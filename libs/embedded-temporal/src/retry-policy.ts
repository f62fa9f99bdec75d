// Server-side retry decisions for activities, following the RetryPolicy semantics of Temporal.
import { durationMs } from './proto';
import type { RetryPolicyState } from './workflow-run';

interface RetryPolicyMessage {
  initialInterval?: { seconds?: unknown; nanos?: number | null } | null;
  backoffCoefficient?: number | null;
  maximumInterval?: { seconds?: unknown; nanos?: number | null } | null;
  maximumAttempts?: number | null;
  nonRetryableErrorTypes?: string[] | null;
}

/** Fills every field the way the server does, so workers always see a complete policy. */
export function normalizeRetryPolicy(policy: RetryPolicyMessage | null | undefined): RetryPolicyState {
  const initialIntervalMs = durationMs(policy?.initialInterval as never) || 1000;
  const backoffCoefficient = policy?.backoffCoefficient && policy.backoffCoefficient >= 1 ? policy.backoffCoefficient : 2;
  const maximumIntervalMs = durationMs(policy?.maximumInterval as never) || initialIntervalMs * 100;
  return {
    initialIntervalMs,
    backoffCoefficient,
    maximumIntervalMs: Math.max(maximumIntervalMs, initialIntervalMs),
    maximumAttempts: policy?.maximumAttempts && policy.maximumAttempts > 0 ? policy.maximumAttempts : 0,
    nonRetryableErrorTypes: [...(policy?.nonRetryableErrorTypes ?? [])],
  };
}

export function validateRetryPolicy(policy: RetryPolicyMessage | null | undefined): string | null {
  if (!policy) return null;
  if ((policy.maximumAttempts ?? 0) < 0) return 'RetryPolicy.maximumAttempts cannot be negative';
  if (policy.backoffCoefficient && policy.backoffCoefficient < 1) return 'RetryPolicy.backoffCoefficient must be at least 1';
  const initial = durationMs(policy.initialInterval as never);
  const maximum = durationMs(policy.maximumInterval as never);
  if (initial < 0 || maximum < 0) return 'RetryPolicy intervals cannot be negative';
  if (maximum > 0 && initial > maximum) return 'RetryPolicy.maximumInterval cannot be less than initialInterval';
  return null;
}

export function retryPolicyToProto(policy: RetryPolicyState): object {
  const ms = (v: number) => ({ seconds: Math.floor(v / 1000), nanos: (v % 1000) * 1e6 });
  return {
    initialInterval: ms(policy.initialIntervalMs),
    backoffCoefficient: policy.backoffCoefficient,
    maximumInterval: ms(policy.maximumIntervalMs),
    maximumAttempts: policy.maximumAttempts,
    nonRetryableErrorTypes: policy.nonRetryableErrorTypes,
  };
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryState: number };

export const RetryState = {
  inProgress: 1,
  nonRetryable: 2,
  timeout: 3,
  maximumAttempts: 4,
  retryPolicyNotSet: 5,
} as const;

/** Whether attempt `attempt` (just failed) is retried, and after how long. */
export function decideRetry(args: {
  policy: RetryPolicyState;
  attempt: number;
  errorType: string | null;
  nonRetryable: boolean;
  nextRetryDelayMs: number;
  now: number;
  expirationTime: number;
}): RetryDecision {
  const { policy, attempt } = args;
  if (args.nonRetryable || (args.errorType !== null && policy.nonRetryableErrorTypes.includes(args.errorType))) {
    return { retry: false, retryState: RetryState.nonRetryable };
  }
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
    return { retry: false, retryState: RetryState.maximumAttempts };
  }
  const computed = Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1), policy.maximumIntervalMs);
  const delayMs = args.nextRetryDelayMs > 0 ? args.nextRetryDelayMs : computed;
  if (args.expirationTime > 0 && args.now + delayMs >= args.expirationTime) {
    return { retry: false, retryState: RetryState.timeout };
  }
  return { retry: true, delayMs };
}
