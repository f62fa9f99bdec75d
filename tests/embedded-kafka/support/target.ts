// The broker a conformance suite runs against: the embedded stand-in under `npm test`, the real Apache Kafka
// broker under ENGINES=real (the shared one from scripts/engines/start.sh, or a node owned by the suite for
// what the shared one must not suffer: kills, restarts, short retention, special group timing).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedKafka, EmbeddedKafkaOptions } from '@engine/embedded-kafka';
import { onRealEngines, realEngines } from '../../support/engines';
import { RealKafkaBroker, startRealKafkaBroker } from '../../support/real-kafka-broker';

export interface BrokerUnderTest {
  bootstrapServer: string;
  port: number;
  /** The stand-in when the suite runs on it, for assertions about the stand-in itself; null on the real broker. */
  standIn: EmbeddedKafka | null;
  /** The test-owned real node, when there is one. */
  real: RealKafkaBroker | null;
  /** Stops what the suite started (never the shared real broker). */
  stop(): Promise<void>;
}

const runId = randomBytes(3).toString('hex');

/** A name no other run (or test) uses: the shared real broker keeps every topic and group it ever saw. */
export function uniqueName(name: string): string {
  return `${name}.${runId}`;
}

/**
 * Settings that make a test-owned Kafka node start and restart sooner, with nothing the conformance suites test:
 * one offsets partition to create and recover instead of 50, and a short broker session, so that after a
 * SIGKILL the controller fences the dead incarnation in 4 s instead of 9 s (not shorter: a starved JVM must
 * not fence itself).
 */
export const FAST_NODE: Record<string, string> = {
  'offsets.topic.num.partitions': '1',
  'broker.session.timeout.ms': '4000',
  'broker.heartbeat.interval.ms': '1000',
};

/** A fresh stand-in, or the shared real broker (harmless use only: unique topic and group names). */
export async function sharedBroker(standInOptions: EmbeddedKafkaOptions = {}): Promise<BrokerUnderTest> {
  if (onRealEngines) {
    const bootstrapServer = realEngines().kafkaBrokers.split(',')[0];
    return { bootstrapServer, port: Number(bootstrapServer.slice(bootstrapServer.lastIndexOf(':') + 1)), standIn: null, real: null, stop: async () => undefined };
  }
  const standIn = await EmbeddedKafka.start(standInOptions);
  return { bootstrapServer: standIn.bootstrapServer, port: standIn.port, standIn, real: null, stop: () => standIn.stop() };
}

/**
 * A broker owned by the suite: a fresh stand-in with `standIn` options, or a real Kafka node of its own with
 * `realProperties` (broker properties) and its own data directory, removed when it stops.
 */
export async function ownedBroker(options: { standIn?: EmbeddedKafkaOptions; realProperties?: Record<string, string> }): Promise<BrokerUnderTest> {
  if (!onRealEngines) return sharedBroker(options.standIn);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-kafka-conformance-'));
  const real = await startRealKafkaBroker({ kafkaHome: realEngines().kafkaHome, dataDir, properties: { ...FAST_NODE, ...options.realProperties } });
  return {
    bootstrapServer: real.bootstrapServer,
    port: real.port,
    standIn: null,
    real,
    stop: async () => {
      await real.stop('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
