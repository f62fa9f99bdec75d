// What an API app needs beyond its modules: prefix, validation, error shape, metrics, OpenAPI, shutdown hooks.

import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from './auth/auth.decorators';
import { ApiErrorFilter } from './common/api-error.filter';
import { createValidationPipe } from './common/validation';
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
}

/** Call once on an app built from ApiModule.forRoot, before `listen` or `init`. */
export function configureApiApp(app: INestApplication, options: ConfigureApiOptions = {}): INestApplication {
  const express = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  express.disable?.('x-powered-by');
  // First, so that every request is counted, including those a guard refuses or no route matches.
  app.use(app.get(MetricsService).httpMiddleware());
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}
