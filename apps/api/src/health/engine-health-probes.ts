// The checks /health runs against the engine's real dependencies.

import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { REPORTS_TOPIC, reportStreamId } from '@engine/contracts';
import type { SqlDatabase } from '@engine/database';
import { EventQuarantine, type SqlEventStore } from '@engine/event-store';
import type { ReadModel } from '@engine/read-model';
import { recentWorkflowPollers, WORKER_POLL_WINDOW_MS } from '@engine/temporal';
import { HealthProbes, ProbeResult } from './health-probes';
import { assessPipeline, PipelineMemory, STALL_AFTER_MS } from './pipeline-health';

const REPORT_STREAM_PREFIX = reportStreamId('');

export interface EngineHealthDependencies {
  temporal: Client;
  taskQueue: string;
  kafka?: Kafka;
  database: SqlDatabase;
  eventStore: SqlEventStore;
  readModel: Pick<ReadModel, 'projectedEventCount'>;
  now?: () => number;
  stallAfterMs?: number;
}

export class EngineHealthProbes extends HealthProbes {
  private pipelineMemory: PipelineMemory = {};
  private readonly quarantine: EventQuarantine;

  constructor(private readonly deps: EngineHealthDependencies) {
    super();
    this.quarantine = new EventQuarantine(deps.eventStore.database, deps.eventStore.schema);
  }

  async temporal(): Promise<ProbeResult> {
    return probe(async () => {
      await this.deps.temporal.workflowService.getSystemInfo({});
      return 'frontend answers';
    });
  }

  async worker(): Promise<ProbeResult> {
    const { temporal, taskQueue } = this.deps;
    return probe(async () => {
      const workers = await recentWorkflowPollers(temporal, taskQueue, (this.deps.now ?? Date.now)());
      if (workers === 0) throw new Error(`no worker has polled task queue "${taskQueue}" in the last ${WORKER_POLL_WINDOW_MS / 1000} s`);
      return `${workers} worker(s) polling task queue "${taskQueue}"`;
    });
  }

  async kafka(): Promise<ProbeResult> {
    const { kafka } = this.deps;
    if (!kafka) return { up: false, detail: 'no Kafka brokers configured (KAFKA_BROKERS)' };
    return probe(async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const cluster = await admin.describeCluster();
        // listTopics asks for all topics, so it never makes a broker auto-create the one it looks for.
        if (!(await admin.listTopics()).includes(REPORTS_TOPIC)) throw new Error(`topic ${REPORTS_TOPIC} does not exist`);
        return `${cluster.brokers.length} broker(s), topic ${REPORTS_TOPIC}`;
      } finally {
        await admin.disconnect();
      }
    });
  }

  async pipeline(): Promise<ProbeResult> {
    const { eventStore, readModel } = this.deps;
    try {
      const noTableYet = (error: unknown) => {
        if ((error as { code?: string })?.code === '42P01') return { relay: 0, projector: 0 }; // no worker has created the table yet
        throw error;
      };
      const quarantined = await this.quarantine.counts().catch(noTableYet);
      const quarantinedEvents = await this.quarantine.counts({ storedEventsOnly: true }).catch(noTableYet);
      const checkpoint = await eventStore.checkpointStore().load(REPORTS_TOPIC);
      const relayLag = await eventStore.countAfter(checkpoint);
      // Published report events not in the read model: stored, less those the relay has yet to publish (so a
      // stalled relay does not make the projector look stalled too), less the quarantined ones (never projected
      // until retried). The relay's lag counts every stream, so this errs towards less lag, never towards a stall.
      const [stored, projected] = await Promise.all([eventStore.countEvents(REPORT_STREAM_PREFIX), readModel.projectedEventCount()]);
      const projectorLag = stored - relayLag - projected - quarantinedEvents.projector - quarantinedEvents.relay;
      const assessment = assessPipeline(
        {
          relay: { lag: relayLag, progress: checkpoint.globalPosition, quarantined: quarantined.relay },
          projector: { lag: Math.max(0, projectorLag), progress: projected, quarantined: quarantined.projector },
        },
        this.pipelineMemory,
        (this.deps.now ?? Date.now)(),
        this.deps.stallAfterMs ?? STALL_AFTER_MS,
      );
      this.pipelineMemory = assessment.memory;
      return { up: assessment.up, detail: assessment.detail, ...(assessment.degraded && { degraded: true }) };
    } catch (error) {
      return { up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async database(): Promise<ProbeResult> {
    return probe(async () => {
      await this.deps.database.query('SELECT 1');
      return `${this.deps.database.kind} answers`;
    });
  }
}

async function probe(check: () => Promise<string>): Promise<ProbeResult> {
  try {
    return { up: true, detail: await check() };
  } catch (error) {
    return { up: false, detail: error instanceof Error ? error.message : String(error) };
  }
}
