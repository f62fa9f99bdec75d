// Per-client rate limits on every route but the operator's probes: 429 with Retry-After once a client has spent
// its budget. A client is its bearer token (a digest of it, never the token itself) or, without one, its address.
// Reads and writes have separate budgets, so a burst of reads never blocks a client's next action.

import { CanActivate, ExecutionContext, HttpException, HttpStatus, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { RateLimits } from '../config/http-defence-config';
import type { ApiErrorBody } from './api-error';
import type { HttpRequest, HttpResponse } from './http';
import { RateLimiter } from './rate-limiter';

export const RATE_LIMIT_EXEMPT_KEY = 'rate-limit:exempt';

/** Not rate limited: /health and /metrics, which probes and scrapers call on their own schedule. */
export const RateLimitExempt = () => SetMetadata(RATE_LIMIT_EXEMPT_KEY, true);

export type RequestKind = 'read' | 'write';
export type ClientKind = 'token' | 'address';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking. The token is not verified here (the auth guard runs next): a valid token gets its own budget,
 * and a client that invents tokens gets one 401 per invented token, which is cheap to answer and changes nothing.
 */
export function clientOf(request: HttpRequest): { kind: ClientKind; key: string } {
  const match = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '');
  if (match) return { kind: 'token', key: `token:${createHash('sha256').update(match[1]).digest('base64url')}` };
  return { kind: 'address', key: `address:${request.ip ?? request.socket?.remoteAddress ?? 'unknown'}` };
}

export class RateLimitGuard implements CanActivate {
  private readonly limiters: Record<RequestKind, RateLimiter>;

  constructor(
    private readonly reflector: Reflector,
    limits: RateLimits,
    private readonly onLimited: (kind: RequestKind, client: ClientKind) => void = () => undefined,
    now: () => number = Date.now,
  ) {
    this.limiters = { read: new RateLimiter(limits.readsPerMinute, now), write: new RateLimiter(limits.writesPerMinute, now) };
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(RATE_LIMIT_EXEMPT_KEY, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const kind: RequestKind = READ_METHODS.has(request.method) ? 'read' : 'write';
    const limiter = this.limiters[kind];
    const client = clientOf(request);
    const decision = limiter.take(client.key);
    if (decision.allowed) return true;

    this.onLimited(kind, client.kind);
    context.switchToHttp().getResponse<HttpResponse>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    const who = client.kind === 'token' ? 'this token' : 'this address';
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `Too many ${kind}s from ${who}: the limit is ${limiter.perMinute} a minute. Retry after ${decision.retryAfterSeconds} s.`,
        details: { limitPerMinute: limiter.perMinute, retryAfterSeconds: decision.retryAfterSeconds, kind },
      } satisfies ApiErrorBody,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
