// PlatformsService on the read model (scorecards), and on the event store and Temporal (the app-store dossier).
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { platformDossierStreamId, platformDossierWorkflowId } from '@engine/contracts';
import { DossierEvent, dossierDueAt, evolveDossier, initialDossierState } from '@engine/domain';
import type { DossierState } from '@engine/domain';
import type { EventStore } from '@engine/event-store';
import type { ReadModel } from '@engine/read-model';
import { dossierStateQuery } from '../../../../workflows/platform-dossier.messages';
import { EngineUnavailableError } from '../reports/reports.service';
import { READ_TIMEOUT_MS } from '../reports/workflow-reports.service';
import { DossierFiling, DossierMember, PlatformDossier, PlatformsService } from './platforms.service';

export interface PlatformsDependencies {
  readModel: ReadModel;
  eventStore: EventStore;
  temporal: Client;
}

export class ReadModelPlatformsService extends PlatformsService {
  constructor(private readonly deps: PlatformsDependencies) {
    super();
  }

  scorecard(platform: string, period: { from: string; to: string }) {
    return this.deps.readModel.scorecard(platform, period, new Date().toISOString());
  }

  async dossier(platform: string): Promise<PlatformDossier> {
    const stored = await this.deps.eventStore.readStream(platformDossierStreamId(platform));
    const joined = new Map<string, DossierMember>();
    const filings: DossierFiling[] = [];
    let folded = initialDossierState(platform);
    for (const event of stored) {
      const dossierEvent = { type: event.type, data: event.data, metadata: event.metadata } as unknown as DossierEvent;
      const at = String(event.metadata.now ?? event.recordedAt);
      const by = String(event.metadata.actor);
      if (dossierEvent.type === 'ReportAddedToDossier') joined.set(dossierEvent.data.reportId, { reportId: dossierEvent.data.reportId, addedAt: at, addedBy: by });
      if (dossierEvent.type === 'AppStoreDossierFiled') filings.push({ ...dossierEvent.data, reportIds: [...dossierEvent.data.reportIds], filedAt: at, filedBy: by });
      folded = evolveDossier(folded, dossierEvent);
    }
    const running = await this.runningState(platform);
    return {
      platform,
      running: running !== undefined,
      rules: running ? { ...running.rules } : null,
      nextFilingDueAt: (running && dossierDueAt(running)) ?? null,
      members: folded.pending.map((entry) => joined.get(entry.reportId) ?? { reportId: entry.reportId, addedAt: entry.joinedAt, addedBy: 'unknown' }),
      filings,
    };
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
