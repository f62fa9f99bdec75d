// Hosts the Temporal Worker for the report and dossier workflows; started and stopped with the application.

import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { connectClient, connectWorker, describeTemporalConnection, provisionNamespace, workflowCode } from '@engine/temporal';
import type { EventStore } from '@engine/event-store';
import { EVENT_STORE } from '@engine/event-store';
import type { PlatformGateway } from '@engine/platform-gateway';
import { currentTracing, rootLogger, TemporalPinoLogger, temporalClientInterceptors, temporalSdkLogLevel, temporalWorkerTracing } from '@engine/telemetry';
import { WORKER_CONFIG, WorkerConfig } from '../config/worker-config';
import { createReportLifecycleActivities } from '../report-lifecycle/report-lifecycle.activities';
import { createPolicyRolloutActivities } from '../policy-rollout/policy-rollout.activities';
import { createPlatformDossierActivities } from '../platform-dossier/platform-dossier.activities';
import { PLATFORM_GATEWAY } from './platform-gateway.provider';
import { REPORT_SEARCH_ATTRIBUTES } from '../../../../workflows/report-lifecycle.messages';

@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection?: NativeConnection;
  private client?: Client;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PLATFORM_GATEWAY) private readonly gateway: PlatformGateway,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { temporal, dossierRules, issuingAuthority } = this.config;
    installQuietRuntime();
    this.connection = await connectWorker(temporal);
    const tracing = currentTracing();
    this.client = await connectClient(temporal, { interceptors: temporalClientInterceptors(tracing) });
    // The namespace and its search attributes before the first workflow task: missing ones stop the start here.
    await provisionNamespace(this.client.connection, {
      namespace: temporal.namespace,
      searchAttributes: REPORT_SEARCH_ATTRIBUTES,
      log: (message) => this.logger.log(message),
    });
    // The bundle `npm run build` made (with tracing's workflow interceptors in it when tracing is on): a start
    // that bundles the workflow code itself takes seconds of webpack.
    const { interceptors, sinks } = temporalWorkerTracing(tracing);
    const code = workflowCode(interceptors?.workflowModules);
    this.logger.log(code.description);
    if (code.staleWarning) this.logger.warn(code.staleWarning);
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      ...code.options,
      interceptors: { ...interceptors, workflowModules: code.workflowInterceptorModules },
      sinks,
      // A case's tasks go to this worker's sticky queue; if it died, Temporal moves them to the normal queue after
      // this long (default 10 s). Short, so that the first action on a case after a worker crash is answered well
      // within the API's action time limit (ACTION_TIMEOUT_MS) instead of refused as too late.
      stickyQueueScheduleToStartTimeout: '3 seconds',
      ...(temporal.maxCachedWorkflows !== undefined && { maxCachedWorkflows: temporal.maxCachedWorkflows }),
      activities: {
        ...createReportLifecycleActivities({ eventStore: this.eventStore, gateway: this.gateway, temporal: this.client, taskQueue: temporal.taskQueue, dossierRules, issuingAuthority }),
        ...createPlatformDossierActivities({ eventStore: this.eventStore, gateway: this.gateway }),
        ...createPolicyRolloutActivities({ eventStore: this.eventStore, temporal: this.client }),
      },
    });
    this.running = this.worker.run().catch((error) => {
      // The worker stopped on its own: the process cannot do its job, so it says so and exits for a restart.
      this.logger.error(`Temporal worker failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(`Temporal worker polling task queue "${temporal.taskQueue}" at ${describeTemporalConnection(temporal)}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.client?.connection.close();
    await this.connection?.close();
  }
}

let runtimeInstalled = false;

/**
 * The SDK's log (and the workflows' and activities' `log`) into the process's logger. The SDK logs every bundle
 * and state change at INFO; an operator needs its warnings and errors (TEMPORAL_LOG_LEVEL, default WARN).
 */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({
      logger: new TemporalPinoLogger(rootLogger(), temporalSdkLogLevel(process.env)),
      // The program stops the worker in order (its entry point handles SIGTERM and SIGINT); the SDK's own
      // handlers would take a signal that arrives during start and leave the process running.
      shutdownSignals: [],
    });
  } catch {
    // A Runtime was installed already (by a test or an embedding program): keep theirs.
  }
}
