// Read side: history (with paging and long polls), describe, and visibility list/count.
import type { Engine } from './engine';
import { decodeToken, encodeToken, enums, HISTORY_PAGE_SIZE, type Req } from './engine-shared';
import { invalidArgument, unimplemented } from './errors';
import { messageFromBase64, msToDuration, msToTimestamp, T } from './proto';
import { compileVisibilityQuery, type VisibilityRow } from './visibility-query';
import { statusToProto, WorkflowRun } from './workflow-run';

export class HistoryAndVisibility {
  constructor(private readonly e: Engine) {}

  async getWorkflowExecutionHistory(req: Req<'GetWorkflowExecutionHistoryRequest'>, isCancelled: () => boolean): Promise<object> {
    this.e.checkNamespace(req.namespace);
    let run = this.e.findRun(req.execution);
    const closeOnly = req.historyEventFilterType === enums.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
    const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : HISTORY_PAGE_SIZE;
    let from = 1;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'page' || token.r !== run.s.runId) throw invalidArgument('invalid next page token');
      from = Number(token.f);
    }
    const deadline = Date.now() + this.e.options.longPollMs;
    for (;;) {
      if (closeOnly) {
        const close = run.closeEvent();
        if (close && run.s.closeEventId <= run.durableLength) return { history: { events: [close] } };
      } else {
        const durable = run.durableLength;
        if (durable >= from) {
          const events = run.history.slice(from - 1, Math.min(durable, from - 1 + pageSize));
          const next = from + events.length;
          const more = next <= durable || (req.waitNewEvent && run.isRunning);
          return { history: { events }, nextPageToken: more ? encodeToken({ k: 'page', r: run.s.runId, f: next }) : null };
        }
        if (!req.waitNewEvent || !run.isRunning) return { history: { events: [] } };
      }
      if (!req.waitNewEvent) return { history: { events: [] } };
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.e.stopped || isCancelled()) {
        return { history: { events: [] }, nextPageToken: closeOnly ? null : encodeToken({ k: 'page', r: run.s.runId, f: from }) };
      }
      // Wake on new events, or every second to notice a caller that went away.
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          run.removeHistoryWaiter(wake);
          resolve();
        }, Math.min(remaining, 1000));
        run.addHistoryWaiter(wake);
      });
      run = this.e.runs.get(run.s.runId) as WorkflowRun;
    }
  }

  async getWorkflowExecutionHistoryReverse(req: Req<'GetWorkflowExecutionHistoryReverseRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const run = this.e.findRun(req.execution);
    const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : HISTORY_PAGE_SIZE;
    let end = run.durableLength;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'rpage' || token.r !== run.s.runId) throw invalidArgument('invalid next page token');
      end = Number(token.e);
    }
    const start = Math.max(0, end - pageSize);
    const events = run.history.slice(start, end).reverse();
    return { history: { events }, nextPageToken: start > 0 ? encodeToken({ k: 'rpage', r: run.s.runId, e: start }) : null };
  }

  executionInfo(run: WorkflowRun): object {
    return {
      execution: { workflowId: run.s.workflowId, runId: run.s.runId },
      type: { name: run.s.workflowType },
      startTime: msToTimestamp(run.s.startTime),
      closeTime: run.s.closeTime ? msToTimestamp(run.s.closeTime) : null,
      status: statusToProto[run.s.status],
      historyLength: run.historyLength,
      executionTime: msToTimestamp(run.s.executionTime),
      memo: { fields: Object.fromEntries(Object.entries(run.s.memo).map(([k, v]) => [k, messageFromBase64(T.payload, v)])) },
      searchAttributes: {
        indexedFields: Object.fromEntries(Object.entries(run.s.searchAttributes).map(([k, v]) => [k, messageFromBase64(T.payload, v)])),
      },
      taskQueue: run.s.taskQueue,
      parentNamespaceId: run.s.parent ? 'default' : '',
      parentExecution: run.s.parent ? { workflowId: run.s.parent.workflowId, runId: run.s.parent.runId } : null,
      firstRunId: run.s.firstExecutionRunId,
      stateTransitionCount: run.historyLength,
      historySizeBytes: 0,
    };
  }

  async describeWorkflowExecution(req: Req<'DescribeWorkflowExecutionRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const run = this.e.findRun(req.execution);
    const Pending = enums.PendingActivityState;
    return {
      executionConfig: {
        taskQueue: { name: run.s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        workflowExecutionTimeout: msToDuration(run.s.executionTimeoutMs),
        workflowRunTimeout: msToDuration(run.s.runTimeoutMs),
        defaultWorkflowTaskTimeout: msToDuration(run.s.workflowTaskTimeoutMs),
      },
      workflowExecutionInfo: this.executionInfo(run),
      pendingActivities: Object.values(run.s.activities).map((a) => ({
        activityId: a.activityId,
        activityType: { name: a.activityType },
        state: a.cancelRequested
          ? Pending.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
          : a.state === 'started'
            ? Pending.PENDING_ACTIVITY_STATE_STARTED
            : Pending.PENDING_ACTIVITY_STATE_SCHEDULED,
        heartbeatDetails: messageFromBase64(T.payloads, a.heartbeatDetails),
        lastHeartbeatTime: a.lastHeartbeatTime ? msToTimestamp(a.lastHeartbeatTime) : null,
        lastStartedTime: a.startedTime ? msToTimestamp(a.startedTime) : null,
        attempt: a.attempt,
        maximumAttempts: a.retryPolicy.maximumAttempts,
        scheduledTime: msToTimestamp(a.attemptScheduledTime),
        expirationTime: msToTimestamp(a.firstScheduledTime + a.scheduleToCloseMs),
        lastFailure: messageFromBase64(T.failure, a.lastFailure),
        lastWorkerIdentity: a.startedIdentity,
        nextAttemptScheduleTime: a.state === 'backoff' ? msToTimestamp(a.attemptScheduledTime) : null,
      })),
      pendingChildren: Object.values(run.s.children).map((c) => ({
        workflowId: c.workflowId,
        runId: c.runId,
        workflowTypeName: c.workflowType,
        initiatedId: c.initiatedEventId,
        parentClosePolicy: c.parentClosePolicy,
      })),
      pendingWorkflowTask: run.s.wft
        ? {
            state:
              run.s.wft.state === 'started'
                ? enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
                : enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
            scheduledTime: msToTimestamp(run.s.wft.scheduledTime),
            originalScheduledTime: msToTimestamp(run.s.wft.scheduledTime),
            startedTime: run.s.wft.startedTime ? msToTimestamp(run.s.wft.startedTime) : null,
            attempt: run.s.wft.attempt,
          }
        : null,
      callbacks: [],
      pendingNexusOperations: [],
    };
  }

  visibilityRow(run: WorkflowRun): VisibilityRow {
    const attributes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(run.s.searchAttributes)) {
      const payload = messageFromBase64<{ data?: Uint8Array }>(T.payload, v);
      try {
        attributes[k] = JSON.parse(Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8'));
      } catch {
        attributes[k] = null;
      }
    }
    return {
      WorkflowId: run.s.workflowId,
      RunId: run.s.runId,
      WorkflowType: run.s.workflowType,
      TaskQueue: run.s.taskQueue,
      ExecutionStatus: run.s.status,
      StartTime: run.s.startTime,
      CloseTime: run.s.closeTime || null,
      ExecutionTime: run.s.executionTime,
      attributes,
    };
  }

  queryRuns(query: string | null | undefined): WorkflowRun[] {
    const compiled = compileVisibilityQuery(query ?? '', (field) => this.e.searchAttributes.queryProblem(field));
    const matches = [...this.e.runs.values()].filter((r) => compiled.matches(this.visibilityRow(r)));
    // The real server's (SQL visibility) order: open runs first, then by close time and start time, newest first.
    const closed = (run: WorkflowRun) => run.s.closeTime || Number.MAX_SAFE_INTEGER;
    matches.sort((a, b) => closed(b) - closed(a) || b.s.startTime - a.s.startTime || (a.s.runId < b.s.runId ? -1 : 1));
    return matches;
  }

  async listWorkflowExecutions(req: Req<'ListWorkflowExecutionsRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const matches = this.queryRuns(req.query);
    const pageSize = req.pageSize && req.pageSize > 0 ? req.pageSize : 1000;
    let offset = 0;
    if (req.nextPageToken && req.nextPageToken.length > 0) {
      const token = decodeToken(req.nextPageToken);
      if (!token || token.k !== 'list') throw invalidArgument('invalid next page token');
      offset = Number(token.o);
    }
    const page = matches.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return {
      executions: page.map((r) => this.executionInfo(r)),
      nextPageToken: next < matches.length ? encodeToken({ k: 'list', o: next }) : null,
    };
  }

  async countWorkflowExecutions(req: Req<'CountWorkflowExecutionsRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    if (/\bGROUP\s+BY\b/i.test(req.query ?? '')) throw unimplemented('GROUP BY in visibility queries');
    return { count: this.queryRuns(req.query).length };
  }
}
