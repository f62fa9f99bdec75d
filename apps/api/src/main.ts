// Production entry point of the API against real servers (TEMPORAL_ADDRESS, DATABASE_URL, KAFKA_BROKERS, with
// their TLS, SASL and API key settings). `npm start` runs the same API on the embedded stack.

import './start-tracing'; // first: the HTTP instrumentation patches the modules loaded after it
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { openDatabase } from '@engine/database';
import { collectProblems, InvalidConfigurationError } from '@engine/config';
import { readKafkaConnectionOptions } from '@engine/kafka';
import { connectClient, provisionNamespace, readTemporalConnectionOptions } from '@engine/temporal';
import { currentTracing, temporalClientInterceptors } from '@engine/telemetry';
import { REPORT_SEARCH_ATTRIBUTES } from '../../../workflows/report-lifecycle.messages';
import { tokenVerifierFromEnv } from './auth/auth-config';
import { readHttpDefenceConfig } from './config/http-defence-config';
import { readPlatformsSetting } from './config/platforms-config';
import { createEngineApi } from './engine/create-engine-api';
import { listenOrExplain } from './listen';
import { readWebAppConfig } from './web-app/web-app-config';

async function main(): Promise<void> {
  const env = process.env;
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push('DATABASE_URL must be set (for one machine, use `npm start`)');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT "${env.PORT}" is not a port number`);
  const temporalOptions = collectProblems(problems, () => readTemporalConnectionOptions(env));
  const kafka = collectProblems(problems, () => readKafkaConnectionOptions(env));
  const http = collectProblems(problems, () => readHttpDefenceConfig(env));
  const webApp = collectProblems(problems, () => readWebAppConfig(env));
  const platforms = collectProblems(problems, () => readPlatformsSetting(env));
  if (problems.length > 0 || !temporalOptions || !kafka || !http || !webApp || !platforms) throw new InvalidConfigurationError(problems);
  const tokenVerifier = tokenVerifierFromEnv(env);
  const taskQueue = env.TEMPORAL_TASK_QUEUE ?? 'reports';
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL });
  // With tracing on, the client's spans carry the request's trace into the workflow's headers.
  const temporal = await connectClient({ ...temporalOptions, taskQueue }, { interceptors: temporalClientInterceptors(currentTracing()) });
  // Filing starts workflows with the Platform search attribute: a namespace without it fails here, not there.
  await provisionNamespace(temporal.connection, {
    namespace: temporal.options.namespace,
    searchAttributes: REPORT_SEARCH_ATTRIBUTES,
    log: (message) => new Logger('api').log(message),
  });
  const app = await createEngineApi({
    database,
    temporal,
    taskQueue,
    kafka,
    tokenVerifier,
    shutdownHooks: false,
    http,
    webApp,
    platforms,
  });
  // Loopback unless HOST says otherwise: the deployments (compose, Kubernetes) set HOST=0.0.0.0 on purpose.
  const host = env.HOST ?? '127.0.0.1';
  await listenOrExplain(app, port, host);
  new Logger('api').log(`listening on ${host}:${port}`);
  // Not Nest's shutdown hooks: they re-raise the signal after closing, and an orderly stop should exit 0.
  const stop = async () => {
    await app.close();
    await temporal.connection.close();
    await database.close();
    await currentTracing().shutdown(); // the spans still buffered
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop().catch(() => process.exit(1)));
  process.once('SIGINT', () => void stop().catch(() => process.exit(1)));
}

main().catch((error) => {
  new Logger('api').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
