// One long-running workflow per platform that gathers escalated reports and files them with the app stores.

import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  changeDossierRules,
  decideDossier,
  DossierCommand,
  DossierEffect,
  dossierEffects,
  DossierEvent,
  dossierDueAt,
  dossierRulesProblems,
  DossierState,
  evolveDossier,
  IllegalStepError,
  initialDossierState,
} from '@engine/domain';
import type { PlatformDossierActivities } from './platform-dossier.activities';
import {
  changeDossierRulesUpdate,
  dossierStateQuery,
  fileDossierNowSignal,
  PlatformDossierInput,
  reportEscalatedToAppStoresSignal,
  reportLeftAppStoresSignal,
} from './platform-dossier.messages';
import { UNSTORABLE_EVENT_FAILURE } from './report-lifecycle.messages';
import { DeciderHost } from './support/decider-host';

const { appendDossierEvents, loadDossier } = proxyActivities<PlatformDossierActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { fileAppStoreDossier } = proxyActivities<PlatformDossierActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const HISTORY_LIMIT = 2_000;

export async function platformDossier(input: PlatformDossierInput): Promise<void> {
  // Runs recorded before this patch sent each filing to the app stores before taking the next decision; now a
  // filing goes behind the decisions, so that an admin's rules change never waits for the app stores.
  const reactionsBehind = patched('dossier-reactions-behind');
  const host = new DeciderHost<DossierCommand, DossierState, DossierEvent>({
    state: input.carried ?? initialDossierState(input.platform, input.rules),
    /** The stream's version: one per stored event, carried across runs. */
    version: input.carriedVersion ?? 0,
    decide: (command, state) => {
      try {
        return decideDossier(command, state);
      } catch (error) {
        if (error instanceof IllegalStepError) throw error;
        throw ApplicationFailure.fromError(error);
      }
    },
    evolve: evolveDossier,
    append: (events, expectedVersion) => appendDossierEvents({ platform: input.platform, expectedVersion, events }),
    reactions: reactionsBehind ? 'behind' : 'in-line',
    react: ({ before, events }) => dossierEffects(before, events).map((effect) => () => carryOut(effect)),
    onReactionFailure: (error) => log.error('sending a filed dossier to the app stores failed', { error }),
  });
  const inbox: DossierCommand[] = [];
  /** Set by an admin's rules change: wakes the loop so that the interval's timer is set anew. */
  let rulesChanged = false;
  const now = () => new Date(Date.now()).toISOString();

  setHandler(dossierStateQuery, () => host.state);
  setHandler(reportEscalatedToAppStoresSignal, ({ reportId, actor }) => {
    inbox.push({ type: 'AddReportToDossier', data: { reportId }, metadata: { actor, now: now() } });
  });
  setHandler(reportLeftAppStoresSignal, ({ reportId, actor, reason }) => {
    inbox.push({ type: 'WithdrawReportFromDossier', data: { reportId, reason }, metadata: { actor, now: now() } });
  });
  setHandler(fileDossierNowSignal, ({ actor }) => {
    inbox.push({ type: 'FileDossier', data: { trigger: 'admin' }, metadata: { actor, now: now() } });
  });
  // The rules are recorded on the dossier's stream (DossierRulesChanged), so that a fresh run after one that ended
  // or was terminated folds them back; they also travel on with continue-as-new. A threshold the waiting reports
  // already reach files the dossier at once, in the same decision. Histories before the update have none of it
  // (replay-safe without a patch); those with it but before the rules were recorded replay the unrecorded change.
  setHandler(
    changeDossierRulesUpdate,
    async ({ rules, actor }) => {
      if (patched('dossier-rules-recorded')) {
        await host.execute({ type: 'ChangeDossierRules', data: rules, metadata: { actor, now: now() } }).catch((error: unknown) => {
          if (error instanceof IllegalStepError) throw ApplicationFailure.nonRetryable(error.message, 'InvalidDossierRules');
          throw error;
        });
      } else {
        const changed = changeDossierRules(host.state, rules);
        host.amendUnrecorded(() => changed.state);
        if (changed.fileNow) inbox.push({ type: 'FileDossier', data: { trigger: 'threshold' }, metadata: { actor, now: now() } });
      }
      rulesChanged = true;
      return host.state.rules;
    },
    {
      validator: ({ rules }) => {
        const problems = dossierRulesProblems(rules);
        if (problems.length > 0) throw ApplicationFailure.nonRetryable(`The dossier rules are invalid: ${problems.join('; ')}.`, 'InvalidDossierRules');
      },
    },
  );

  // A new run after one that ended (failed, terminated) picks up the stream where it stands, rules recorded by an
  // admin included, instead of starting empty at version 0 and conflicting with what is stored. Handlers come
  // first, so that queries are answered and signals queued meanwhile.
  if (!input.carried && patched('load-dossier-stream')) await host.reload(() => loadDossier({ platform: input.platform, rules: input.rules }));

  for (;;) {
    const due = dossierDueAt(host.state);
    if (due === undefined) await condition(() => inbox.length > 0 || rulesChanged);
    else await condition(() => inbox.length > 0 || rulesChanged, Math.max(1, Date.parse(due) - Date.now()));
    rulesChanged = false;
    if (inbox.length === 0 && due !== undefined && Date.now() >= Date.parse(due)) {
      inbox.push({ type: 'FileDossier', data: { trigger: 'interval' }, metadata: { actor: 'system:timer', now: now() } });
    }
    while (inbox.length > 0) {
      const command = inbox.shift()!;
      try {
        await host.execute(command);
      } catch (error) {
        if (error instanceof IllegalStepError) continue; // a report already in a dossier, an empty filing: nothing to do
        // Events the store refuses for what they hold would be refused on every retry: this command is dropped,
        // loudly, and the dossier goes on with the next (until now such an append never failed, so replay-safe).
        if (!isUnstorable(error)) throw error;
        log.error('a dossier command was dropped: the event store refuses its events', { command: command.type, reason: error.cause?.message });
      }
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
      // Nothing may be lost across the new run: no handler, decision or filing still going.
      await condition(() => allHandlersFinished() && host.idle());
      if (inbox.length === 0) {
        await continueAsNew<typeof platformDossier>({
          platform: input.platform,
          rules: host.state.rules,
          carried: host.state,
          carriedVersion: host.version,
          historyLimit: input.historyLimit,
        });
      }
    }
  }
}

/** Carries out what the dossier's stored events ask of the outside world (the domain's `dossierEffects`). */
async function carryOut(effect: DossierEffect): Promise<void> {
  switch (effect.type) {
    case 'SendDossierToAppStores':
      await fileAppStoreDossier({ platform: effect.platform, dossier: effect.dossier });
      break;
    default: {
      const _exhaustive: never = effect.type;
      return _exhaustive;
    }
  }
}

function isUnstorable(error: unknown): error is ActivityFailure {
  return error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === UNSTORABLE_EVENT_FAILURE;
}
