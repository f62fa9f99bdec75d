// One workflow per report (id `report-<reportId>`): hosts the decider, stores its events, keeps its deadlines.

import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decide,
  DecideOptions,
  evolve,
  IllegalStepError,
  initialState,
  Metadata,
  nextDeadline,
  ReportCommand,
  ReportEffect,
  reportEffects,
  ReportEvent,
  ReportState,
  RequestClock,
  runningClocks,
} from '@engine/domain';
import type { ReportLifecycleActivities } from './report-lifecycle.activities';
import { DeciderHost } from './support/decider-host';
import {
  ACTION_EXPIRED_FAILURE,
  ACTION_STORE_GRACE_MS,
  Action,
  applyPolicyUpdate,
  ILLEGAL_STEP_FAILURE,
  PolicyApplicationOutcome,
  policyChangedSignal,
  reportActionUpdates,
  ReportActionType,
  ReportLifecycleInput,
  reportStateQuery,
  UNFILED_TIMEOUT_MS,
} from './report-lifecycle.messages';

const { appendReportEvents, loadReportStream } = proxyActivities<ReportLifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Outside systems may be down for hours: keep retrying, visibly (the gateway logs every attempt).
const { contactPlatform, joinAppStoreDossier, leaveAppStoreDossier } = proxyActivities<ReportLifecycleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** Continue as new well before the history gets large; the state travels along. */
const HISTORY_LIMIT = 2_000;
const TIMER_ACTOR = 'system:timer';
/** How long a policy rollout's update waits for a case's filing under way (the filing's own limit is far shorter). */
const FILING_WAIT_MS = 60_000;

/** One request to the case: a command, and for a back-office action the instant after which it must not be applied. */
interface CaseRequest {
  command: ReportCommand;
  notAfter?: string;
}

export async function reportLifecycle(input: ReportLifecycleInput): Promise<void> {
  const carried = input.carried ?? initialState();
  const host = new DeciderHost<CaseRequest, ReportState, ReportEvent>({
    state: carried,
    version: carried.version,
    /**
     * An action whose `notAfter` passed while it waited behind others is refused before anything is stored (the
     * caller has been told it was not applied). Behind a patch: actions recorded before carried no such check.
     */
    decide: ({ command, notAfter }, state) => {
      if (actionLimit(notAfter) !== undefined) refuseIfExpired(notAfter!);
      return decideOrFail(command, state, rulesInForce(command));
    },
    evolve,
    append: (events, expectedVersion, { notAfter }) => {
      // A time-limited action's append gives up storing shortly after the limit (the API has answered by then).
      const limit = actionLimit(notAfter);
      const storeBefore = limit !== undefined ? { storeBefore: new Date(limit + ACTION_STORE_GRACE_MS).toISOString() } : {};
      return appendReportEvents({ reportId: input.reportId, expectedVersion, events, ...storeBefore });
    },
    // Outbound messages retry until delivered (every failed attempt is in the sent-messages log), so the
    // reactions of later events wait behind an undeliverable one; a failure of another kind is logged. Leaving
    // the dossier is a step of its own, after the others, as it has been since it was added.
    reactions: 'behind',
    react: ({ before, events }) => {
      const effects = reportEffects(before, events);
      return [
        () => carryOut(effects.filter((effect) => effect.type !== 'LeaveAppStoreDossier')),
        () => carryOut(effects.filter((effect) => effect.type === 'LeaveAppStoreDossier')),
      ];
    },
    onReactionFailure: (error) => log.error('reaction to stored events failed', { error }),
  });
  // A fresh run of a case whose earlier run ended (terminated, or lost with a Temporal cluster) picks up the
  // stream where it stands, before any decision: a second filing is then refused as such, and the case lives
  // on, instead of deciding on an empty state and conflicting at version 0. A continued run carries its state.
  if (!input.carried && patched('load-report-stream')) {
    host.reload(() => loadReportStream({ reportId: input.reportId })).catch((error: unknown) => log.error('reading the case from its stream failed', { error }));
  }
  /** The stream's version the main loop last looked at: a decision stored since wakes it. */
  let seenVersion = host.version;

  const now = () => new Date(Date.now()).toISOString();
  const metadata = (actor: string, correlationId?: string, expectedVersion?: number): Metadata => ({
    actor,
    now: now(),
    ...(correlationId && { correlationId }),
    ...(expectedVersion !== undefined && { expectedVersion }),
  });
  const execute = (command: ReportCommand, notAfter?: string): Promise<ReportState> => host.execute({ command, notAfter });

  setHandler(reportStateQuery, () => host.state);

  for (const type of Object.keys(reportActionUpdates) as ReportActionType[]) {
    const toCommand = (action: Action): ReportCommand =>
      ({ type, data: action.data, metadata: metadata(action.actor, action.correlationId, action.expectedVersion) }) as ReportCommand;
    setHandler(reportActionUpdates[type], (action: Action) => execute(toCommand(action), action.notAfter), {
      // Refuses an illegal step before it reaches history: the update is rejected with the domain's reason. So
      // is an action that reached the worker too late (validators run live, never on replay). While a fresh run
      // still reads the case from its stream, only a filing's input is judged here (on the empty state the run
      // began with); whether the case exists already, and every other action, the handler's decision judges.
      validator: (action: Action) => {
        if (action.notAfter !== undefined) refuseIfExpired(action.notAfter);
        if (!host.loading() || type === 'FileReport') decideOrFail(toCommand(action), host.state);
      },
    });
  }

  setHandler(policyChangedSignal, ({ policy, actor, reason }) => {
    // A signal cannot be refused; a policy a case cannot take (already newer, another platform) is skipped.
    // Anything else is logged: rethrown from this detached promise it would fail every workflow task.
    execute({ type: 'ApplyPolicy', data: { policy, reason }, metadata: metadata(actor) }).catch((error) => {
      if (!isIllegalStep(error)) log.error('applying a changed policy failed', { error });
    });
  });

  setHandler(applyPolicyUpdate, async ({ policy, actor, reason }): Promise<PolicyApplicationOutcome> => {
    // A case whose filing is under way takes the version once filed (its filing may have read the one before).
    if (host.state.status === 'not-filed' && !(await condition(() => host.state.status !== 'not-filed', FILING_WAIT_MS))) return { outcome: 'not-filed' };
    try {
      await execute({ type: 'ApplyPolicy', data: { policy, reason }, metadata: metadata(actor) });
      return { outcome: 'applied' };
    } catch (error) {
      if (!isIllegalStep(error)) throw error;
      const code = illegalStepCode(error);
      if (code === 'case-closed') return { outcome: 'closed' };
      if (code === 'policy-version-not-newer') return { outcome: 'already-following' };
      return { outcome: 'refused', reason: (error as Error).message };
    }
  });

  if (host.state.status === 'not-filed') {
    const filed = await condition(() => host.state.status !== 'not-filed', UNFILED_TIMEOUT_MS);
    if (!filed) {
      await condition(allHandlersFinished);
      // A filing in flight when the hour ran out may have completed meanwhile: then the case lives on.
      if (host.state.status === 'not-filed') return; // nobody filed through this workflow: it leaves nothing behind
    }
  }

  for (;;) {
    const due = nextDeadline(host.state);
    const wake = () => host.version !== seenVersion || workflowInfo().continueAsNewSuggested;
    // A durable timer to the nearest deadline; a new decision (pause, resume, policy) wakes the loop earlier.
    if (due === undefined) await condition(wake);
    else await condition(wake, Math.max(1, due - Date.now()));
    seenVersion = host.version;
    if (due !== undefined && Date.now() >= due) {
      for (const clock of overdueClocks(host.state)) {
        await execute({ type: 'RecordDeadlineElapsed', data: { clock: clock.kind, step: clock.step }, metadata: metadata(TIMER_ACTOR) }).catch(ignoreIllegalStep);
      }
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
      // Nothing may be lost across the new run: no handler, decision or reaction still going.
      await condition(() => allHandlersFinished() && host.idle());
      await continueAsNew<typeof reportLifecycle>({ reportId: input.reportId, carried: host.state, historyLimit: input.historyLimit });
    }
  }

}

