// A report-lifecycle stack for tests: the embedded Temporal server, a real Worker running the project's
// workflows and activities, the event store and the sent-messages log on PGlite, and the API's services.

import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, LogEntry, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { createEventStore, SqlEventStore } from '@engine/event-store';
import { PGliteDatabase, SqlDatabase } from '@engine/database';
import { LoggingPlatformGateway, SentMessagesLog } from '@engine/platform-gateway';
import { ReadModel } from '@engine/read-model';
import { workflowBundleOptions } from '@engine/temporal';
import { DossierRules } from '@engine/domain';
import { createReportLifecycleActivities } from '../../apps/worker/src/report-lifecycle/report-lifecycle.activities';
import { createPlatformDossierActivities } from '../../apps/worker/src/platform-dossier/platform-dossier.activities';
import { WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { EventSourcedPoliciesService } from '../../apps/api/src/policies/event-sourced-policies.service';
import { IdempotencyKeys } from '../../apps/api/src/reports/idempotency-keys';

const logs: LogEntry[] = [];
let runtimeInstalled = false;

/** One Runtime per jest worker process; it keeps sdk-core's warnings so a test can fail on them. */
export function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => logs.push(entry)),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'WARN' }), forward: {} } },
  });
}

/** sdk-core and worker warnings since the last call (protocol mistakes show up here, not as exceptions). */
export function takeWarnings(): string[] {
  return logs.splice(0).map((e) => `${e.level} ${e.message}`);
}

export interface LifecycleStack {
  /** The embedded server this stack started, unless it was given a Temporal address. */
  server?: EmbeddedTemporalServer;
  client: Client;
  eventStore: SqlEventStore;
  database: SqlDatabase;
  sentMessages: SentMessagesLog;
  reports: WorkflowReportsService;
  policies: EventSourcedPoliciesService;
  taskQueue: string;
  startWorker(): Promise<{ stop(): Promise<void> }>;
  stop(): Promise<void>;
}

let queues = 0;

export async function startLifecycleStack(options: { dossierRules?: DossierRules; temporalAddress?: string } = {}): Promise<LifecycleStack> {
  installRuntime();
  const server = options.temporalAddress ? undefined : await EmbeddedTemporalServer.start({ port: 0, longPollMs: 5_000 });
  const address = options.temporalAddress ?? server!.address;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const eventStore = await createEventStore({});
  const database = await PGliteDatabase.open();
  const sentMessages = new SentMessagesLog(database);
  await sentMessages.migrate();
  const readModel = new ReadModel(database);
  await readModel.migrate();
  const idempotencyKeys = new IdempotencyKeys(database);
  await idempotencyKeys.migrate();
  const gateway = new LoggingPlatformGateway(sentMessages, {}, {});
  const taskQueue = `reports-${process.pid}-${++queues}`;
  const policies = new EventSourcedPoliciesService({ eventStore, temporal: client });
  const reports = new WorkflowReportsService({ temporal: client, taskQueue, eventStore, readModel, policies, idempotencyKeys });
  const workers: { stop(): Promise<void> }[] = [];

  const startWorker = async () => {
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      ...workflowBundleOptions(),
      activities: {
        ...createReportLifecycleActivities({ eventStore, gateway, temporal: client, taskQueue, dossierRules: options.dossierRules ?? { threshold: 1, interval: 'P7D' } }),
        ...createPlatformDossierActivities({ eventStore, gateway }),
      },
    });
    const running = worker.run();
    const handle = {
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await nativeConnection.close();
      },
    };
    workers.push(handle);
    return handle;
  };

  return {
    server,
    client,
    eventStore,
    database,
    sentMessages,
    reports,
    policies,
    taskQueue,
    startWorker,
    async stop() {
      for (const worker of workers) await worker.stop().catch(() => undefined);
      await connection.close();
      await server?.stop();
      await eventStore.close();
      await database.close();
    },
  };
}

export { eventually } from '../support/eventually';
