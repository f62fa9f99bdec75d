// Queries (attached to workflow tasks or sent as legacy query tasks) and updates (admission, delivery in
// workflow tasks, acceptance, rejection, completion and waiting for an outcome).
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { Engine } from './engine';
import { decodeToken, encodeToken, enums, type Req } from './engine-shared';
import { debugLog } from './debug';
import { invalidArgument, notFound, ServiceError } from './errors';
import { decodeMessage, T, unpackAny } from './proto';
import { TaskQueues } from './task-queues';
import { EventType, statusToProto, toNumberId, type UpdateWaitResult, WorkflowRun } from './workflow-run';

export interface PendingQuery {
  id: string;
  runId: string;
  query: object;
  resolve: (answer: { result?: object; error?: ServiceError }) => void;
  legacy: boolean;
  /** The queue its query task waits on until a worker takes it; null once taken (or while riding on a workflow task). */
  offeredOn?: string | null;
}

export class QueriesAndUpdates {
  constructor(private readonly e: Engine) {}

  readonly queries = new Map<string, PendingQuery>();

  async queryWorkflow(req: Req<'QueryWorkflowRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    if (!req.query?.queryType) throw invalidArgument('QueryType is not set on request');
    const run = this.e.findRun(req.execution);
    const reject = req.queryRejectCondition ?? 0;
    if (
      (reject === enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN && !run.isRunning) ||
      (reject === enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY && !run.isRunning && run.s.status !== 'Completed')
    ) {
      return { queryRejected: { status: statusToProto[run.s.status] } };
    }
    const id = randomUUID();
    const answer = await new Promise<{ result?: object; error?: ServiceError }>((resolve) => {
      const pending: PendingQuery = { id, runId: run.s.runId, query: req.query as object, resolve, legacy: false };
      this.queries.set(id, pending);
      const timeout = setTimeout(() => {
        if (!this.queries.delete(id)) return;
        resolve({ error: new ServiceError(4, 'query timed out: no worker answered') });
      }, this.e.options.longPollMs);
      timeout.unref?.();
      const originalResolve = pending.resolve;
      pending.resolve = (a) => {
        clearTimeout(timeout);
        originalResolve(a);
      };
      debugLog(() => `query ${id.slice(0, 8)} arrived wft=${run.s.wft ? run.s.wft.state : 'none'} sticky=${run.s.sticky?.queue ?? ''}`);
      if (run.isRunning && run.s.wft) return; // answered with the pending workflow task
      this.dispatchLegacyQuery(run, pending);
    });
    if (answer.error) throw answer.error;
    return answer.result as object;
  }

  dispatchLegacyQuery(run: WorkflowRun, query: PendingQuery): void {
    query.legacy = true;
    const hadSticky = run.s.sticky !== null;
    const sticky = run.isRunning ? this.e.liveStickyQueue(run) : null;
    if (hadSticky && !sticky && run.isRunning) void this.e.persist(run);
    const queue = sticky ? sticky.queue : run.s.taskQueue;
    query.offeredOn = queue;
    debugLog(() => `query ${query.id.slice(0, 8)} legacy task on ${queue}`);
    this.e.queues.offer(TaskQueues.key('workflow', queue), { runId: run.s.runId, kind: 'query', ref: query.id, nonce: 0 });
    this.e.options.onActivity?.();
    if (!sticky) return;
    // A sticky worker that died without saying so still looks alive for a while: as on the real server, a query
    // it does not take within the sticky schedule-to-start timeout goes to the normal queue, and so does the run.
    const fallback = setTimeout(() => {
      if (this.queries.get(query.id) !== query || query.offeredOn !== sticky.queue) return;
      if (run.s.sticky?.queue === sticky.queue) {
        run.s.sticky = null;
        void this.e.persist(run);
      }
      debugLog(() => `query ${query.id.slice(0, 8)} not taken from sticky ${sticky.queue}: normal queue`);
      this.dispatchLegacyQuery(run, query);
    }, sticky.scheduleToStartMs);
    fallback.unref?.();
  }

