// The checks /health runs against the engine's real dependencies.

import type { Client } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { SqlDatabase } from '@engine/database';
import { HealthProbes, ProbeResult } from './health-probes';

export class EngineHealthProbes extends HealthProbes {
  constructor(private readonly deps: { temporal: Client; kafka?: Kafka; database: SqlDatabase }) {
    super();
  }

  async temporal(): Promise<ProbeResult> {
    return probe(async () => {
      await this.deps.temporal.workflowService.getSystemInfo({});
      return 'frontend answers';
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
        return `${cluster.brokers.length} broker(s)`;
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
