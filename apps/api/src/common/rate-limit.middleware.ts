// Per-client rate limits on every request but the operator's probes: 429 with Retry-After once a client has spent
// its budget. A client is its bearer token (a digest of it, never the token itself) or, without one, its address.
// Reads and writes have separate budgets, so a burst of reads never blocks a client's next action. A middleware,
// first in line: a refused request costs no token check, no body parsing, no route.

import { HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { RateLimits } from '../config/http-defence-config';
import type { ApiErrorBody } from './api-error';
import type { HttpRequest, HttpResponse } from './http';
import { RateLimiter } from './rate-limiter';

export type RequestKind = 'read' | 'write';
export type ClientKind = 'token' | 'address';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Not limited: probes and scrapers call on their own schedule, and an orchestrator must never see a 429. */
export const RATE_LIMIT_EXEMPT_PATHS: readonly string[] = ['/health', '/metrics'];

/**
 * Who is asking. The token is not verified here (the auth guard does that later): a valid token gets its own
 * budget, and a client that invents tokens gets one 401 per invented token, cheap to answer and changing nothing.
 */
export function clientOf(request: HttpRequest): { kind: ClientKind; key: string } {
  const match = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '');
  if (match) return { kind: 'token', key: `token:${createHash('sha256').update(match[1]).digest('base64url')}` };
  return { kind: 'address', key: `address:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}` };
}

export function rateLimitMiddleware(
  limits: RateLimits,
  onLimited: (kind: RequestKind, client: ClientKind) => void = () => undefined,
  now: () => number = Date.now,
): (request: HttpRequest, response: HttpResponse, next: () => void) => void {
  const limiters: Record<RequestKind, RateLimiter> = {
    read: new RateLimiter(limits.readsPerMinute, now),
    write: new RateLimiter(limits.writesPerMinute, now),
  };
  const exempt = new Set(RATE_LIMIT_EXEMPT_PATHS);
  return (request, response, next) => {
    const path = (request.path ?? '').replace(/\/+$/, '');
    if (exempt.has(path)) return next();
    const kind: RequestKind = READ_METHODS.has(request.method) ? 'read' : 'write';
    const limiter = limiters[kind];
    const client = clientOf(request);
    const decision = limiter.take(client.key);
    if (decision.allowed) return next();

    onLimited(kind, client.kind);
    const who = client.kind === 'token' ? 'this token' : 'this address';
    const body: ApiErrorBody = {
      statusCode: HttpStatus.TOO_MANY_REQUESTS,
      error: 'Too Many Requests',
      message: `Too many ${kind}s from ${who}: the limit is ${limiter.perMinute} a minute. Retry after ${decision.retryAfterSeconds} s.`,
      details: { limitPerMinute: limiter.perMinute, retryAfterSeconds: decision.retryAfterSeconds, kind },
    };
    response.setHeader('Retry-After', String(decision.retryAfterSeconds));
    response.status(body.statusCode).json(body);
  };
}
