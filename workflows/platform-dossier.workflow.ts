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
  let state: DossierState = input.carried ?? initialDossierState(input.platform, input.rules);
  /** The stream's version: one per stored event, carried across runs. */
  let version = input.carriedVersion ?? 0;
  const inbox: DossierCommand[] = [];
  /** Set by an admin's rules change: wakes the loop so that the interval's timer is set anew. */
  let rulesChanged = false;

  setHandler(dossierStateQuery, () => state);
  setHandler(reportEscalatedToAppStoresSignal, ({ reportId, actor }) => {
    inbox.push({ type: 'AddReportToDossier', data: { reportId }, metadata: { actor, now: new Date(Date.now()).toISOString() } });
  });
  setHandler(reportLeftAppStoresSignal, ({ reportId, actor, reason }) => {
    inbox.push({ type: 'WithdrawReportFromDossier', data: { reportId, reason }, metadata: { actor, now: new Date(Date.now()).toISOString() } });
  });
  setHandler(fileDossierNowSignal, ({ actor }) => {
    inbox.push({ type: 'FileDossier', data: { trigger: 'admin' }, metadata: { actor, now: new Date(Date.now()).toISOString() } });
  });
  // Histories before this update have none of it: the loop's wait below behaves as before for them (replay-safe
  // without a patch, as tests/lifecycle/workflow-replay checks). The rules travel on with continue-as-new.
  setHandler(
    changeDossierRulesUpdate,
    ({ rules, actor }) => {
      const changed = changeDossierRules(state, rules);
      state = changed.state;
      if (changed.fileNow) inbox.push({ type: 'FileDossier', data: { trigger: 'threshold' }, metadata: { actor, now: new Date(Date.now()).toISOString() } });
      rulesChanged = true;
      return state.rules;
    },
    {
      validator: ({ rules }) => {
        const problems = dossierRulesProblems(rules);
        if (problems.length > 0) throw ApplicationFailure.nonRetryable(`The dossier rules are invalid: ${problems.join('; ')}.`, 'InvalidDossierRules');
      },
    },
  );

  // A new run after one that ended (failed, terminated to take new rules) picks up the stream where it stands,
  // instead of starting empty at version 0 and conflicting with what is stored. Handlers come first, so that
  // queries are answered and signals queued meanwhile.
  if (!input.carried && patched('load-dossier-stream')) ({ state, version } = await loadDossier({ platform: input.platform, rules: input.rules }));

  for (;;) {
    const due = dossierDueAt(state);
    if (due === undefined) await condition(() => inbox.length > 0 || rulesChanged);
    else await condition(() => inbox.length > 0 || rulesChanged, Math.max(1, Date.parse(due) - Date.now()));
    rulesChanged = false;
    if (inbox.length === 0 && due !== undefined && Date.now() >= Date.parse(due)) {
      inbox.push({ type: 'FileDossier', data: { trigger: 'interval' }, metadata: { actor: 'system:timer', now: new Date(Date.now()).toISOString() } });
    }
    while (inbox.length > 0) {
      const command = inbox.shift()!;
      let events: DossierEvent[];
      try {
        events = decideDossier(command, state);
      } catch (error) {
        if (error instanceof IllegalStepError) continue; // a report already in a dossier, an empty filing: nothing to do
        throw ApplicationFailure.fromError(error);
      }
      try {
        await appendDossierEvents({ platform: input.platform, expectedVersion: version, events });
      } catch (error) {
        // Events the store refuses for what they hold would be refused on every retry: this command is dropped,
        // loudly, and the dossier goes on with the next (until now such an append never failed, so replay-safe).
        if (!isUnstorable(error)) throw error;
        log.error('a dossier command was dropped: the event store refuses its events', { command: command.type, reason: error.cause?.message });
        continue;
      }
      version += events.length;
      const effects = dossierEffects(state, events);
      state = events.reduce(evolveDossier, state);
      for (const effect of effects) await carryOut(effect);
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.historyLimit ?? HISTORY_LIMIT)) {
      await condition(allHandlersFinished);
      if (inbox.length === 0) {
        await continueAsNew<typeof platformDossier>({
          platform: input.platform,
          rules: state.rules,
          carried: state,
          carriedVersion: version,
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
