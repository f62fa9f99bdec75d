// Counting back-office actions by type and outcome: what an operator watches to see refusals and outages
// (a rising share of 409s after a policy change, 503s while Temporal is away).

import { CallHandler, ExecutionContext, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, tap } from 'rxjs';
import { classifyError } from '../common/api-error';
import type { MetricsService } from './metrics.service';

export const ACTION_OUTCOMES = ['accepted', 'invalid', 'not-found', 'refused', 'unavailable', 'failed'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

/** The outcome of an action that failed, by the status it answers. */
export function outcomeOf(error: unknown): ActionOutcome {
  const status = classifyError(error)?.statusCode ?? 500;
  switch (status) {
    case 400:
      return 'invalid';
    case 404:
      return 'not-found';
    case 409: // the domain refuses the step in the case's state
    case 412: // If-Match named a version the case has left
    case 422: // an Idempotency-Key reused with another body, text the store cannot keep
      return 'refused';
    case 503:
      return 'unavailable';
    default:
      return 'failed';
  }
}

const COUNTED_ACTION_KEY = 'metrics:action';

/** Counts the route's calls as `report_actions_total{action, outcome}` (after authentication: 401/403 are not). */
export const CountedAction = (action: string) => SetMetadata(COUNTED_ACTION_KEY, action);

/**
 * Counts the outcome of routes marked @CountedAction. An interceptor sees what the validation pipe refuses (pipes
 * run inside it) as well as the handler's result; guards run before it, so an unauthenticated call is no action.
 */
export class ActionOutcomeInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(COUNTED_ACTION_KEY, context.getHandler());
    if (!action) return next.handle();
    return next.handle().pipe(
      tap({
        next: () => this.metrics.countAction(action, 'accepted'),
        error: (error: unknown) => this.metrics.countAction(action, outcomeOf(error)),
      }),
    );
  }
}
