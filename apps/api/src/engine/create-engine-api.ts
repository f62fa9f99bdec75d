// The API on the engine's real services: Temporal for the cases, the event store and the read model in the
// engine's database, Kafka for health. Used by the production entry point and by `npm start`.

import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { SqlDatabase } from '@engine/database';
import { EventQuarantine, openEventStore, readReportHistories } from '@engine/event-store';
import { createKafka, KafkaConnectionOptions } from '@engine/kafka';
import { SentMessagesLog } from '@engine/platform-gateway';
import { ReadModel } from '@engine/read-model';
import { currentTracing, nestLogger, nestLoggerParams, RequestContextModule } from '@engine/telemetry';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { ApiModule } from '../api.module';
import { TokenVerifier } from '../auth/token-verifier';
import { configureApiApp } from '../configure-api-app';
import { HttpDefenceConfig, readHttpDefenceConfig } from '../config/http-defence-config';
import { RequestLogContextInterceptor } from '../logging/request-log-context.interceptor';
import { serverSpanMiddleware } from '../tracing/server-span.middleware';
import { EngineHealthProbes } from '../health/engine-health-probes';
import { MetricsService } from '../metrics/metrics.service';
import { watchQuarantine } from '../metrics/quarantine-metrics';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { readPlatformsSetting } from '../config/platforms-config';
import { registerConfiguredPlatforms } from '../platforms/configured-platforms';
import { ReadModelPlatformsService } from '../platforms/read-model-platforms.service';
import { EventSourcedPoliciesService } from '../policies/event-sourced-policies.service';
import { IdempotencyKeys } from '../reports/idempotency-keys';
import { WorkflowReportsService } from '../reports/workflow-reports.service';
import { serveWebApp } from '../web-app/serve-web-app';
import { readWebAppConfig, WebAppConfig, webAppBuilt, webAppConnectSources } from '../web-app/web-app-config';

export interface EngineApiOptions {
  database: SqlDatabase;
  temporal: Client;
  taskQueue: string;
  /** Brokers, TLS and SASL for the health probe; no brokers: Kafka shows as not configured. */
  kafka: KafkaConnectionOptions;
  tokenVerifier: TokenVerifier;
  /** Whether the app itself listens for SIGINT/SIGTERM (not when a launcher stops several apps in order). */
  shutdownHooks?: boolean;
  /** CORS, rate limits, body limit, metrics token; default: read from the environment (readHttpDefenceConfig). */
  http?: HttpDefenceConfig;
  /** The web app's files and sign-in; default: read from the environment (readWebAppConfig). */
  webApp?: WebAppConfig;
  /** Platforms registered at start when not known yet; default: PLATFORMS from the environment (none when unset). */
  platforms?: readonly string[];
}

export async function createEngineApi(options: EngineApiOptions): Promise<INestApplication> {
  const { database, temporal, taskQueue } = options;
  const http = options.http ?? readHttpDefenceConfig(process.env); // before connecting anything: a bad value stops here
  const webApp = options.webApp ?? readWebAppConfig(process.env);
  const configuredPlatforms = options.platforms ?? readPlatformsSetting(process.env);
  const eventStore = await openEventStore(database);
  const readModel = new ReadModel(database);
  await readModel.migrate();
  const idempotencyKeys = new IdempotencyKeys(database);
  await idempotencyKeys.migrate();
  const sentMessages = new SentMessagesLog(database);
  await sentMessages.migrate(); // the API may start before the worker that writes it
  const policies = new EventSourcedPoliciesService({ eventStore, temporal, taskQueue, reportHistories: (filter) => readReportHistories(database, eventStore.schema, filter) });
  const platforms = new ReadModelPlatformsService({ readModel, eventStore, temporal, policies });
  await registerConfiguredPlatforms(platforms, configuredPlatforms);
  const kafka = options.kafka.brokers.length > 0 ? createKafka({ ...options.kafka, clientId: 'api-health' }) : undefined;
  const app = await NestFactory.create(
    ApiModule.forRoot({
      // JSON logs with the request id, actor and report id (nestjs-pino); the request id also goes with the
      // actions to the workflow, as their correlation id.
      imports: [LoggerModule.forRoot(nestLoggerParams()), RequestContextModule],
      reports: { useValue: new WorkflowReportsService({ temporal, taskQueue, eventStore, readModel, sentMessages, policies, idempotencyKeys }) },
      policies: { useValue: policies },
      platforms: { useValue: platforms },
      healthProbes: { useValue: new EngineHealthProbes({ temporal, taskQueue, kafka, database, eventStore }) },
      tokenVerifier: { useValue: options.tokenVerifier },
      webSignIn: webApp.signIn,
    }),
    { logger: nestLogger() },
  );
  if (currentTracing().enabled) app.use(serverSpanMiddleware()); // before the body parser and the request log
  app.useGlobalInterceptors(new RequestLogContextInterceptor(await app.resolve(PinoLogger)));
  configureApiApp(app, { shutdownHooks: options.shutdownHooks ?? true, http, connectSources: webAppConnectSources(webApp.signIn) });
  // The back office at / (same origin). Without a build the API still serves; said once, here.
  if (webAppBuilt(webApp.directory)) serveWebApp(app, webApp.directory);
  else new Logger('api').warn(`The web app is not built (no index.html in ${webApp.directory}): / serves nothing; \`npm run build\` builds it`);
  // Read at scrape time from the database, so the figures are right whichever process runs relay and projector.
  new PipelineMetrics(app.get(MetricsService), { eventStore, checkpoints: eventStore.checkpointStore(), readModel });
  watchQuarantine(app.get(MetricsService), new EventQuarantine(eventStore.database, eventStore.schema));
  return app;
}
