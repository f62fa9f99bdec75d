// gRPC wiring: builds grpc-js service definitions from the protobuf reflection @temporalio/proto ships, maps each
// frontend method to the engine, and turns every failure into a gRPC status (never a crash).
import { Server, ServerCredentials, status, type ServiceDefinition, type UntypedHandleCall, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';
import type { ApiKeyCheck } from './api-key';
import { Engine } from './engine';
import { debugLog } from './debug';
import { ServiceError, failedPrecondition, invalidArgument, unimplemented } from './errors';
import { protoRoot, type ReflectedType } from './proto';
import { SYSTEM_SEARCH_ATTRIBUTES } from './search-attributes';
import type { TimeSkipper } from './time-skipping';

/** `longPollMs`: how long a task-queue poll may wait for a task (what the caller's deadline leaves). */
type Handler = (request: never, isCancelled: () => boolean, longPollMs?: number) => Promise<object>;

// Task-queue polls need a deadline, as on the real frontend: none is refused, one under 2 s too, and an empty
// answer comes 1 s before it, so a poll never ends in DEADLINE_EXCEEDED on the caller's side.
const TASK_QUEUE_POLLS = new Set(['PollWorkflowTaskQueue', 'PollActivityTaskQueue']);
const MIN_LONG_POLL_MS = 2_000;
const EMPTY_ANSWER_BEFORE_DEADLINE_MS = 1_000;

/** What a task-queue poll with this deadline may wait, or the real server's refusal. */
function longPollBudget(deadline: Date | number): number | ServiceError {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return invalidArgument('Context timeout is not set.');
  const left = at - Date.now();
  if (left < MIN_LONG_POLL_MS) return failedPrecondition('Context timeout is too short.');
  return left - EMPTY_ANSWER_BEFORE_DEADLINE_MS;
}

interface Malformed {
  malformedRequest: string;
}

function buildDefinition(serviceName: string): ServiceDefinition {
  const service = protoRoot.lookupService(serviceName).resolveAll();
  const definition: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service.methods)) {
    const requestType = method.resolvedRequestType as ReflectedType;
    const responseType = method.resolvedResponseType as ReflectedType;
    definition[name] = {
      path: `/${serviceName}/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: object) => Buffer.from(requestType.encode(requestType.fromObject(value as Record<string, unknown>)).finish()),
      requestDeserialize: (bytes: Buffer): object => {
        try {
          return requestType.decode(bytes);
        } catch (error) {
          return { malformedRequest: error instanceof Error ? error.message : String(error) } satisfies Malformed;
        }
      },
      responseSerialize: (value: object) => Buffer.from(responseType.encode(responseType.fromObject(value as Record<string, unknown>)).finish()),
      responseDeserialize: (bytes: Buffer) => responseType.decode(bytes),
    };
  }
  return definition as ServiceDefinition;
}

function wrap(name: string, handler: Handler | undefined, feature: string, apiKey: ApiKeyCheck | null): UntypedHandleCall {
  return (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) => {
    const refusal = apiKey?.refusal(call.metadata);
    if (refusal) {
      callback(refusal.toGrpc());
      return;
    }
    const request = call.request as object | Malformed;
    if (!handler) {
      callback(unimplemented(`${feature} (${name})`).toGrpc());
      return;
    }
    if ('malformedRequest' in request) {
      // What the real frontend (grpc-go) answers for bytes it cannot decode.
      callback(new ServiceError(status.INTERNAL, `grpc: error unmarshalling request: ${request.malformedRequest} (${name})`).toGrpc());
      return;
    }
    let longPollMs: number | undefined;
    if (TASK_QUEUE_POLLS.has(name)) {
      const budget = longPollBudget(call.getDeadline());
      if (budget instanceof ServiceError) {
        callback(budget.toGrpc());
        return;
      }
      longPollMs = budget;
    }
    let result: Promise<object>;
    const traced = !name.startsWith('Poll') && !name.startsWith('Get') && !name.startsWith('Describe');
    if (traced) debugLog(`rpc ${name} in`);
    try {
      result = handler(request as never, () => call.cancelled, longPollMs);
    } catch (error) {
      callback(toStatus(error));
      return;
    }
    result.then(
      (response) => {
        if (traced) debugLog(`rpc ${name} ok`);
        callback(null, response);
      },
      (error) => {
        if (traced) debugLog(`rpc ${name} error ${String(error)}`);
        callback(toStatus(error));
      },
    );
  };
}

function toStatus(error: unknown): ReturnType<ServiceError['toGrpc']> {
  if (error instanceof ServiceError) return error.toGrpc();
  const message = error instanceof Error ? error.message : String(error);
  // Anything else is a bug or a request the code did not expect; it must not take the server down.
  return new ServiceError(status.INTERNAL, `embedded-temporal internal error: ${message}`).toGrpc();
}

/** Features outside the embedded server's scope, by method name prefix/pattern, for clear refusals. */
function featureOf(method: string): string {
  if (/Schedule/.test(method)) return 'Schedules';
  if (/Nexus/.test(method)) return 'Nexus';
  if (/Deployment|BuildId|Versioning|Reachability/.test(method)) return 'Worker versioning and deployments';
  if (/Namespace/.test(method)) return 'Namespace management (only "default" exists)';
  if (/Batch/.test(method)) return 'Batch operations';
  if (/Archived|Reset|Delete/.test(method)) return 'Reset, deletion and archival';
  if (/Worker|WorkerConfig/.test(method)) return 'Worker management';
  if (/Rule/.test(method)) return 'Workflow rules';
  if (/ActivityExecution|Activities|PauseActivity|UnpauseActivity|ResetActivity|UpdateActivityOptions/.test(method)) return 'Standalone activities and activity operator commands';
  return 'This operation';
}

export function workflowServiceHandlers(engine: Engine): Record<string, Handler> {
  const ns = (req: { namespace?: string | null }) => engine.checkNamespace(req.namespace);
  const handlers: Record<string, Handler> = {
    GetSystemInfo: async () => ({
      serverVersion: '1.29.0-embedded',
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        supportsSchedules: false,
        encodedFailureAttributes: true,
        buildIdBasedVersioning: false,
        upsertMemo: true,
        eagerWorkflowStart: false,
        sdkMetadata: true,
        countGroupByExecutionStatus: false,
        nexus: false,
      },
    }),
    GetClusterInfo: async () => ({
      supportedClients: {},
      serverVersion: '1.29.0-embedded',
      clusterId: 'embedded-temporal',
      clusterName: 'embedded',
      historyShardCount: 1,
      persistenceStore: 'journal',
      visibilityStore: 'memory',
    }),
    DescribeNamespace: async (req: temporal.api.workflowservice.v1.DescribeNamespaceRequest) => {
      if (req.namespace && req.namespace !== 'default') engine.checkNamespace(req.namespace);
      if (req.id && req.id !== 'default') engine.checkNamespace(req.id);
      return {
        namespaceInfo: {
          name: 'default',
          state: temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED,
          id: 'default',
          description: 'the embedded Temporal server namespace',
          capabilities: { syncUpdate: true, asyncUpdate: true, eagerWorkflowStart: false, workerHeartbeats: false },
        },
        config: { workflowExecutionRetentionTtl: { seconds: 86400 } },
        isGlobalNamespace: false,
      };
    },
    ListNamespaces: async () => ({
      namespaces: [
        {
          namespaceInfo: { name: 'default', state: temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED, id: 'default' },
          config: { workflowExecutionRetentionTtl: { seconds: 86400 } },
        },
      ],
    }),
    GetSearchAttributes: async () => ({ keys: { ...SYSTEM_SEARCH_ATTRIBUTES, ...engine.searchAttributes.custom } }),
    StartWorkflowExecution: (req) => engine.startWorkflowExecution(req),
    ExecuteMultiOperation: (req) => engine.executeMultiOperation(req),
    SignalWorkflowExecution: (req) => engine.signalWorkflowExecution(req),
    SignalWithStartWorkflowExecution: (req) => engine.signalWithStartWorkflowExecution(req),
    RequestCancelWorkflowExecution: (req) => engine.requestCancelWorkflowExecution(req),
    TerminateWorkflowExecution: (req) => engine.terminateWorkflowExecution(req),
    DescribeWorkflowExecution: (req) => engine.readers.describeWorkflowExecution(req),
    GetWorkflowExecutionHistory: (req, isCancelled) => engine.readers.getWorkflowExecutionHistory(req, isCancelled),
    GetWorkflowExecutionHistoryReverse: (req) => engine.readers.getWorkflowExecutionHistoryReverse(req),
    PollWorkflowTaskQueue: (req, isCancelled, longPollMs) => engine.pollWorkflowTaskQueue(req, isCancelled, longPollMs),
    RespondWorkflowTaskCompleted: (req) => engine.respondWorkflowTaskCompleted(req),
    RespondWorkflowTaskFailed: (req) => engine.respondWorkflowTaskFailed(req),
    PollActivityTaskQueue: (req, isCancelled, longPollMs) => engine.activities.pollActivityTaskQueue(req, isCancelled, longPollMs),
    RecordActivityTaskHeartbeat: (req) => engine.activities.recordActivityTaskHeartbeat(req),
    RecordActivityTaskHeartbeatById: (req) => engine.activities.recordActivityTaskHeartbeatById(req),
    RespondActivityTaskCompleted: (req) => engine.activities.respondActivityTaskCompleted(req),
    RespondActivityTaskCompletedById: (req) => engine.activities.respondActivityTaskCompletedById(req),
    RespondActivityTaskFailed: (req) => engine.activities.respondActivityTaskFailed(req),
    RespondActivityTaskFailedById: (req) => engine.activities.respondActivityTaskFailedById(req),
    RespondActivityTaskCanceled: (req) => engine.activities.respondActivityTaskCanceled(req),
    RespondActivityTaskCanceledById: (req) => engine.activities.respondActivityTaskCanceledById(req),
    QueryWorkflow: (req) => engine.messages.queryWorkflow(req),
    RespondQueryTaskCompleted: (req) => engine.messages.respondQueryTaskCompleted(req),
    UpdateWorkflowExecution: (req) => engine.messages.updateWorkflowExecution(req),
    PollWorkflowExecutionUpdate: (req) => engine.messages.pollWorkflowExecutionUpdate(req),
    ListWorkflowExecutions: (req) => engine.readers.listWorkflowExecutions(req),
    ScanWorkflowExecutions: (req) => engine.readers.listWorkflowExecutions(req),
    CountWorkflowExecutions: (req) => engine.readers.countWorkflowExecutions(req),
    ResetStickyTaskQueue: (req) => engine.resetStickyTaskQueue(req),
    ShutdownWorker: async (req: temporal.api.workflowservice.v1.ShutdownWorkerRequest) => {
      ns(req);
      engine.shutdownWorker(req.stickyTaskQueue ?? '');
      return {};
    },
    DescribeTaskQueue: async (req: temporal.api.workflowservice.v1.DescribeTaskQueueRequest) => {
      ns(req);
      const kind = req.taskQueueType === temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY ? 'activity' : 'workflow';
      const info = engine.queues.pollerInfo(`${kind}:${req.taskQueue?.name ?? ''}`);
      return {
        pollers: info ? [{ lastAccessTime: { seconds: Math.floor(info.lastPollTime / 1000) }, identity: info.identity, ratePerSecond: 100000 }] : [],
      };
    },
  };
  return handlers as Record<string, Handler>;
}

/** `apiKey`: when given, every call of every service must carry it (see api-key.ts). */
export function createGrpcServer(engine: Engine, timeSkipper: TimeSkipper, apiKey: ApiKeyCheck | null = null): Server {
  const server = new Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
    // Ping idle clients so a worker that vanished without closing its connection is noticed.
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
  });
  const workflowServiceName = 'temporal.api.workflowservice.v1.WorkflowService';
  const workflowDefinition = buildDefinition(workflowServiceName);
  const handlers = workflowServiceHandlers(engine);
  const implementation: Record<string, UntypedHandleCall> = {};
  for (const name of Object.keys(workflowDefinition)) implementation[name] = wrap(name, handlers[name], featureOf(name), apiKey);
  server.addService(workflowDefinition, implementation);

  const operatorDefinition = buildDefinition('temporal.api.operatorservice.v1.OperatorService');
  // Custom search attributes are registered before use, as on the real server (see search-attributes.ts).
  const operatorHandlers: Record<string, Handler> = {
    ListSearchAttributes: async (req: temporal.api.operatorservice.v1.ListSearchAttributesRequest) => {
      if (req.namespace) engine.checkNamespace(req.namespace);
      return { systemAttributes: SYSTEM_SEARCH_ATTRIBUTES, customAttributes: { ...engine.searchAttributes.custom } };
    },
    AddSearchAttributes: async (req: temporal.api.operatorservice.v1.AddSearchAttributesRequest) => {
      if (req.namespace) engine.checkNamespace(req.namespace);
      await engine.addSearchAttributes(req.searchAttributes ?? {});
      return {};
    },
  };
  const operatorImplementation: Record<string, UntypedHandleCall> = {};
  for (const name of Object.keys(operatorDefinition)) {
    operatorImplementation[name] = wrap(name, operatorHandlers[name], featureOf(name) === 'This operation' ? 'Operator service' : featureOf(name), apiKey);
  }
  server.addService(operatorDefinition, operatorImplementation);

  const testDefinition = buildDefinition('temporal.api.testservice.v1.TestService');
  const testHandlers = timeSkipper.handlers();
  const testImplementation: Record<string, UntypedHandleCall> = {};
  for (const name of Object.keys(testDefinition)) testImplementation[name] = wrap(name, testHandlers[name] as Handler | undefined, 'Test service', apiKey);
  server.addService(testDefinition, testImplementation);
  return server;
}

export function bind(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(error);
      else resolve(boundPort);
    });
  });
}
