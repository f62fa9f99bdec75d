// Temporal messages of a platform's app-store dossier workflow (id `platform-<platform>`).

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { DossierRules, DossierState } from '@engine/domain';

export interface PlatformDossierInput {
  platform: string;
  rules?: DossierRules;
  /** On a continued run: the state folded so far and the stream's version. */
  carried?: DossierState;
  carriedVersion?: number;
  /** Continue as new past this many history events (default 2,000; tests set it low). */
  historyLimit?: number;
}

export const reportEscalatedToAppStoresSignal = defineSignal<[{ reportId: string; actor: string }]>('reportEscalatedToAppStores');
export const reportLeftAppStoresSignal = defineSignal<[{ reportId: string; actor: string; reason: 'answered' | 'closed' }]>('reportLeftAppStores');
export const fileDossierNowSignal = defineSignal<[{ actor: string }]>('fileDossierNow');
export const dossierStateQuery = defineQuery<DossierState>('dossierState');
/** An admin's new threshold and interval for the running dossier; answers the rules in force (invalid ones are refused unrecorded). */
export const changeDossierRulesUpdate = defineUpdate<DossierRules, [{ rules: DossierRules; actor: string }]>('changeDossierRules');
