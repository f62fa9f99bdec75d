// The activities of a platform's dossier workflow: their shape only. The worker app implements them.

import { AppStoreDossierFiled, DossierEvent, DossierRules, DossierState } from '@engine/domain';

export interface PlatformDossierActivities {
  /**
   * The dossier as its stream has it: what a new run (not a continued one) starts from. Under the given rules
   * (the configured ones), unless an admin's change is recorded on the stream.
   */
  loadDossier(input: { platform: string; rules?: DossierRules }): Promise<{ state: DossierState; version: number }>;
  /** Appends to the stream `platform-<platform>` at the expected version. */
  appendDossierEvents(input: { platform: string; expectedVersion: number; events: DossierEvent[] }): Promise<void>;
  /** Sends the dossier (each report with its history) to the app stores through the platform gateway. */
  fileAppStoreDossier(input: { platform: string; dossier: AppStoreDossierFiled['data'] }): Promise<void>;
}
