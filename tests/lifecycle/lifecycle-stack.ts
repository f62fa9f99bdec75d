// A report-lifecycle stack for tests: a Temporal server, a real Worker running the project's workflows and
// activities, the event store and the sent-messages log, and the API's services. On the embedded run: the
// embedded Temporal server and PGlite. On the real engines (ENGINES=real): a namespace of its own on the real
// Temporal dev server, given its search attributes by the product's own provisioning, and a fresh database on
// the real PostgreSQL, dropped at stop.

import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, LogEntry, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { createEventStore, openEventStore, SqlEventStore } from '@engine/event-store';
import { PGliteDatabase, PostgresDatabase, SqlDatabase } from '@engine/database';
import { LoggingPlatformGateway, SentMessagesLog } from '@engine/platform-gateway';
import { ReadModel } from '@engine/read-model';
import { provisionNamespace, recentWorkflowPollers, workflowBundleOptions } from '@engine/temporal';
import { DossierRules } from '@engine/domain';
import { createReportLifecycleActivities } from '../../apps/worker/src/report-lifecycle/report-lifecycle.activities';
import { createPolicyRolloutActivities } from '../../apps/worker/src/policy-rollout/policy-rollout.activities';
import { createPlatformDossierActivities } from '../../apps/worker/src/platform-dossier/platform-dossier.activities';
import { WorkflowReportsService } from '../../apps/api/src/reports/workflow-reports.service';
import { EventSourcedPoliciesService } from '../../apps/api/src/policies/event-sourced-policies.service';
import { IdempotencyKeys } from '../../apps/api/src/reports/idempotency-keys';
import { PLATFORM_SEARCH_ATTRIBUTE, REPORT_SEARCH_ATTRIBUTES } from '../../workflows/report-lifecycle.messages';
import { onRealEngines, realEngines } from '../support/engines';
import { registerTestNamespace } from '../support/temporal-namespace';
import { createTestDatabase } from '../support/test-database';
import { eventually } from '../support/eventually';

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

/**
 * What the real servers make the SDK say in normal operation, so not a mistake: Temporal's time-skipping test
 * server does not advertise a capability the SDK asks for; the real dev server drops a workflow task that a
 * concurrent update superseded, and the worker's completion of it then finds no task, so sdk-core evicts the
 * run with the tasks it had buffered for it (they are delivered again); when such a redelivered task carries
 * the update's protocol message while sdk-core still holds the superseded one, its release build logs the
 * inconsistency (a debug-build assertion) and takes the new messages.
 */
const REAL_SERVER_NOISE = [
  /did not advertise the activity_failure_include_heartbeat capability/,
  /^WARN Task not found when completing$/,
  /^WARN There were leftover buffered tasks when evicting run$/,
  /^ERROR There are unprocessed protocol messages while receiving new work$/,
];

/** sdk-core and worker warnings since the last call (protocol mistakes show up here, not as exceptions). */
export function takeWarnings(): string[] {
  const warnings = logs.splice(0).map((e) => `${e.level} ${e.message}`);
  return onRealEngines ? warnings.filter((warning) => !REAL_SERVER_NOISE.some((noise) => noise.test(warning))) : warnings;
}

export interface LifecycleStack {
  /** The embedded server this stack started, unless it was given a Temporal address or runs on the real engines. */
  server?: EmbeddedTemporalServer;
  client: Client;
  namespace: string;
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

/**
 * `temporalAddress`: a server someone else started (the time-skipping test environment), used as it is, in its
 * default namespace. Otherwise the embedded server, or on the real engines the real dev server.
 */
export async function startLifecycleStack(options: { dossierRules?: DossierRules; temporalAddress?: string } = {}): Promise<LifecycleStack> {
  installRuntime();
  const cleanups: (() => Promise<unknown>)[] = [];
  const onRealServer = !options.temporalAddress && onRealEngines;
  const server = options.temporalAddress || onRealServer ? undefined : await EmbeddedTemporalServer.start({ port: 0, longPollMs: 5_000 });
  const address = options.temporalAddress ?? (onRealServer ? realEngines().temporalAddress : server!.address);
  let namespace = 'default';
  if (onRealServer) {
    const registered = await registerTestNamespace(address, 'lifecycle');
    namespace = registered.namespace;
    cleanups.push(() => registered.remove());
  }
  const connection = await Connection.connect({ address });
  // What the worker and the API do at start: the search attributes the engine needs, created when missing.
  if (!options.temporalAddress) await provisionNamespace(connection, { namespace, searchAttributes: REPORT_SEARCH_ATTRIBUTES });
  // Temporal's time-skipping test server refuses an unregistered search attribute too, but cannot list them (no
  // ListSearchAttributes), so the product's check cannot run there: registered directly, as an operator would.
  if (options.temporalAddress) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [PLATFORM_SEARCH_ATTRIBUTE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD } });
  }
  const client = new Client({ connection, namespace });
  let eventStore: SqlEventStore;
  let database: SqlDatabase;
  if (onRealEngines) {
    const fresh = await createTestDatabase('lifecycle');
    cleanups.push(() => fresh.drop());
    database = new PostgresDatabase({ connectionString: fresh.url });
    eventStore = await openEventStore(database);
  } else {
    eventStore = await createEventStore({});
    database = await PGliteDatabase.open();
  }
  const sentMessages = new SentMessagesLog(database);
  await sentMessages.migrate();
  const readModel = new ReadModel(database);
  await readModel.migrate();
  const idempotencyKeys = new IdempotencyKeys(database);
  await idempotencyKeys.migrate();
  const gateway = new LoggingPlatformGateway(sentMessages, {}, {});
  const taskQueue = `reports-${process.pid}-${++queues}`;
  const policies = new EventSourcedPoliciesService({ eventStore, temporal: client, taskQueue });
  // The time-skipping test server's workflow time runs ahead of the wall clock: no action time limit there.
  const reports = new WorkflowReportsService({ temporal: client, taskQueue, eventStore, readModel, sentMessages, policies, idempotencyKeys, workflowTimeIsWallTime: !options.temporalAddress });
  const workers: { stop(): Promise<void> }[] = [];

  const startWorker = async () => {
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      ...workflowBundleOptions(),
      // As the product's worker (temporal-worker.service.ts): a case's tasks leave a stopped worker's sticky queue
      // after 3 s instead of the SDK's 10 s.
      stickyQueueScheduleToStartTimeout: '3 seconds',
      activities: {
        ...createReportLifecycleActivities({ eventStore, gateway, temporal: client, taskQueue, dossierRules: options.dossierRules ?? { threshold: 1, interval: 'P7D' } }),
        ...createPlatformDossierActivities({ eventStore, gateway }),
        ...createPolicyRolloutActivities({ eventStore, temporal: client }),
      },
    });
    const running = worker.run();
    // As a deployed worker is before the API sends it work: polling, so the API's worker check sees it.
    await eventually(
      () => recentWorkflowPollers(client, taskQueue).then((pollers) => (pollers > 0 ? true : undefined), (error: { code?: number }) => (error?.code === 12 ? true : Promise.reject(error))),
      30_000,
      `the worker to poll ${taskQueue}`,
    );
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
    namespace,
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
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    },
  };
}

export { eventually } from '../support/eventually';
