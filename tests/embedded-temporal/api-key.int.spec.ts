// The embedded server started with an API key, as `npm start` runs it: a client and a worker that send the key
// (the SDK's `apiKey` option: `authorization: Bearer <key>`) are served; without it, or with another key, every
// call is answered UNAUTHENTICATED before anything is read or changed, as Temporal Cloud answers it.
// Stand-in only: the real dev server has no API-key authentication (Temporal Cloud does).
import { status } from '@grpc/grpc-js';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { describeStandInOnly } from '../support/engines';
import { installCapturingRuntime, uniqueQueue, within, workflowsPath } from './helpers';

jest.setTimeout(60_000);

const API_KEY = 'a-long-random-api-key-for-the-test';

describeStandInOnly('Temporal frontend with an API key', () => {
  let server: EmbeddedTemporalServer;
  let withKey: Connection;
  let client: Client;
  const opened: { close(): Promise<void> }[] = [];

  async function connection(apiKey?: string): Promise<Connection> {
    const result = await Connection.connect({ address: server.address, tls: false, ...(apiKey !== undefined && { apiKey }) });
    opened.push(result);
    return result;
  }

  /** A connection that does not check the server at once (Connection.connect's GetSystemInfo would fail first). */
  function lazyConnection(apiKey?: string): Connection {
    const result = Connection.lazy({ address: server.address, tls: false, ...(apiKey !== undefined && { apiKey }) });
    opened.push(result);
    return result;
  }

  /** The gRPC status inside what the client threw (it wraps some calls' errors, with the status as cause). */
  function grpcStatus(error: unknown): { code?: number; details?: string } {
    return ((error as { cause?: unknown }).cause ?? error) as { code?: number; details?: string };
  }

  beforeAll(async () => {
    installCapturingRuntime();
    server = await EmbeddedTemporalServer.start({ port: 0, longPollMs: 3_000, apiKey: API_KEY });
    withKey = await connection(API_KEY);
    client = new Client({ connection: withKey });
  });
  afterAll(async () => {
    for (const each of opened.splice(0)) await each.close();
    await server.stop();
  });

  it('serves a client and a worker that send the key', async () => {
    const taskQueue = uniqueQueue('api-key');
    const nativeConnection = await NativeConnection.connect({ address: server.address, apiKey: API_KEY, tls: false });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities: { greet: async (name: string) => `hello ${name}` } });
      const result = await worker.runUntil(client.workflow.execute('greeting', { taskQueue, workflowId: uniqueQueue('greeting'), args: ['key'] }));
      expect(result).toContain('key');
    } finally {
      await nativeConnection.close();
    }
  });

  it.each([
    ['no key', undefined, /no API key/],
    ['another key', 'not-the-key', /invalid API key/],
  ])('answers a client with %s UNAUTHENTICATED, and changes nothing', async (_what, apiKey, message) => {
    const handle = await client.workflow.start('collector', { taskQueue: uniqueQueue('never-polled'), workflowId: uniqueQueue('collector') });
    const connecting = await Connection.connect({ address: server.address, tls: false, ...(apiKey !== undefined && { apiKey }) }).catch((error: unknown) => error);
    expect(grpcStatus(connecting)).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(message) });
    const intruder = new Client({ connection: lazyConnection(apiKey) });
    const attempts = [
      () => intruder.workflow.list()[Symbol.asyncIterator]().next(),
      () => intruder.workflow.getHandle(handle.workflowId).query('items'),
      () => intruder.workflow.getHandle(handle.workflowId).describe(),
      () => intruder.workflow.getHandle(handle.workflowId).signal('add', 'forged'),
      () => intruder.workflow.getHandle(handle.workflowId).terminate('forged'),
      () => intruder.workflow.start('collector', { taskQueue: 'x', workflowId: uniqueQueue('forged') }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).not.toBeNull();
      expect(error).not.toBeInstanceOf(WorkflowNotFoundError);
      expect(grpcStatus(error)).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(message) });
    }
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.raw.workflowExecutionInfo?.historyLength?.toString()).toBe('2'); // started, first task scheduled: no signal
    await handle.terminate('test done');
  });

  it('does not let a worker without the key connect or poll', async () => {
    const taskQueue = uniqueQueue('keyless-worker');
    const handle = await client.workflow.start('greeting', { taskQueue, workflowId: uniqueQueue('greeting'), args: ['nobody'] });
    await expect(NativeConnection.connect({ address: server.address, tls: false })).rejects.toThrow(/Request unauthorized: no API key/);

    // A poll sent without the key (as a worker would) takes nothing off the queue.
    const keyless = lazyConnection();
    const poll = await keyless.workflowService
      .pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'intruder' })
      .catch((error: unknown) => error);
    expect(grpcStatus(poll)).toMatchObject({ code: status.UNAUTHENTICATED });
    expect((await handle.describe()).raw.pendingWorkflowTask?.state).not.toBe(temporal.api.enums.v1.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED);

    // The task is still there for the worker that has the key.
    const nativeConnection = await NativeConnection.connect({ address: server.address, apiKey: API_KEY, tls: false });
    try {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowsPath, activities: { greet: async (name: string) => `hello ${name}` } });
      expect(await within(30_000, 'the greeting', worker.runUntil(handle.result()))).toContain('nobody');
    } finally {
      await nativeConnection.close();
    }
  });
});