  async deliverLegacyQuery(run: WorkflowRun, queryId: string, queueName: string): Promise<object | null> {
    const query = this.queries.get(queryId);
    debugLog(() => `query ${queryId.slice(0, 8)} legacy deliver via ${queueName} found=${Boolean(query)}`);
    // A pointer left on a queue the query has since moved away from is stale.
    if (!query || query.offeredOn !== queueName) return null;
    query.offeredOn = null;
    const fromSticky = queueName !== run.s.taskQueue;
    return {
      taskToken: encodeToken({ k: 'query', q: queryId }),
      workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId },
      workflowType: { name: run.s.workflowType },
      previousStartedEventId: run.s.lastCompletedStartedEventId,
      // No started event: that is how the worker tells a query-only task from one that advances history. With
      // a started id, sdk-core buffered it like a workflow task, and the next task for the run (a real one,
      // or another query) superseded it: that query was never answered.
      startedEventId: 0,
      history: { events: fromSticky ? [] : run.history },
      query: query.query,
      workflowExecutionTaskQueue: { name: run.s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    };
  }

  answerQuery(id: string, answer: temporal.api.query.v1.IWorkflowQueryResult): void {
    const query = this.queries.get(id);
    debugLog(() => `query ${id.slice(0, 8)} answered known=${Boolean(query)}`);
    if (!query) return;
    this.queries.delete(id);
    if (answer.resultType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
      query.resolve({ result: { queryResult: answer.answer } });
    } else {
      query.resolve({ error: invalidArgument(answer.errorMessage || answer.failure?.message || 'query failed') });
    }
  }

  async respondQueryTaskCompleted(req: Req<'RespondQueryTaskCompletedRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const parsed = decodeToken(req.taskToken);
    if (!parsed || parsed.k !== 'query') throw invalidArgument('invalid query task token');
    const id = String(parsed.q);
    if (!this.queries.has(id)) throw notFound('query not found (it may have timed out)');
    this.answerQuery(id, {
      resultType:
        req.completedType === enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED
          ? enums.QueryResultType.QUERY_RESULT_TYPE_ANSWERED
          : enums.QueryResultType.QUERY_RESULT_TYPE_FAILED,
      answer: req.queryResult,
      errorMessage: req.errorMessage,
      failure: req.failure,
    });
    return {};
  }

  async updateWorkflowExecution(req: Req<'UpdateWorkflowExecutionRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const updateId = req.request?.meta?.updateId;
    if (!updateId) throw invalidArgument('Update id is not set on request');
    if (!req.request?.input?.name) throw invalidArgument('Update name is not set on request');
    const run = this.e.findRun(req.workflowExecution);
    if (req.firstExecutionRunId && run.s.firstExecutionRunId !== req.firstExecutionRunId) {
      throw notFound('workflow execution not found for the given firstExecutionRunId');
    }
    const stage = req.waitPolicy?.lifecycleStage ?? enums.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    const known = this.updateFromHistory(run, updateId);
    if (!known && !run.isRunning) throw notFound('workflow execution already completed');
    if (!known && !run.pendingUpdates.has(updateId)) {
      run.addPendingUpdate({
        updateId,
        request: temporal.api.update.v1.Request.encode(req.request as temporal.api.update.v1.IRequest).finish(),
        deliveredTo: null,
        waiters: [],
      });
      if (!run.s.wft) this.e.scheduleWorkflowTask(run, { speculative: run.s.lastCompletedStartedEventId > 0 });
      this.e.options.onActivity?.();
    }
    return this.waitForUpdate(run, updateId, stage);
  }

  async pollWorkflowExecutionUpdate(req: Req<'PollWorkflowExecutionUpdateRequest'>): Promise<object> {
    this.e.checkNamespace(req.namespace);
    const updateId = req.updateRef?.updateId;
    if (!updateId) throw invalidArgument('Update id is not set on request');
    const run = this.e.findRun(req.updateRef?.workflowExecution);
    if (!this.updateFromHistory(run, updateId) && !run.pendingUpdates.has(updateId)) throw notFound(`update ${updateId} not found`);
    return this.waitForUpdate(run, updateId, req.waitPolicy?.lifecycleStage ?? enums.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED);
  }

