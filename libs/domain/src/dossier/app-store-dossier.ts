// App-store pressure is collective: a platform's escalated reports gather in a dossier that is filed with the
// app stores once enough reports are waiting or the filing interval has passed. This is its decider.

import { IllegalStepError } from '../errors';
import { Command, Decider, Event } from '../event-sourcing';
import { isValidDuration, parseDuration } from '../time/duration';
import { toInstant, toMillis } from '../time/instant';

export interface DossierRules {
  /** File as soon as this many reports are waiting. */
  threshold: number;
  /** File at the latest this long (ISO 8601) after the first report joined, however few are waiting. */
  interval: string;
}

export const DEFAULT_DOSSIER_RULES: DossierRules = { threshold: 10, interval: 'P7D' };

export interface DossierEntry {
  reportId: string;
  joinedAt: string;
}

export type AddReportToDossier = Command<'AddReportToDossier', { reportId: string }>;
/** Sent by the dossier's timer, or by an admin who wants it filed now. */
export type FileDossier = Command<'FileDossier', { trigger: 'threshold' | 'interval' | 'admin' }>;
/** The platform answered, or the case closed, before the dossier was filed: the report no longer belongs in it. */
export type WithdrawReportFromDossier = Command<'WithdrawReportFromDossier', { reportId: string; reason: 'answered' | 'closed' }>;
/** An admin's new threshold and interval for the dossier, in force at once. */
export type ChangeDossierRules = Command<'ChangeDossierRules', DossierRules>;
export type DossierCommand = AddReportToDossier | FileDossier | WithdrawReportFromDossier | ChangeDossierRules;

export type ReportAddedToDossier = Event<'ReportAddedToDossier', { reportId: string }>;
export type AppStoreDossierFiled = Event<
  'AppStoreDossierFiled',
  { dossierNumber: number; reportIds: string[]; trigger: 'threshold' | 'interval' | 'admin' }
>;
export type ReportWithdrawnFromDossier = Event<'ReportWithdrawnFromDossier', { reportId: string; reason: 'answered' | 'closed' }>;
/** Recorded so that the rules survive the dossier's workflow: a fresh run folds them from the stream. */
export type DossierRulesChanged = Event<'DossierRulesChanged', DossierRules>;
export type DossierEvent = ReportAddedToDossier | AppStoreDossierFiled | ReportWithdrawnFromDossier | DossierRulesChanged;

export interface DossierState {
  platform: string;
  rules: DossierRules;
  pending: DossierEntry[];
  /** How many dossiers were filed so far; the next one gets this number + 1. */
  filed: number;
  /** Every report that was ever filed in a dossier, so a report joins at most once. */
  filedReportIds: string[];
}

/** Why rules cannot be used (empty when they can): a whole threshold of at least 1, an ISO 8601 interval. */
export function dossierRulesProblems(rules: DossierRules): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(rules.threshold) || rules.threshold < 1) problems.push(`threshold ${rules.threshold} is not a whole number of at least 1`);
  if (!isValidDuration(rules.interval)) problems.push(`interval "${rules.interval}" is not an ISO 8601 duration such as P7D`);
  return problems;
}

/**
 * New rules for a running dossier, applied without an event: how dossier workflows took them before the change
 * was recorded (`ChangeDossierRules`), kept for replaying their histories. The interval counts from the first
 * waiting report's joining as before; a threshold the waiting reports already reach has the dossier filed at once
 * (`fileNow`).
 */
export function changeDossierRules(state: DossierState, rules: DossierRules): { state: DossierState; fileNow: boolean } {
  refuseInvalidRules(rules);
  const changed = { ...state, rules: { threshold: rules.threshold, interval: rules.interval } };
  return { state: changed, fileNow: thresholdReached(changed) };
}

function refuseInvalidRules(rules: DossierRules): void {
  const problems = dossierRulesProblems(rules);
  if (problems.length > 0) throw new IllegalStepError('invalid-input', `The dossier rules are invalid: ${problems.join('; ')}.`);
}

/** Reports are waiting, and at least as many as the threshold. */
function thresholdReached(state: DossierState): boolean {
  return state.pending.length > 0 && state.pending.length >= state.rules.threshold;
}

export function initialDossierState(platform: string, rules: DossierRules = DEFAULT_DOSSIER_RULES): DossierState {
  return { platform, rules, pending: [], filed: 0, filedReportIds: [] };
}

/** When the pending reports must be filed at the latest, or undefined when none are waiting. */
export function dossierDueAt(state: DossierState): string | undefined {
  const first = state.pending[0];
  return first ? toInstant(toMillis(first.joinedAt) + parseDuration(state.rules.interval)) : undefined;
}

