// Bad requests: each gets the gRPC error the real server answers with (its code, a reason naming the problem),
// and the server stays up. What the real server has and the stand-in refuses by name is stand-in only.
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { describeStandInOnly } from '../support/engines';
import { useTestEnv, uniqueQueue } from './helpers';

jest.setTimeout(30_000);

describe('embedded Temporal server: refusing bad requests', () => {
  const env = useTestEnv();

  it('answers invalid requests with INVALID_ARGUMENT and a reason, an unknown namespace with NOT_FOUND', async () => {
    const service = env.connection.workflowService;
    const missingId = service.startWorkflowExecution({ namespace: 'default', workflowType: { name: 'x' }, taskQueue: { name: 'q' } });
    await expect(missingId).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/WorkflowId/) });
    const missingQueue = service.startWorkflowExecution({ namespace: 'default', workflowId: 'w', workflowType: { name: 'x' } });
    await expect(missingQueue).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(/task ?queue/i) });
    await expect(service.respondWorkflowTaskCompleted({ namespace: 'default', taskToken: Buffer.from('garbage') })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(service.listWorkflowExecutions({ namespace: 'default', query: 'WorkflowId = ' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(/invalid query/),
    });
    // The dev server's (SQL) visibility has no ORDER BY at all.
    await expect(service.listWorkflowExecutions({ namespace: 'default', query: 'ORDER BY StartTime' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(/'ORDER BY' clause/),
    });
    await expect(service.describeNamespace({ namespace: 'other' })).rejects.toMatchObject({ code: status.NOT_FOUND, details: expect.stringMatching(/other/) });
  });

  it('needs a deadline of at least 2 s on a task-queue poll, and answers an empty queue before that deadline', async () => {
    const service = env.connection.workflowService;
    const taskQueue = { name: uniqueQueue('empty') };
    await expect(service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue, identity: 'test' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(/Context timeout is not set/),
    });
    const tooShort = env.connection.withDeadline(Date.now() + 1_000, () => service.pollActivityTaskQueue({ namespace: 'default', taskQueue, identity: 'test' }));
    await expect(tooShort).rejects.toMatchObject({ code: status.FAILED_PRECONDITION, details: expect.stringMatching(/Context timeout is too short/) });
    const request = { namespace: 'default', taskQueue, identity: 'test' };
    const polls: (() => Promise<{ taskToken?: Uint8Array | null }>)[] = [() => service.pollWorkflowTaskQueue(request), () => service.pollActivityTaskQueue(request)];
    for (const poll of polls) {
      const t0 = Date.now();
      const response = await env.connection.withDeadline(Date.now() + 3_000, poll);
      expect(response.taskToken?.length ?? 0).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_500);
    }
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
    await expect(call).rejects.toMatchObject({ code: status.INTERNAL, details: expect.stringMatching(/error unmarshalling request/) });
    raw.close();
    const info = await env.connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  });
});

// The real server has all of these; the stand-in names what it lacks instead of misbehaving.
describeStandInOnly('embedded Temporal server: refusing what it does not implement', () => {
  const env = useTestEnv();

  it('refuses schedules, Nexus, versioning, cron, GROUP BY in counts and the test service by name', async () => {
    const service = env.connection.workflowService;
    await expect(service.countWorkflowExecutions({ namespace: 'default', query: 'GROUP BY ExecutionStatus' })).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
      details: expect.stringMatching(/GROUP BY/),
    });
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
});
