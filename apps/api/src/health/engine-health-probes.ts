// The checks /health runs against the engine's real dependencies.

import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import type { SqlDatabase } from '@engine/database';
import { recentWorkflowPollers, WORKER_POLL_WINDOW_MS } from '@engine/temporal';
import { HealthProbes, ProbeResult } from './health-probes';

export class EngineHealthProbes extends HealthProbes {
  constructor(private readonly deps: { temporal: Client; taskQueue: string; kafka?: Kafka; database: SqlDatabase; now?: () => number }) {
    super();
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