export function decideDossier(command: DossierCommand, state: DossierState): DossierEvent[] {
  const { metadata } = command;
  switch (command.type) {
    case 'AddReportToDossier': {
      const { reportId } = command.data;
      if (state.pending.some((entry) => entry.reportId === reportId) || state.filedReportIds.includes(reportId)) {
        throw new IllegalStepError('invalid-input', `Report ${reportId} is already in an app-store dossier of ${state.platform}.`);
      }
      const added: ReportAddedToDossier = { type: 'ReportAddedToDossier', data: { reportId }, metadata };
      const reachesThreshold = state.pending.length + 1 >= state.rules.threshold;
      return reachesThreshold ? [added, filing(evolveDossier(state, added), 'threshold', metadata)] : [added];
    }
    case 'FileDossier': {
      if (state.pending.length === 0) {
        throw new IllegalStepError('invalid-input', `No escalated report of ${state.platform} is waiting for an app-store dossier.`);
      }
      const due = dossierDueAt(state);
      if (command.data.trigger === 'interval' && due && toMillis(metadata.now) < toMillis(due)) {
        throw new IllegalStepError('deadline-not-reached', `The dossier of ${state.platform} is not due before ${due}.`);
      }
      return [filing(state, command.data.trigger, metadata)];
    }
    case 'WithdrawReportFromDossier': {
      const { reportId, reason } = command.data;
      if (!state.pending.some((entry) => entry.reportId === reportId)) {
        throw new IllegalStepError('invalid-input', `Report ${reportId} is not waiting in the app-store dossier of ${state.platform}.`);
      }
      return [{ type: 'ReportWithdrawnFromDossier', data: { reportId, reason }, metadata }];
    }
    case 'ChangeDossierRules': {
      const rules = { threshold: command.data.threshold, interval: command.data.interval };
      refuseInvalidRules(rules);
      if (rules.threshold === state.rules.threshold && rules.interval === state.rules.interval) return [];
      // The interval counts from the first waiting report's joining as before; a threshold the waiting reports
      // already reach files the dossier at once.
      const changed: DossierRulesChanged = { type: 'DossierRulesChanged', data: rules, metadata };
      const after = evolveDossier(state, changed);
      return thresholdReached(after) ? [changed, filing(after, 'threshold', metadata)] : [changed];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function filing(state: DossierState, trigger: AppStoreDossierFiled['data']['trigger'], metadata: DossierCommand['metadata']): AppStoreDossierFiled {
  return {
    type: 'AppStoreDossierFiled',
    data: { dossierNumber: state.filed + 1, reportIds: state.pending.map((entry) => entry.reportId), trigger },
    metadata,
  };
}

export function evolveDossier(state: DossierState, event: DossierEvent): DossierState {
  switch (event.type) {
    case 'ReportAddedToDossier':
      return { ...state, pending: [...state.pending, { reportId: event.data.reportId, joinedAt: event.metadata.now }] };
    case 'AppStoreDossierFiled':
      return {
        ...state,
        pending: state.pending.filter((entry) => !event.data.reportIds.includes(entry.reportId)),
        filed: event.data.dossierNumber,
        filedReportIds: [...state.filedReportIds, ...event.data.reportIds],
      };
    case 'ReportWithdrawnFromDossier':
      return { ...state, pending: state.pending.filter((entry) => entry.reportId !== event.data.reportId) };
    case 'DossierRulesChanged':
      return { ...state, rules: { threshold: event.data.threshold, interval: event.data.interval } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * The rules an admin last recorded on the dossier's stream, or undefined when none were: what a dossier that
 * starts now applies (its run folds the stream over the worker's configured rules).
 */
export function recordedDossierRules(events: readonly DossierEvent[]): DossierRules | undefined {
  let recorded: DossierRules | undefined;
  for (const event of events) if (event.type === 'DossierRulesChanged') recorded = { threshold: event.data.threshold, interval: event.data.interval };
  return recorded;
}

/** What the dossier's stored events ask of the outside world: a filed dossier goes to the app stores. */
export type DossierEffect = { type: 'SendDossierToAppStores'; platform: string; dossier: AppStoreDossierFiled['data'] };

export function dossierEffects(state: DossierState, events: readonly DossierEvent[]): DossierEffect[] {
  return events.flatMap((event): DossierEffect[] => (event.type === 'AppStoreDossierFiled' ? [{ type: 'SendDossierToAppStores', platform: state.platform, dossier: event.data }] : []));
}

export const dossierDecider = (platform: string, rules?: DossierRules): Decider<DossierState, DossierCommand, DossierEvent> => ({
  decide: decideDossier,
  evolve: evolveDossier,
  initialState: () => initialDossierState(platform, rules),
});
