// `npm start`: the whole engine in one process on one machine. Embedded Temporal, embedded Kafka and PGlite
// (each replaced by the real thing when TEMPORAL_ADDRESS, KAFKA_BROKERS or DATABASE_URL is set, with the same TLS,
// SASL and API key settings as the production apps), the worker
// with the relay and the projector, and the API. Data lives under DATA_DIR (owner only); a restart resumes every
// case. The stand-ins listen on 127.0.0.1 and require credentials generated on the first start
// (stand-in-credentials.ts), which the product's own clients present as they would to a real cluster.

import './start-tracing'; // first: the HTTP instrumentation patches the modules loaded after it
import 'reflect-metadata';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InvalidConfigurationError, packageRoot } from '@engine/config';
import { openDatabase, SqlDatabase } from '@engine/database';
import { describeKafkaConnection } from '@engine/kafka';
import { connectClient, describeTemporalConnection } from '@engine/temporal';
import type { Client } from '@temporalio/client';
import { currentTracing, logIsForHumans, nestLogger, rootLogger, temporalClientInterceptors } from '@engine/telemetry';
import { generateAuthTokens, parseAuthTokens, StaticTokenVerifier } from '../../api/src/auth/static-tokens';
import { createEngineApi } from '../../api/src/engine/create-engine-api';
import { readHttpDefenceConfig } from '../../api/src/config/http-defence-config';
import { readPlatformsSetting } from '../../api/src/config/platforms-config';
import { AddressInUseError, listenOrExplain } from '../../api/src/listen';
import { WebAppConfig, webAppBuilt, webAppDirectory } from '../../api/src/web-app/web-app-config';
import { readWorkerConfig } from '../../worker/src/config/worker-config';
import { PROJECTOR_GROUP_ID } from '../../worker/src/projector/projector.service';
import { WorkerModule } from '../../worker/src/worker.module';
import { startControlSocket } from './backup/control-socket';
import { engineBackupHandlers } from './backup/engine-backup';
import { staleBuildWarning } from './build-freshness';
import { chainAnchorKeySetting } from './chain-anchor-key';
import { EmbeddedConfig, readEmbeddedConfig } from './embedded-config';
import { ensurePrivateDataDirectory } from './private-data-directory';
import { startStandIns } from './stand-ins/stand-ins';
import { brokerUsers, credentialLines, standInConnectionSettings, standInCredentials, writeKcatProperties } from './stand-in-credentials';

const logger = new Logger('engine');

