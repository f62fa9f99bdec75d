// PlatformsService on the read model (scorecards, cases per platform), and on the event store (the platform registry)
// and Temporal (the app-store dossier).
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { platformDossierStreamId, platformDossierWorkflowId } from '@engine/contracts';
import { cooperationReportOfRequests, DossierEvent, dossierDueAt, evolveDossier, IllegalStepError, initialDossierState, platformKey, recordedDossierRules } from '@engine/domain';
import type { CooperationReport, DossierRules, DossierState, RegisteredPlatform, ReportingPeriod } from '@engine/domain';
import type { EventStore } from '@engine/event-store';
import type { ReadModel } from '@engine/read-model';
import type { PoliciesService } from '../policies/policies.service';
import { changeDossierRulesUpdate, dossierStateQuery, fileDossierNowSignal } from '../../../../workflows/platform-dossier.messages';
import { EngineUnavailableError } from '../reports/reports.service';
import { READ_TIMEOUT_MS } from '../reports/workflow-reports.service';
import { EventSourcedPlatformRegistry } from './event-sourced-platform-registry';
import { DossierConflictError, DossierFiling, DossierFilingRequest, DossierMember, PlatformDossier, PlatformOverview, PlatformRegistration, PlatformsService } from './platforms.service';

export interface PlatformsDependencies {
  readModel: ReadModel;
  eventStore: EventStore;
  temporal: Client;
  policies: PoliciesService;
}

export class ReadModelPlatformsService extends PlatformsService {
  private readonly registry: EventSourcedPlatformRegistry;

  constructor(private readonly deps: PlatformsDependencies) {
    super();
    this.registry = new EventSourcedPlatformRegistry(deps);
  }

  async list(): Promise<PlatformOverview[]> {
    const [registered, withCases] = await Promise.all([this.registry.registered(), this.deps.readModel.casesByPlatform()]);
    // By key: a registered platform, or the spellings of one from before the registry, counted together.
    const byKey = new Map<string, { platform: string; registration?: RegisteredPlatform; openCases: number; totalCases: number }>();
    for (const registration of Object.values(registered.platforms)) {
      byKey.set(registration.platform, { platform: registration.platform, registration, openCases: 0, totalCases: 0 });
    }
    for (const row of withCases) {
      const key = platformKey(row.platform);
      const entry = byKey.get(key) ?? { platform: row.platform, openCases: 0, totalCases: 0 };
      if (!entry.registration && row.platform === key) entry.platform = key;
      entry.openCases += row.openCases;
      entry.totalCases += row.totalCases;
      byKey.set(key, entry);
    }
    const entries = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
    return Promise.all(entries.map((entry) => this.overview(entry)));
  }

  async get(platform: string): Promise<PlatformOverview> {
    // Not listed: known from policy versions changed before the registry, without cases.
    return (await this.list()).find((known) => known.platform === platform) ?? this.overview({ platform, openCases: 0, totalCases: 0 });
  }

  resolve(name: string): Promise<string | undefined> {
    return this.registry.resolve(name);
  }

  async register(registration: PlatformRegistration, actor: string): Promise<PlatformOverview> {
    const registered = await this.registry.register(registration, { actor, now: new Date().toISOString() });
    return this.overview({ platform: registered.platform, registration: registered, openCases: 0, totalCases: 0 });
  }

  private async overview(entry: { platform: string; registration?: RegisteredPlatform; openCases: number; totalCases: number }): Promise<PlatformOverview> {
    const { policy } = await this.deps.policies.current(entry.platform);
    return {
      platform: entry.platform,
      displayName: entry.registration?.displayName ?? entry.platform,
      registeredBy: entry.registration?.registeredBy ?? null,
      registeredAt: entry.registration?.registeredAt ?? null,
      policyVersion: policy.version,
      policyChanged: policy.version > 1,
      openCases: entry.openCases,
      totalCases: entry.totalCases,
    };
  }

  scorecard(platform: string, period: { from: string; to: string }) {
    return this.deps.readModel.scorecard(platform, period, new Date().toISOString());
  }

