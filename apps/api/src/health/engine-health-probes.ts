// The checks /health runs against the engine's real dependencies.

import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import type { SqlDatabase } from '@engine/database';
import { EventQuarantine, type SqlEventStore } from '@engine/event-store';
import { READ_MODEL_CHECKPOINT } from '@engine/read-model';
import { recentWorkflowPollers, WORKER_POLL_WINDOW_MS } from '@engine/temporal';
import { HealthProbes, ProbeResult } from './health-probes';
import { assessPipeline, PipelineMemory, STALL_AFTER_MS } from './pipeline-health';

export interface EngineHealthDependencies {
  temporal: Client;
  taskQueue: string;
  kafka?: Kafka;
  database: SqlDatabase;
  eventStore: SqlEventStore;
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
    const { eventStore } = this.deps;
    try {
      const noTableYet = (error: unknown) => {
        if ((error as { code?: string })?.code === '42P01') return { relay: 0, projector: 0 }; // no worker has created the table yet
        throw error;
      };
      const quarantined = await this.quarantine.counts().catch(noTableYet);
      // Both read the store's global order after a checkpoint: their lag is the events stored after it (the
      // quarantined ones are behind it: set aside, not waiting), their progress the checkpoint's position.
      const checkpoints = eventStore.checkpointStore();
      const [relayAt, projectorAt] = await Promise.all([checkpoints.load(REPORTS_TOPIC), checkpoints.load(READ_MODEL_CHECKPOINT)]);
      const [relayLag, projectorLag] = await Promise.all([eventStore.countAfter(relayAt), eventStore.countAfter(projectorAt)]);
      const assessment = assessPipeline(
        {
          relay: { lag: relayLag, progress: relayAt.globalPosition, quarantined: quarantined.relay },
          projector: { lag: projectorLag, progress: projectorAt.globalPosition, quarantined: quarantined.projector },
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
