// Per-platform figures for cooperation scorecards, from the read model; a platform's app-store dossier.

import type { DossierRules } from '@engine/domain';
import type { PlatformScorecard } from '@engine/read-model';

/** A report waiting in the dossier: since when, and who sent it there (the timer on a deadline, or staff). */
export interface DossierMember {
  reportId: string;
  addedAt: string;
  addedBy: string;
}

/** One filing with the app stores. */
export interface DossierFiling {
  dossierNumber: number;
  reportIds: string[];
  trigger: 'threshold' | 'interval' | 'admin';
  filedAt: string;
  filedBy: string;
}

/** A platform's dossier: members and filings from its event stream, the rules from its running workflow. */
export interface PlatformDossier {
  platform: string;
  /** Whether the dossier's workflow runs (it starts with the platform's first report at app-store pressure). */
  running: boolean;
  /** The threshold and interval the running dossier applies; null when none runs. */
  rules: DossierRules | null;
  /** When the interval files the waiting reports, if any wait; null otherwise. */
  nextFilingDueAt: string | null;
  members: DossierMember[];
  filings: DossierFiling[];
}

export abstract class PlatformsService {
  abstract scorecard(platform: string, period: { from: string; to: string }): Promise<PlatformScorecard>;
  /** The app-store dossier (empty, not running, when no report of the platform reached app-store pressure). */
  abstract dossier(platform: string): Promise<PlatformDossier>;
}
