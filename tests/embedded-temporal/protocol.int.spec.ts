// Bad and unsupported requests: each gets a gRPC error that names the problem, and the server stays up.
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { startEnv, takeUnexpectedLogs, type TestEnv } from './helpers';

jest.setTimeout(30_000);

describe('embedded Temporal server: refusing what it does not support', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(async () => {
    await env?.stop();
  });
  afterEach(() => expect(takeUnexpectedLogs()).toEqual([]));

  it('answers invalid requests with INVALID_ARGUMENT and a reason', async () => {
    const service = env.connection.workflowService;
    const missingId = service.startWorkflowExecution({ namespace: 'default', workflowType: { name: 'x' }, taskQueue: { name: 'q' } });
    await expect(missingId).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/WorkflowId/) });
    const missingQueue = service.startWorkflowExecution({ namespace: 'default', workflowId: 'w', workflowType: { name: 'x' } });
    await expect(missingQueue).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/TaskQueue/) });
    await expect(service.respondWorkflowTaskCompleted({ namespace: 'default', taskToken: Buffer.from('garbage') })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(service.listWorkflowExecutions({ namespace: 'default', query: 'WorkflowId = ' })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(service.listWorkflowExecutions({ namespace: 'default', query: 'ORDER BY WorkflowId' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(/ORDER BY WorkflowId/),
    });
  });

  it('refuses other namespaces, schedules, Nexus, versioning and cron by name', async () => {
    const service = env.connection.workflowService;
    await expect(service.describeNamespace({ namespace: 'other' })).rejects.toMatchObject({ code: status.NOT_FOUND, details: expect.stringMatching(/other/) });
    await expect(service.createSchedule({ namespace: 'default', scheduleId: 's' })).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
      details: expect.stringMatching(/Schedules/),
    });
    await expect(service.pollNexusTaskQueue({ namespace: 'default' })).rejects.toMatchObject({ code: status.UNIMPLEMENTED, details: expect.stringMatching(/Nexus/) });
    await expect(service.getWorkerVersioningRules({ namespace: 'default' })).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
      details: expect.stringMatching(/versioning/),
    });
    await expect(
      env.client.workflow.start('anything', { taskQueue: 'q', workflowId: 'cron', cronSchedule: '* * * * *' }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: status.UNIMPLEMENTED, details: expect.stringMatching(/Cron/) }) });
    await expect(env.connection.testService?.getCurrentTime({}) ?? Promise.reject({ code: status.UNIMPLEMENTED })).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
    });
  });

  it('survives undecodable request bytes', async () => {
    const raw = new Client(env.address, credentials.createInsecure());
    const call = new Promise<unknown>((resolve, reject) => {
      raw.makeUnaryRequest(
        '/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
        new Metadata(),
        (error: ServiceError | null, value?: Buffer) => (error ? reject(error) : resolve(value)),
      );
    });
    await expect(call).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/malformed/) });
    raw.close();
    const info = await env.connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  });

  it('answers a long poll on an empty queue with an empty task after the long-poll timeout', async () => {
    const { EmbeddedTemporalServer } = await import('@engine/embedded-temporal');
    const { Connection } = await import('@temporalio/client');
    const server = await EmbeddedTemporalServer.start({ port: 0, longPollMs: 300 });
    const connection = await Connection.connect({ address: server.address });
    try {
      const t0 = Date.now();
      const response = await connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'empty' }, identity: 'test' });
      expect(response.taskToken?.length ?? 0).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      const activity = await connection.workflowService.pollActivityTaskQueue({ namespace: 'default', taskQueue: { name: 'empty' }, identity: 'test' });
      expect(activity.taskToken?.length ?? 0).toBe(0);
    } finally {
      await connection.close();
      await server.stop();
    }
  });
});