  updateFromHistory(run: WorkflowRun, updateId: string): { stage: 'accepted' } | { stage: 'completed'; outcome: object } | null {
    let accepted = false;
    const history = run.history;
    for (let i = history.length - 1; i >= 0; i--) {
      const e = history[i];
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        if (a?.meta?.updateId === updateId) return { stage: 'completed', outcome: a.outcome as object };
      } else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        if (e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId === updateId) accepted = true;
      }
    }
    return accepted ? { stage: 'accepted' } : null;
  }

  async waitForUpdate(run: WorkflowRun, updateId: string, stage: number): Promise<object> {
    const ref = { workflowExecution: { workflowId: run.s.workflowId, runId: run.s.runId }, updateId };
    const Stage = enums.UpdateWorkflowExecutionLifecycleStage;
    const wantCompleted = stage === Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
    const deadline = Date.now() + this.e.options.longPollMs;
    for (;;) {
      const known = this.updateFromHistory(run, updateId);
      if (known?.stage === 'completed') return { updateRef: ref, outcome: known.outcome, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED };
      if (known?.stage === 'accepted' && !wantCompleted) return { updateRef: ref, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED };
      const pending = run.pendingUpdates.get(updateId);
      if (!known && !pending) {
        if (!run.isRunning) throw notFound('workflow execution already completed');
        throw notFound(`update ${updateId} not found`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.e.stopped) return { updateRef: ref, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED };
      const result = await new Promise<UpdateWaitResult | 'tick'>((resolve) => {
        let settled = false;
        const finish = (value: UpdateWaitResult | 'tick'): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          run.removeHistoryWaiter(wake);
          if (pending) pending.waiters = pending.waiters.filter((w) => w !== onOutcome);
          resolve(value);
        };
        const wake = (): void => finish('tick');
        const onOutcome = (r: UpdateWaitResult): void => finish(r);
        const timer = setTimeout(() => finish('tick'), remaining);
        run.addHistoryWaiter(wake);
        if (pending) pending.waiters.push(onOutcome);
      });
      if (result !== 'tick') {
        if (result.stage === 'completed') return { updateRef: ref, outcome: result.outcome, stage: Stage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED };
        if (result.stage === 'closed') throw notFound('workflow execution already completed');
      }
    }
  }

  applyProtocolMessage(run: WorkflowRun, message: temporal.api.protocol.v1.IMessage, completedId: number): void {
    const body = unpackAny(message.body as never);
    if (!body) return;
    const now = this.e.clock.now();
    const updateId = message.protocolInstanceId ?? '';
    if (body.typeName === T.updateAcceptance) {
      const acceptance = body.value as temporal.api.update.v1.IAcceptance;
      const pending = run.pendingUpdates.get(updateId);
      const request = acceptance.acceptedRequest ?? (pending ? decodeMessage(T.updateRequest, pending.request) : null);
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
        {
          protocolInstanceId: updateId,
          acceptedRequestMessageId: acceptance.acceptedRequestMessageId,
          acceptedRequestSequencingEventId: acceptance.acceptedRequestSequencingEventId,
          acceptedRequest: request,
        },
        now,
      );
      if (pending) {
        run.removePendingUpdate(updateId);
        for (const w of pending.waiters) w({ stage: 'accepted' });
      }
    } else if (body.typeName === T.updateResponse) {
      const response = body.value as temporal.api.update.v1.IResponse;
      let acceptedEventId = 0;
      for (const e of run.history) {
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId === updateId) {
          acceptedEventId = toNumberId(e.eventId);
        }
      }
      run.append(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
        { meta: response.meta ?? { updateId }, acceptedEventId, outcome: response.outcome },
        now,
      );
    }
    void completedId;
  }

  applyRejections(run: WorkflowRun, messages: Map<string, temporal.api.protocol.v1.IMessage>): void {
    for (const message of messages.values()) {
      const body = unpackAny(message.body as never);
      if (!body || body.typeName !== T.updateRejection) continue;
      const rejection = body.value as temporal.api.update.v1.IRejection;
      const updateId = message.protocolInstanceId ?? '';
      const pending = run.pendingUpdates.get(updateId);
      if (!pending) continue;
      run.removePendingUpdate(updateId);
      for (const w of pending.waiters) w({ stage: 'completed', outcome: { failure: rejection.failure } });
    }
  }
}
