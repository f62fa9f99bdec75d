// The activities of a platform's dossier workflow: their shape only. The worker app implements them.

import { AppStoreDossierFiled, DossierEvent } from '@engine/domain';

export interface PlatformDossierActivities {
  /** Appends to the stream `platform-<platform>` at the expected version. */
  appendDossierEvents(input: { platform: string; expectedVersion: number; events: DossierEvent[] }): Promise<void>;
  /** Sends the dossier (each report with its history) to the app stores through the platform gateway. */
  fileAppStoreDossier(input: { platform: string; dossier: AppStoreDossierFiled['data'] }): Promise<void>;
}
