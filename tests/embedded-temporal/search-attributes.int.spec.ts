// Custom search attributes exist only once registered, as on the real server: a start, an upsert or a visibility
// query naming an unregistered one is refused (the stand-in used to index any name it was given).
import { status } from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';
import { provisionNamespace } from '@engine/temporal';
import { eventually } from '../support/eventually';
import { useTestEnv, takeUnexpectedLogs, uniqueQueue, withWorker } from './helpers';
import type * as wf from './fixtures/workflows';

const EventType = temporal.api.enums.v1.EventType;
const WorkflowTaskFailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;
jest.setTimeout(45_000);

// Fixed names: the shared real server keeps what is registered, and SQL visibility allows only a few per type.
const REGISTERED = 'ConformanceKeyword';
const UNREGISTERED = 'NeverRegisteredAttribute';
const activities = { greet: async (name: string) => name };
const attribute = (name: string, value: unknown) => ({ indexedFields: { [name]: { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) } } });

describe('embedded Temporal server: custom search attributes', () => {
  const env = useTestEnv({}, { checkLogs: false });
  beforeAll(async () => {
    await provisionNamespace(env.connection, { namespace: 'default', searchAttributes: { [REGISTERED]: 'Keyword' } });
  });

  it('refuses a start and a visibility query that name an unregistered attribute, and a value of the wrong type', async () => {
    const taskQueue = uniqueQueue('unregistered');
    const start = (searchAttributes: ReturnType<typeof attribute>) =>
      env.connection.workflowService.startWorkflowExecution({
        namespace: 'default',
        workflowId: `sa-${taskQueue}`,
        requestId: taskQueue,
        workflowType: { name: 'collector' },
        taskQueue: { name: taskQueue },
        searchAttributes,
      });
    await expect(start(attribute(UNREGISTERED, 'x'))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(`no mapping defined for search attribute ${UNREGISTERED}`),
    });
    await expect(start(attribute(REGISTERED, 5))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `invalid value for search attribute ${REGISTERED} of type Keyword: 5`,
    });
    await expect(start(attribute(REGISTERED, ['a', 'b']))).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `invalid value for search attribute ${REGISTERED} of type Keyword: [a b]`,
    });
    await expect(env.connection.workflowService.listWorkflowExecutions({ namespace: 'default', query: `${UNREGISTERED} = 'x'` })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(`invalid search attribute: ${UNREGISTERED}`),
    });
    expect(takeUnexpectedLogs()).toEqual([]);
  });

  it('fails the workflow task of an upsert that names an unregistered attribute, with BAD_SEARCH_ATTRIBUTES', async () => {
    const taskQueue = uniqueQueue('upsert-unregistered');
    const handle = await env.client.workflow.start<typeof wf.upsertsAttribute>('upsertsAttribute', { taskQueue, workflowId: `upsert-${taskQueue}`, args: [UNREGISTERED] });
    await withWorker(env, taskQueue, activities, async () => {
      const failed = await eventually(async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        return events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      }, 15_000, 'the failed workflow task');
      expect(failed.workflowTaskFailedEventAttributes?.cause).toBe(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES);
    });
    // Once the worker is gone, so that no retried task races the termination.
    await handle.terminate('test over');
    expect(takeUnexpectedLogs([/BadSearchAttributes/])).toEqual([]);
  });

  it('accepts a registered attribute in an upsert and a visibility query', async () => {
    const taskQueue = uniqueQueue('registered');
    await withWorker(env, taskQueue, activities, async () => {
      const handle = await env.client.workflow.start<typeof wf.upsertsAttribute>('upsertsAttribute', { taskQueue, workflowId: `registered-${taskQueue}`, args: [REGISTERED] });
      expect(await handle.result()).toBe('upserted');
      const found = await eventually(async () => {
        const ids: string[] = [];
        for await (const w of env.client.workflow.list({ query: `${REGISTERED} = 'set' AND TaskQueue = '${taskQueue}'` })) ids.push(w.workflowId);
        return ids.length > 0 ? ids : undefined;
      }, 10_000, 'the workflow by its attribute');
      expect(found).toEqual([handle.workflowId]);
    });
    // The SDK's core may log the previous test's refused upsert late; nothing about this test's attribute is allowed.
    expect(takeUnexpectedLogs([new RegExp(`BadSearchAttributes: .*${UNREGISTERED}`)])).toEqual([]);
  });
});
