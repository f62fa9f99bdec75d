// Per-platform figures for cooperation scorecards, from the read model; a platform's app-store dossier.

import type { CooperationReport, DossierRules, ReportingPeriod } from '@engine/domain';
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

export const DOSSIER_RULES_SOURCES = ['running', 'recorded'] as const;
export type DossierRulesSource = (typeof DOSSIER_RULES_SOURCES)[number];

/** A platform's dossier: members and filings from its event stream, the rules from its running workflow. */
export interface PlatformDossier {
  platform: string;
  /** Whether the dossier's workflow runs (it starts with the platform's first report at app-store pressure). */
  running: boolean;
  /**
   * The threshold and interval the running dossier applies; when none runs, those an admin recorded on the
   * dossier's stream, which the next dossier applies; null when none runs and none were recorded (the worker's
   * DOSSIER_THRESHOLD and DOSSIER_INTERVAL then apply, which the API does not know).
   */
  rules: DossierRules | null;
  /** Where `rules` come from: the running dossier, the stream's record, or null with no rules. */
  rulesSource: DossierRulesSource | null;
  /** When the interval files the waiting reports, if any wait; null otherwise. */
  nextFilingDueAt: string | null;
  members: DossierMember[];
  filings: DossierFiling[];
}

/** What an admin asked of a dossier that cannot be done now (HTTP 409 with the code). */
export class DossierConflictError extends Error {
  override readonly name = 'DossierConflictError';
  constructor(
    readonly code: 'no-dossier-running' | 'dossier-empty',
    message: string,
  ) {
    super(message);
  }
}

/** An admin's filing request, taken: these reports go to the app stores (the filing follows within moments). */
export interface DossierFilingRequest {
  platform: string;
  reportIds: string[];
  requestedBy: string;
}

/** A platform the engine knows, with the policy version in force for new cases. */
export interface PlatformOverview {
  /** The name its cases, policy and dossier are stored under: in lower case, unless it had cases before the registry. */
  platform: string;
  /** How an admin spelled it when registering it (else the stored name). */
  displayName: string;
  /** Who registered it, and when; null for a platform known from its cases from before the registry. */
  registeredBy: string | null;
  registeredAt: string | null;
  policyVersion: number;
  /** Whether an admin changed the policy (false: the default rules, version 1). */
  policyChanged: boolean;
  openCases: number;
  totalCases: number;
}

/** What an admin gives to register a platform. */
export interface PlatformRegistration {
  name: string;
  displayName?: string;
  reason?: string;
}

/** A platform the engine does not know: 404 where a route names it, 422 where a body does (filing a report). */
export class UnknownPlatformError extends Error {
  override readonly name = 'UnknownPlatformError';
  readonly code = 'unknown-platform';
  constructor(
    readonly platform: string,
    readonly statusCode: 404 | 422,
  ) {
    super(`The platform "${platform}" is not known. An admin registers a platform with POST /api/platforms {"name": "${platform}"}; GET /api/platforms lists the known ones.`);
  }
}

export abstract class PlatformsService {
  /** The known platforms (registered, or with cases), by name. */
  abstract list(): Promise<PlatformOverview[]>;
  /**
   * The name a platform is stored under, whatever the case of the name given (`Telegram` → `telegram`);
   * undefined for a platform the engine does not know.
   */
  abstract resolve(name: string): Promise<string | undefined>;
  /** A known platform by the name it is stored under (see resolve). */
  abstract get(platform: string): Promise<PlatformOverview>;
  /** Registers a platform; IllegalStepError `platform-already-registered` when it is known in any case. */
  abstract register(registration: PlatformRegistration, actor: string): Promise<PlatformOverview>;
  abstract scorecard(platform: string, period: { from: string; to: string }): Promise<PlatformScorecard>;
  /** The cooperation report of the requests sent in `current`, against `previous`, followed up to now. */
  abstract cooperationReport(platform: string, periods: { current: ReportingPeriod; previous: ReportingPeriod }): Promise<CooperationReport>;
  /** The app-store dossier (empty, not running, when no report of the platform reached app-store pressure). */
  abstract dossier(platform: string): Promise<PlatformDossier>;
  /** Has the running dossier filed now; throws DossierConflictError when none runs or none waits. */
  abstract fileDossier(platform: string, actor: string): Promise<DossierFilingRequest>;
  /** New threshold and interval for the running dossier; answers the dossier with them. Throws DossierConflictError. */
  abstract changeDossierRules(platform: string, rules: DossierRules, actor: string): Promise<PlatformDossier>;
}