  /** Counted by the domain from the cases' requests the read model keeps and the dossier's stream in the event store. */
  async cooperationReport(platform: string, periods: { current: ReportingPeriod; previous: ReportingPeriod }): Promise<CooperationReport> {
    const asOf = new Date().toISOString();
    const from = periods.previous.from < periods.current.from ? periods.previous.from : periods.current.from;
    const to = periods.previous.to > periods.current.to ? periods.previous.to : periods.current.to;
    const [requests, dossier] = await Promise.all([
      this.deps.readModel.platformRequests(platform, { from, to }, asOf),
      this.deps.eventStore.readStream(platformDossierStreamId(platform)),
    ]);
    const dossierEvents = dossier.map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }) as unknown as DossierEvent);
    return cooperationReportOfRequests({ platform, period: periods.current, previousPeriod: periods.previous, requests, dossierEvents, asOf });
  }

  async dossier(platform: string): Promise<PlatformDossier> {
    const stored = await this.deps.eventStore.readStream(platformDossierStreamId(platform));
    const joined = new Map<string, DossierMember>();
    const filings: DossierFiling[] = [];
    let folded = initialDossierState(platform);
    const dossierEvents: DossierEvent[] = [];
    for (const event of stored) {
      const dossierEvent = { type: event.type, data: event.data, metadata: event.metadata } as unknown as DossierEvent;
      dossierEvents.push(dossierEvent);
      const at = String(event.metadata.now ?? event.recordedAt);
      const by = String(event.metadata.actor);
      if (dossierEvent.type === 'ReportAddedToDossier') joined.set(dossierEvent.data.reportId, { reportId: dossierEvent.data.reportId, addedAt: at, addedBy: by });
      if (dossierEvent.type === 'AppStoreDossierFiled') filings.push({ ...dossierEvent.data, reportIds: [...dossierEvent.data.reportIds], filedAt: at, filedBy: by });
      folded = evolveDossier(folded, dossierEvent);
    }
    const running = await this.runningState(platform);
    // With none running, the rules an admin recorded are those the next dossier applies (its run folds them).
    const recorded = running ? undefined : recordedDossierRules(dossierEvents);
    return {
      platform,
      running: running !== undefined,
      rules: running ? { ...running.rules } : (recorded ?? null),
      rulesSource: running ? 'running' : recorded ? 'recorded' : null,
      nextFilingDueAt: (running && dossierDueAt(running)) ?? null,
      members: folded.pending.map((entry) => joined.get(entry.reportId) ?? { reportId: entry.reportId, addedAt: entry.joinedAt, addedBy: 'unknown' }),
      filings,
    };
  }

  async fileDossier(platform: string, actor: string): Promise<DossierFilingRequest> {
    const running = await this.runningState(platform);
    if (!running) throw notRunning(platform);
    if (running.pending.length === 0) {
      throw new DossierConflictError('dossier-empty', `No escalated report of ${platform} is waiting in its dossier: there is nothing to file.`);
    }
    await this.deps.temporal.withDeadline(Date.now() + READ_TIMEOUT_MS, () =>
      this.deps.temporal.workflow.getHandle(platformDossierWorkflowId(platform)).signal(fileDossierNowSignal, { actor }),
    );
    return { platform, reportIds: running.pending.map((entry) => entry.reportId), requestedBy: actor };
  }

  async changeDossierRules(platform: string, rules: DossierRules, actor: string): Promise<PlatformDossier> {
    const handle = this.deps.temporal.workflow.getHandle(platformDossierWorkflowId(platform));
    try {
      await this.deps.temporal.withDeadline(Date.now() + READ_TIMEOUT_MS, () => handle.executeUpdate(changeDossierRulesUpdate, { args: [{ rules, actor }] }));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notRunning(platform);
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'InvalidDossierRules') {
        throw new IllegalStepError('invalid-input', error.cause.message);
      }
      throw new EngineUnavailableError(`The dossier of ${platform} did not take the new rules (is a worker running?): ${(error as Error).message}`);
    }
    return this.dossier(platform);
  }

  /** The running dossier workflow's state; undefined when there is none (never started, or ended). */
  private async runningState(platform: string): Promise<DossierState | undefined> {
    const handle = this.deps.temporal.workflow.getHandle(platformDossierWorkflowId(platform));
    try {
      const { status } = await this.deps.temporal.withDeadline(Date.now() + READ_TIMEOUT_MS, () => handle.describe());
      if (status.name !== 'RUNNING') return undefined;
      return await this.deps.temporal.withDeadline(Date.now() + READ_TIMEOUT_MS, () => handle.query(dossierStateQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw new EngineUnavailableError(`The dossier of ${platform} could not be read from its workflow (is a worker running?): ${(error as Error).message}`);
    }
  }
}

function notRunning(platform: string): DossierConflictError {
  return new DossierConflictError(
    'no-dossier-running',
    `No app-store dossier runs for ${platform}: it starts with the platform's first report at app-store pressure, on the threshold and interval an admin last set for it, else the worker's DOSSIER_THRESHOLD and DOSSIER_INTERVAL.`,
  );
}
