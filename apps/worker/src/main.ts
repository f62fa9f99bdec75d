// Production entry point of the worker: Temporal worker, outbox relay and projector against real servers
// (TEMPORAL_ADDRESS, KAFKA_BROKERS, DATABASE_URL). `npm start` runs the same module on the embedded stack.

import './start-tracing'; // first: the instrumentations patch the modules loaded after them
import 'reflect-metadata';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openDatabase } from '@engine/database';
import { currentTracing, nestLogger } from '@engine/telemetry';
import { readWorkerConfig } from './config/worker-config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = readWorkerConfig(process.env);
  const started: { app?: INestApplicationContext } = {};
  // Not Nest's shutdown hooks: they re-raise the signal after closing, and an orderly stop should exit 0.
  // Listening from the start: a stop asked for while the worker still starts ends it there (nothing was
  // acknowledged yet), instead of being lost.
  const stop = () => {
    if (!started.app) process.exit(0);
    void started.app
      .close()
      .then(() => currentTracing().shutdown()) // the spans still buffered
      .then(() => process.exit(process.exitCode ?? 0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, database), { logger: nestLogger() });
  await app.init();
  started.app = app;
}

main().catch((error) => {
  new Logger('worker').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
