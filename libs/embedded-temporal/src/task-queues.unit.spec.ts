import { QueuedTask, TaskQueues } from './task-queues';

const task = (kind: QueuedTask['kind'], ref: string): QueuedTask => ({ runId: `run-${ref}`, kind, ref, nonce: 0 });
const taken = (queues: TaskQueues, key: string) => queues.poll(key, 'worker', () => false, async (t) => t, 1_000);

describe('task queues', () => {
  it('hand a query to the next poller ahead of the workflow tasks waiting (a backlog after a restart does not delay reads)', async () => {
    const queues = new TaskQueues(1_000);
    const key = TaskQueues.key('workflow', 'reports');
    for (const ref of ['w1', 'w2', 'w3']) queues.offer(key, task('workflow', ref));
    queues.offer(key, task('query', 'q1'));
    queues.offer(key, task('query', 'q2'));
    queues.offer(key, task('workflow', 'w4'));
    const order: unknown[] = [];
    for (let i = 0; i < 6; i++) order.push((await taken(queues, key))?.ref);
    // Queries first, in their order; workflow tasks keep theirs.
    expect(order).toEqual(['q1', 'q2', 'w1', 'w2', 'w3', 'w4']);
  });
});
