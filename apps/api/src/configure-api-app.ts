// What an API app needs beyond its modules: security headers, CORS, body limits, rate limits, prefix,
// validation, error shape, metrics, OpenAPI, shutdown hooks.

import { INestApplication, RequestMethod } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from './auth/auth.decorators';
import { ApiErrorFilter } from './common/api-error.filter';
import { bodyErrorHandler } from './common/body-parsing';
import { rateLimitMiddleware } from './common/rate-limit.middleware';
import { DEFAULT_HTTP_DEFENCE, HttpDefenceConfig } from './config/http-defence-config';
import { createValidationPipe } from './common/validation';
import { ActionOutcomeInterceptor } from './metrics/action-outcomes';
import { MetricsService } from './metrics/metrics.service';

export const API_PREFIX = 'api';
export const DOCS_PATH = `${API_PREFIX}/docs`;
export const DOCS_JSON_PATH = `${API_PREFIX}/docs-json`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Report escalation engine: back-office API')
    .setDescription(
      'Reports of illegal content as long-running cases: filing, triage, requests to platforms, escalation, closure; ' +
        'escalation policies; platform scorecards. Roles: viewer reads, staff acts on cases, admin also changes policies.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A static token (AUTH_TOKENS) or an OIDC access token.' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

export interface ConfigureApiOptions {
  /** Listen for SIGINT/SIGTERM and close the app (default true). */
  shutdownHooks?: boolean;
  /** CORS, rate limits, body limit, metrics token (`readHttpDefenceConfig(env)`); default: DEFAULT_HTTP_DEFENCE. */
  http?: HttpDefenceConfig;
  /** Origins the web app's pages may fetch from besides the API's own (the OIDC issuer: `webAppConnectSources`). */
  connectSources?: string[];
}

/**
 * Helmet's headers with a Content-Security-Policy that Swagger UI (its scripts are files; its styles partly inline)
 * and a same-origin web app at / both live with. No upgrade-insecure-requests: on plain HTTP (a LAN address, the
 * compose setup) it would send the page's own scripts to an https:// that does not exist. HSTS without
 * includeSubDomains: the engine does not speak for the rest of its domain.
 */
function securityHeaders(connectSources: string[]) {
  return helmet({
    contentSecurityPolicy: {
      directives: { 'upgrade-insecure-requests': null, ...(connectSources.length > 0 && { 'connect-src': ["'self'", ...connectSources] }) },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}

/** Call once on an app built from ApiModule.forRoot, before `listen` or `init`. */
export function configureApiApp(app: INestApplication, options: ConfigureApiOptions = {}): INestApplication {
  const express = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  express.disable?.('x-powered-by');
  const http = options.http ?? DEFAULT_HTTP_DEFENCE;
  const metrics = app.get(MetricsService);
  // First, so that every request is counted, including those a guard refuses or no route matches.
  app.use(metrics.httpMiddleware());
  app.use(securityHeaders(options.connectSources ?? []));
  // Before CORS, the body parser and the auth guard: a client over its budget costs nothing more.
  app.use(rateLimitMiddleware(http.rateLimits, (kind, client) => metrics.countRateLimited(kind, client)));
  // Closed unless CORS_ORIGINS lists origins (the back-office web app is same-origin and needs none). An origin
  // not listed gets no CORS header at all, and its preflight no grant.
  if (http.corsOrigins.length > 0) {
    const allowed = new Set(http.corsOrigins);
    app.enableCors({
      origin: (origin: string | undefined, callback: (error: Error | null, allow?: boolean) => void) => callback(null, origin !== undefined && allowed.has(origin)),
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  // Registered here, before Nest adds its default parsers (which it then skips), so the limit is ours; the
  // error handler right behind them answers a too large or malformed body in the API's error shape.
  const nest = app as NestExpressApplication;
  nest.useBodyParser('json', { limit: http.bodyLimitBytes });
  nest.useBodyParser('urlencoded', { limit: http.bodyLimitBytes, extended: true });
  app.use(bodyErrorHandler(http.bodyLimitBytes));
  if (http.metricsToken !== undefined) metrics.requireScrapeToken(http.metricsToken);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  app.useGlobalInterceptors(new ActionOutcomeInterceptor(app.get(Reflector), metrics));
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}
