// Which engines a cross-app suite runs against. `npm test` runs every suite on the embedded stand-ins;
// `npm run test:engines` (jest.engines.config.js) sets ENGINES=real and runs the same suites against the real
// Temporal dev server, Temporal's test server, Apache Kafka and PostgreSQL that scripts/engines/start.sh started.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './repository-root';

export interface RealEngines {
  /** host:port of the Temporal dev server's frontend. */
  temporalAddress: string;
  /** host:port of the Kafka broker's plaintext listener. */
  kafkaBrokers: string;
  /** A PostgreSQL database the tests may create databases from (superuser). */
  databaseUrl: string;
  /** The `temporal` CLI that runs the dev server. */
  temporalCliPath: string;
  /** Temporal's time-skipping test server, for TestWorkflowEnvironment.createTimeSkipping. */
  temporalTestServerPath: string;
  /** The Kafka installation (its jars in libs/), for tests that run Kafka's own tools or a second broker. */
  kafkaHome: string;
  /** Where start.sh keeps the engines' data, pid files and logs. */
  enginesData: string;
}

/** True when this run is against the real engines. */
export const onRealEngines = process.env.ENGINES === 'real';

/** The environment file that scripts/engines/start.sh writes. */
export function enginesEnvFile(): string {
  return join(process.env.ENGINES_DATA ?? join(repositoryRoot(), '.engines'), 'engines.env');
}

let loaded: RealEngines | undefined;

/** The real engines' addresses; throws (never skips) when start.sh has not written them. */
export function realEngines(): RealEngines {
  if (loaded) return loaded;
  const file = enginesEnvFile();
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run engines:install && npm run engines:start\` first`);
  const values = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const need = (name: string): string => {
    const value = values[name];
    if (!value) throw new Error(`${file} has no ${name}: run \`npm run engines:start\` again`);
    return value;
  };
  loaded = {
    temporalAddress: need('TEMPORAL_ADDRESS'),
    kafkaBrokers: need('KAFKA_BROKERS'),
    databaseUrl: need('TEST_DATABASE_URL'),
    temporalCliPath: need('TEMPORAL_CLI_PATH'),
    temporalTestServerPath: need('TEMPORAL_TEST_SERVER_PATH'),
    kafkaHome: need('KAFKA_HOME'),
    enginesData: need('ENGINES_DATA'),
  };
  return loaded;
}

type Describe = { (name: string, fn: () => void): void; skip(name: string, fn: () => void): void };

// jest's global, reached without its types so that the benchmarks (compiled without jest) can import this file.
const jestDescribe = (): Describe => (globalThis as unknown as { describe: Describe }).describe;

/** `describe` for behaviour only a stand-in has (its journal, its CLI, its own limits): not run on the real engines. */
export function describeStandInOnly(name: string, specs: () => void): void {
  (onRealEngines ? jestDescribe().skip : jestDescribe())(`${name} (stand-in only)`, specs);
}

/** `describe` for what needs the real engines themselves (a test-owned Kafka node from their installation): skipped by `npm test`. */
export function describeRealEnginesOnly(name: string, specs: () => void): void {
  (onRealEngines ? jestDescribe() : jestDescribe().skip)(`${name} (real engines only)`, specs);
}
