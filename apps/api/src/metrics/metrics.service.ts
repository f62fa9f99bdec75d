// The API's Prometheus metrics, in a registry of its own (not prom-client's global one), so that several
// apps or test instances in one process never collide.

import { Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest as Request, HttpResponse as Response } from '../common/http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActionOutcome } from './action-outcomes';

/** How long a scrape waits for one source of gauges: well under Prometheus's default scrape timeout of 10 s. */
export const SOURCE_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly actions = new Counter({
    name: 'report_actions_total',
    help:
      'Back-office actions (filings included; each report of a bulk request) by command type and outcome: accepted, ' +
      'invalid (400), not-found (404), refused (409, 422), unavailable (503), failed (500).',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly scrapeErrors = new Counter({
    name: 'metrics_source_errors_total',
    help: 'Scrapes where a source of gauges (database, Kafka) failed; those gauges kept their last value.',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  private readonly escalations = new Gauge({
    name: 'escalations_total',
    help: 'Requests to platforms escalated past the standard contact.',
    registers: [this.registry],
  });

  private readonly outboxLag = new Gauge({
    name: 'outbox_lag_events',
    help: 'Stored events not yet published to Kafka.',
    registers: [this.registry],
  });

  private readonly rateLimited = new Counter({
    name: 'http_rate_limited_total',
    help: 'Requests refused with 429 because a client spent its budget, by kind (read, write) and client (token, address).',
    labelNames: ['kind', 'client'] as const,
    registers: [this.registry],
  });

  /** Digest of METRICS_TOKEN when scrapes need it (compared in constant time, digests of equal length). */
  private scrapeTokenDigest?: Buffer;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private readonly refreshers: { refresh: () => Promise<void>; source: string }[] = [];

  /** Runs `refresh` before each scrape, for gauges read from elsewhere (the database, for example). */
  onScrape(refresh: () => Promise<void>, source = 'other'): void {
    this.refreshers.push({ refresh, source });
  }

  async exposition(): Promise<string> {
    // A failing or hanging source (Kafka away: the client retries for long) leaves its gauges at their last value
    // rather than failing or stalling the whole scrape past the scraper's timeout, and is counted.
    await Promise.all(
      this.refreshers.map(({ refresh, source }) => withTimeout(refresh(), SOURCE_TIMEOUT_MS).catch(() => this.scrapeErrors.inc({ source }))),
    );
    return this.registry.metrics();
  }

  /** From now on, a scrape needs `Authorization: Bearer <token>`. */
  requireScrapeToken(token: string): void {
    this.scrapeTokenDigest = createHash('sha256').update(token).digest();
  }

  /** Throws 401 unless the scrape carries the token (when one is required). */
  checkScrapeAuthorization(authorization: string | undefined): void {
    if (!this.scrapeTokenDigest) return;
    const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, this.scrapeTokenDigest)) {
      throw new UnauthorizedException('The metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.');
    }
  }

  countRateLimited(kind: 'read' | 'write', client: 'token' | 'address'): void {
    this.rateLimited.inc({ kind, client });
  }

  countAction(action: string, outcome: ActionOutcome): void {
    this.actions.inc({ action, outcome });
  }

  setEscalations(count: number): void {
    this.escalations.set(count);
  }

  setOutboxLag(events: number): void {
    this.outboxLag.set(events);
  }

  /**
   * Express middleware counting every answered request. A middleware rather than an interceptor because
   * guards run before interceptors: an interceptor would never see the 401s and 403s.
   */
  httpMiddleware(): (request: Request, response: Response, next: () => void) => void {
    return (request, response, next) => {
      const stopTimer = process.hrtime.bigint();
      response.on('finish', () => {
        // The route pattern, never the raw path: ids in label values would grow the series without bound.
        const routePath = request.route?.path;
        const route = typeof routePath === 'string' ? `${request.baseUrl}${routePath}` : 'unmatched';
        const status = String(response.statusCode);
        this.httpRequests.inc({ method: request.method, route, status });
        this.httpDuration.observe({ method: request.method, route }, Number(process.hrtime.bigint() - stopTimer) / 1e9);
      });
      next();
    };
  }
}