/** Tokens from AUTH_TOKENS, or generated once and kept in the data directory (readable by the owner only). */
function authTokens(config: EmbeddedConfig): { text: string; file?: string; generatedNow: boolean } {
  if (config.authTokens) return { text: config.authTokens, generatedNow: false };
  const file = join(config.dataDir, 'auth-tokens');
  const generatedNow = !existsSync(file);
  if (generatedNow) {
    writeFileSync(file, `${generateAuthTokens()}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { text: readFileSync(file, 'utf8').trim(), file, generatedNow };
}

/** Tokens appear once, when generated; after that only where they are, so logs do not collect them. */
function tokenLines(tokens: ReturnType<typeof authTokens>): string[] {
  const users = [...parseAuthTokens(tokens.text)];
  if (tokens.generatedNow) {
    return [
      `  tokens (generated now, kept in ${tokens.file}; shown this once):`,
      ...users.map(([token, actor]) => `    ${actor.role.padEnd(7)} ${actor.username.padEnd(12)} Authorization: Bearer ${token}`),
    ];
  }
  const where = tokens.file ? `in ${tokens.file}` : 'from AUTH_TOKENS';
  return [`  tokens         ${where}: ${users.map(([, actor]) => `${actor.username} (${actor.role})`).join(', ')}`];
}

/**
 * The start message is for a person: on stdout when the log is readable lines (a terminal, LOG_FORMAT=pretty).
 * When the log is JSON (stdout goes to a collector), stdout stays one JSON object per line: the message goes to
 * stderr instead, and the log gets a line with the addresses but never a token.
 */
function showToHuman(lines: string[], { base }: { base: string }): void {
  if (logIsForHumans()) {
    console.log(lines.join('\n'));
    return;
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  rootLogger().info({ context: 'engine', webApp: `${base}/`, api: `${base}/api`, health: `${base}/health`, metrics: `${base}/metrics` }, 'Report escalation engine is running');
}

/** What has started so far, newest first: stopped in that order on a signal or when starting fails. */
const stops: (() => Promise<unknown>)[] = [];

async function stopAll(): Promise<void> {
  for (const step of stops.splice(0)) {
    await step().catch((error) => logger.error(`while stopping: ${error instanceof Error ? error.message : error}`));
  }
}

/** The worker's workflow cache on the embedded stack unless TEMPORAL_MAX_CACHED_WORKFLOWS says otherwise. */
const EMBEDDED_MAX_CACHED_WORKFLOWS = 500;

async function main(): Promise<void> {
  const config = readEmbeddedConfig(process.env);
  const narrowed = ensurePrivateDataDirectory(config.dataDir);
  if (narrowed) logger.warn(narrowed);
  const staleBuild = staleBuildWarning(packageRoot()); // npm start runs dist/ as built, without building first
  if (staleBuild) logger.warn(staleBuild);
  // The stand-ins require credentials (kept in the data directory); the product's clients get them through the
  // settings they read against a real cluster, so they connect exactly as they would there.
  const running = { kafka: !config.kafkaBrokers, temporal: !config.temporalAddress };
  const credentials = running.kafka || running.temporal ? standInCredentials(config.dataDir) : undefined;
  // Validated before anything starts; a stand-in listens on 127.0.0.1 at its configured port.
  const workerConfig = readWorkerConfig({
    // A fixed size rather than the SDK's, which grows with the heap: a cached case costs about 450 KB (bench:scale),
    // and one not cached is replayed from its history when it next has work. Memory is the scarcer here: with
    // 2,000 cached, 10,000 open cases took 2.45 GB instead of 1.77 GB, for deadlines falling due together firing at
    // 83 a second instead of 30 (README, Performance).
    TEMPORAL_MAX_CACHED_WORKFLOWS: String(EMBEDDED_MAX_CACHED_WORKFLOWS),
    ...process.env,
    TEMPORAL_ADDRESS: config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`,
    KAFKA_BROKERS: config.kafkaBrokers ?? `127.0.0.1:${config.kafkaPort}`,
    ...(credentials && standInConnectionSettings(credentials.credentials, running)),
    ...chainAnchorKeySetting(config.dataDir, process.env),
  });
  const http = readHttpDefenceConfig(process.env); // CORS, rate limits, body limit, metrics token
  // Known from the first start, so that the quick start's example files at once; PLATFORMS= (empty) for none.
  const platforms = readPlatformsSetting(process.env, ['telegram']);
  // The embedded stack accepts its static tokens only, so its web app signs in with a token (no OIDC_WEB_*).
  const webApp: WebAppConfig = { directory: webAppDirectory(process.env), signIn: { auth: 'token' } };
  stops.unshift(() => currentTracing().shutdown()); // last: sends the spans still buffered
  const tokens = authTokens(config);
  const verifier = new StaticTokenVerifier(parseAuthTokens(tokens.text));

  // The stand-ins run in a thread of their own (the second core); the product reaches them over TCP as before.
  const standIns = credentials
    ? await startStandIns(
        {
          dataDir: config.dataDir,
          temporal: running.temporal ? { port: config.temporalPort, host: '127.0.0.1', apiKey: credentials.credentials.temporalApiKey } : undefined,
          kafka: running.kafka ? { port: config.kafkaPort, host: '127.0.0.1', initialRebalanceDelayMs: 500, users: brokerUsers(credentials.credentials, [PROJECTOR_GROUP_ID]) } : undefined,
        },
        {
          // Refused connections (no or wrong credentials, garbage) are worth an operator's eye.
          log: (message) => new Logger('embedded-kafka').warn(message),
          failed: (error) => {
            logger.error(`the stand-ins stopped working: ${error.stack ?? error.message}`);
            process.exitCode = 1;
            process.kill(process.pid, 'SIGTERM');
          },
        },
      )
    : undefined;
  if (standIns) stops.unshift(() => standIns.stop());
  const temporalAddress = workerConfig.temporal.address;
  const kafkaBootstrap = standIns?.kafkaBootstrap;
  const kcatProperties = credentials && kafkaBootstrap ? writeKcatProperties(config.dataDir, credentials.credentials.kafka.reader, kafkaBootstrap) : undefined;
  const kafkaBrokers = workerConfig.kafka.brokers.join(',');

  const database: SqlDatabase = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'postgres') });
  stops.unshift(() => database.close());

  const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerConfig, database, { closeDatabase: false }), { logger: nestLogger() });
  await worker.init();
  stops.unshift(() => worker.close());

  const temporal: Client = await connectClient(workerConfig.temporal, { interceptors: temporalClientInterceptors(currentTracing()) });
  stops.unshift(() => temporal.connection.close());
  const api: INestApplication = await createEngineApi({
    database,
    temporal,
    taskQueue: workerConfig.temporal.taskQueue,
    kafka: workerConfig.kafka,
    tokenVerifier: verifier,
    shutdownHooks: false,
    http,
    webApp,
    platforms,
  });
  await listenOrExplain(api, config.port, config.host);
  stops.unshift(() => api.close());
  // `npm run data:backup` asks the engine through this socket to copy its data at a consistent point.
  const control = await startControlSocket(config.dataDir, engineBackupHandlers(config, database, standIns));
  stops.unshift(() => control.close());

  const base = `http://${config.host}:${config.port}`;
  const lines = [
    'Report escalation engine is running.',
    `  web app        ${webAppBuilt(webApp.directory) ? `${base}/` : 'not built (see the warning above)'}`,
    `  API            ${base}/api`,
    `  API docs       ${base}/api/docs`,
    `  health         ${base}/health`,
    `  metrics        ${base}/metrics`,
    `  Temporal       ${standIns?.temporalAddress ? `${temporalAddress} (embedded)` : describeTemporalConnection(workerConfig.temporal)}`,
    `  Kafka          ${kafkaBootstrap ? `${kafkaBrokers} (embedded)` : describeKafkaConnection(workerConfig.kafka)}, topic reports.lifecycle.v1`,
    `  database       ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(config.dataDir, 'postgres')}`}`,
    `  data           ${resolve(config.dataDir)}`,
    ...tokenLines(tokens),
    ...(credentials
      ? credentialLines(
          credentials,
          { kafkaBootstrap, kcatProperties: kcatProperties && resolve(kcatProperties), temporalAddress: standIns?.temporalAddress },
          'reports.lifecycle.v1',
        )
      : []),
    'Stop with Ctrl-C (SIGINT) or SIGTERM.',
  ];
  showToHuman(lines, { base });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping`);
    await stopAll();
    process.exit(process.exitCode ?? 0); // non-zero when a part (the Temporal worker) failed and asked to stop
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(async (error) => {
  // A taken port or a wrong setting is the operator's to fix and needs no stack trace; anything else is ours and does.
  const operatorsToFix = error instanceof AddressInUseError || error instanceof InvalidConfigurationError;
  logger.error(operatorsToFix ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAll(); // what did start (servers, the database) is closed, so PGlite and the journals are flushed
  process.exit(1);
});
