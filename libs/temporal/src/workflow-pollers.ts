// Whether a worker serves a task queue: Temporal lists the pollers it has seen and when each last polled.

import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * A worker counts as present when it polled within this time. Temporal lists a poller for minutes after its
 * last poll, and a live worker's long polls end and start again within about a minute, so older means gone.
 */
export const WORKER_POLL_WINDOW_MS = 90_000;

/** How many workers polled `taskQueue` for workflow tasks within WORKER_POLL_WINDOW_MS before `now`. */
export async function recentWorkflowPollers(client: Client, taskQueue: string, now = Date.now()): Promise<number> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (pollers ?? []).filter((poller) => now - Number(poller.lastAccessTime?.seconds ?? 0) * 1000 <= WORKER_POLL_WINDOW_MS).length;
}
