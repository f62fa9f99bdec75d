// The production topology as deploy/k8s runs it, as processes a test can kill one by one and start again: the API
// (apps/api), the worker with the projector (30-worker.yaml: RUN_RELAY=false) and the relay (31-relay.yaml:
// RUN_PROJECTOR=false; it hosts a Temporal worker too), on PostgreSQL. Temporal and Kafka: on the stand-ins, their
// programs as processes with data directories; on the real engines, a namespace of this run's own on the dev server
// and a Kafka node of the test's own (so its topic and the projector's group meet no other test, and it can be
// killed). The broker can be stopped and started again on the same port and data.

import { join } from 'node:path';
import { AUTH_TOKENS, ChildProgram, freePort, startProgram, TOKENS } from '../../e2e/engine-process';
import { onRealEngines, realEngines } from '../../support/engines';
import { startRealKafkaBroker } from '../../support/real-kafka-broker';
import { registerTestNamespace } from '../../support/temporal-namespace';
import { createTestDatabase } from '../../support/test-database';
import { apiClient, ApiClient } from './api-client';

export type TopologyProcess = 'api' | 'worker' | 'relay';

export interface KafkaNode {
  brokers: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again (after stop) on the same port and data. */
  start(): Promise<void>;
}

async function standInKafka(dataDir: string): Promise<KafkaNode> {
  const port = await freePort();
  let program: ChildProgram | undefined;
  const node: KafkaNode = {
    brokers: [`127.0.0.1:${port}`],
    async start() {
      program = await startProgram('dist/libs/embedded-kafka/src/main.js', ['--port', String(port), '--data', dataDir, '--initial-rebalance-delay-ms', '100'], {}, 'listening on');
    },
    async stop(signal = 'SIGTERM') {
      await program?.stop(signal);
      program = undefined;
    },
  };
  await node.start();
  return node;
}

async function realKafka(dataDir: string): Promise<KafkaNode> {
  const broker = await startRealKafkaBroker({ kafkaHome: realEngines().kafkaHome, dataDir });
  return { brokers: [broker.bootstrapServer], stop: (signal) => broker.stop(signal), start: () => broker.restart() };
}

export class Topology {
  private readonly programs = new Map<TopologyProcess, ChildProgram>();
  private readonly outputs: string[] = [];

  private constructor(
    readonly kafka: KafkaNode,
    readonly databaseUrl: string,
    private readonly shared: Record<string, string>,
    private readonly apiPort: number,
    private readonly cleanups: (() => Promise<unknown>)[],
  ) {}

  static async start(dataDir: string): Promise<Topology> {
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const shared: Record<string, string> = {};
      if (onRealEngines) {
        const registered = await registerTestNamespace(realEngines().temporalAddress, 'fault');
        cleanups.push(() => registered.remove());
        Object.assign(shared, { TEMPORAL_ADDRESS: realEngines().temporalAddress, TEMPORAL_NAMESPACE: registered.namespace });
      } else {
        const temporalPort = await freePort();
        const temporal = await startProgram('dist/libs/embedded-temporal/src/main.js', ['--port', String(temporalPort), '--data', join(dataDir, 'temporal')], {}, 'listening on');
        cleanups.push(() => temporal.stop());
        shared.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
      }
      const kafka = onRealEngines ? await realKafka(join(dataDir, 'kafka')) : await standInKafka(join(dataDir, 'kafka'));
      cleanups.push(() => kafka.stop('SIGKILL'));
      shared.KAFKA_BROKERS = kafka.brokers.join(',');
      const database = await createTestDatabase('fault');
      cleanups.push(() => database.drop());
      shared.DATABASE_URL = database.url;
      const topology = new Topology(kafka, database.url, shared, await freePort(), cleanups);
      for (const name of ['relay', 'worker', 'api'] as const) await topology.start(name);
      return topology;
    } catch (error) {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      throw error;
    }
  }

  get api(): ApiClient {
    return apiClient(`http://127.0.0.1:${this.apiPort}`, TOKENS);
  }

  /** Starts one of the processes (again); resolves when it is ready. */
  async start(name: TopologyProcess): Promise<void> {
    if (this.programs.has(name)) throw new Error(`${name} is running`);
    const program =
      name === 'api'
        ? await startProgram('dist/apps/api/src/main.js', [], { ...this.shared, PORT: String(this.apiPort), HOST: '127.0.0.1', AUTH_TOKENS, RATE_LIMIT_PER_MINUTE: '0' }, 'listening on', 90_000)
        : await startProgram(
            'dist/apps/worker/src/main.js',
            [],
            { ...this.shared, RUN_RELAY: String(name === 'relay'), RUN_PROJECTOR: String(name === 'worker') },
            'Temporal worker polling',
            90_000,
          );
    this.programs.set(name, program);
  }

  /** Stops one process with `signal` (SIGKILL: a crash); resolves when it is gone. */
  async stop(name: TopologyProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const program = this.programs.get(name);
    if (!program) return null;
    this.programs.delete(name);
    const code = await program.stop(signal);
    this.outputs.push(`--- ${name} ---\n${program.output()}`);
    return code;
  }

  output(): string {
    return [...this.outputs, ...[...this.programs].map(([name, program]) => `--- ${name} (running) ---\n${program.output()}`)].join('\n');
  }

  async close(): Promise<void> {
    for (const name of ['api', 'worker', 'relay'] as const) await this.stop(name).catch(() => undefined);
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}
