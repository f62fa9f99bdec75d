// The engine as `npm start` assembles it (embedded Temporal and Kafka, PGlite, the worker with relay and
// projector, the API on a free port), in the test's own process: for specs that look inside it (spans, metrics,
// the database) rather than at a separate program.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client, ClientInterceptors } from '@temporalio/client';
import { openDatabase, SqlDatabase } from '@engine/database';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { connectClient } from '@engine/temporal';
import { parseAuthTokens, StaticTokenVerifier } from '../../apps/api/src/auth/static-tokens';
import type { HttpDefenceConfig } from '../../apps/api/src/config/http-defence-config';
import { createEngineApi } from '../../apps/api/src/engine/create-engine-api';
import { readWorkerConfig } from '../../apps/worker/src/config/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface InProcessEngineOptions {
  /** `token=role:username,…` as in AUTH_TOKENS. */
  authTokens: string;
  /** Worker settings besides the addresses (e.g. KAFKA_TOPIC_PARTITIONS, DOSSIER_THRESHOLD). */
  workerEnv?: Record<string, string>;
  /** Where PGlite keeps its files; default a temporary directory, removed at stop. */
  dataDir?: string;
  http?: HttpDefenceConfig;
  /** The worker's Nest logger; default none. */
  workerLogger?: LoggerService | false;
  temporalInterceptors?: ClientInterceptors;
  /** Platforms registered at start; default `telegram`, as `npm start` does. */
  platforms?: readonly string[];
}

export interface InProcessEngine {
  baseUrl: string;
  kafkaBrokers: string;
  database: SqlDatabase;
  stop(): Promise<void>;
}

export async function startInProcessEngine(options: InProcessEngineOptions): Promise<InProcessEngine> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0)) await step().catch(() => undefined);
  };
  try {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'in-process-engine-'));
    if (!options.dataDir) stops.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
    const temporalServer = await EmbeddedTemporalServer.start({ port: 0, host: '127.0.0.1' });
    stops.unshift(() => temporalServer.stop());
    const kafka = await EmbeddedKafka.start({ port: 0, host: '127.0.0.1', initialRebalanceDelayMs: 0 });
    stops.unshift(() => kafka.stop());
    const kafkaBrokers = `127.0.0.1:${kafka.port}`;
    const database = await openDatabase({ dataDir: join(dataDir, 'postgres') });
    stops.unshift(() => database.close());
    const workerConfig = readWorkerConfig({ TEMPORAL_ADDRESS: temporalServer.address, KAFKA_BROKERS: kafkaBrokers, ...options.workerEnv });
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerConfig, database, { closeDatabase: false }), {
      logger: options.workerLogger ?? false,
    });
    await worker.init();
    stops.unshift(() => worker.close());
    const temporal: Client = await connectClient(workerConfig.temporal, options.temporalInterceptors ? { interceptors: options.temporalInterceptors } : undefined);
    stops.unshift(() => temporal.connection.close());
    const api: INestApplication = await createEngineApi({
      database,
      temporal,
      taskQueue: workerConfig.temporal.taskQueue,
      kafka: workerConfig.kafka,
      tokenVerifier: new StaticTokenVerifier(parseAuthTokens(options.authTokens)),
      shutdownHooks: false,
      platforms: options.platforms ?? ['telegram'],
      ...(options.http && { http: options.http }),
    });
    await api.listen(0, '127.0.0.1');
    stops.unshift(() => api.close());
    const baseUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    return { baseUrl, kafkaBrokers, database, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