/**
 * Carries out what stored events ask of the outside world (the domain's `reportEffects`), one after the other.
 * Leaving the dossier is behind a patch: histories recorded before it existed replay without it.
 */
async function carryOut(effects: ReportEffect[]): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'ContactPlatform':
        await contactPlatform(effect.message);
        break;
      case 'JoinAppStoreDossier':
        await joinAppStoreDossier({ platform: effect.platform, reportId: effect.reportId, actor: effect.actor });
        break;
      case 'LeaveAppStoreDossier':
        if (!patched('leave-app-store-dossier')) break;
        await leaveAppStoreDossier({ platform: effect.platform, reportId: effect.reportId, actor: effect.actor, reason: effect.reason });
        break;
      default: {
        const _exhaustive: never = effect;
        return _exhaustive;
      }
    }
  }
}

/** The epoch ms after which a time-limited action must not be applied (behind a patch: see the host's decide). */
function actionLimit(notAfter: string | undefined): number | undefined {
  const limit = notAfter !== undefined && patched('action-not-after') ? Date.parse(notAfter) : NaN;
  return Number.isFinite(limit) ? limit : undefined;
}

/** Refuses, in workflow time, an action the API has stopped waiting for. */
function refuseIfExpired(notAfter: string): void {
  const limit = Date.parse(notAfter);
  if (Number.isNaN(limit) || Date.now() <= limit) return;
  throw ApplicationFailure.create({
    type: ACTION_EXPIRED_FAILURE,
    message: `The action reached the case ${Date.now() - limit} ms after its time limit (${notAfter}); it was not applied.`,
    nonRetryable: true,
  });
}

/**
 * The domain's rules for a decision in the handler. Rules added after cases were running apply behind a patch,
 * so that histories recorded before them replay (validators run live only: they always take today's rules).
 */
function rulesInForce(command: ReportCommand): DecideOptions {
  if (command.type !== 'RequestDeletion' && command.type !== 'RequestSubscriberData') return {};
  return { requestsFollowTriage: patched('requests-follow-triage') };
}

/** The domain's refusal, as a failure the client sees with the reason, the code and the case's version. */
function decideOrFail(command: ReportCommand, state: ReportState, options: DecideOptions = {}): ReportEvent[] {
  try {
    return decide(command, state, options);
  } catch (error) {
    if (error instanceof IllegalStepError) {
      throw ApplicationFailure.create({ type: ILLEGAL_STEP_FAILURE, message: error.message, details: [{ code: error.code, version: state.version }], nonRetryable: true });
    }
    throw error;
  }
}

function isIllegalStep(error: unknown): boolean {
  return error instanceof ApplicationFailure && error.type === ILLEGAL_STEP_FAILURE;
}

function illegalStepCode(error: unknown): string | undefined {
  const [details] = (error as ApplicationFailure).details ?? [];
  return (details as { code?: string } | undefined)?.code;
}

function ignoreIllegalStep(error: unknown): void {
  if (!isIllegalStep(error)) throw error;
}

function overdueClocks(state: ReportState): RequestClock[] {
  return runningClocks(state).filter((clock) => Date.parse(clock.deadline) <= Date.now());
}
