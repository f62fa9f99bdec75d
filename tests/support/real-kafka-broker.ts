// A real Apache Kafka node (KRaft: broker and controller in one JVM) owned by one test, from the installation
// that scripts/engines/install.sh made: for what a shared broker must not suffer (a kill -9 and restart, special
// listeners, short retention). Its data stays in `dataDir` across restarts, as a real broker's does.

import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

export interface RealKafkaBrokerOptions {
  /** The Kafka installation (its jars under libs/): `realEngines().kafkaHome`. */
  kafkaHome: string;
  /** Storage and configuration; formatted on the first start, kept across restarts. */
  dataDir: string;
  /**
   * Broker properties added to (and overriding) the single-node defaults. The plaintext client listener is
   * `PLAINTEXT://127.0.0.1:<port>`; a test that adds listeners sets `listeners`, `advertised.listeners` and
   * `listener.security.protocol.map` itself and may use `{port}` and `{controllerPort}` placeholders.
   */
  properties?: Record<string, string>;
  /** Extra arguments for `kafka-storage format` on the first start (for example `--add-scram …`). */
  formatArguments?: string[];
  /** JVM system properties, for example a JAAS file. */
  systemProperties?: Record<string, string>;
}

export interface RealKafkaBroker {
  /** host:port of the plaintext listener. */
  bootstrapServer: string;
  port: number;
  controllerPort: number;
  output(): string;
  /** Stops the JVM: SIGTERM is an orderly shutdown, SIGKILL a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same ports and data. */
  restart(): Promise<void>;
}

const run = promisify(execFile);

export async function startRealKafkaBroker(options: RealKafkaBrokerOptions): Promise<RealKafkaBroker> {
  const port = await freePort();
  const controllerPort = await freePort();
  mkdirSync(options.dataDir, { recursive: true });
  const fill = (value: string) => value.replaceAll('{port}', String(port)).replaceAll('{controllerPort}', String(controllerPort));
  const properties: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': join(options.dataDir, 'logs'),
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    ...Object.fromEntries(Object.entries(options.properties ?? {}).map(([key, value]) => [key, fill(value)])),
  };
  const configFile = join(options.dataDir, 'server.properties');
  writeFileSync(configFile, Object.entries(properties).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');
  const log4j = join(options.dataDir, 'log4j.properties');
  writeFileSync(
    log4j,
    [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
    ].join('\n') + '\n',
  );
  const jvm = [
    '-Xms128m',
    '-Xmx512m',
    '-cp',
    join(options.kafkaHome, 'libs', '*'),
    `-Dlog4j.configuration=file:${log4j}`,
    ...Object.entries(options.systemProperties ?? {}).map(([key, value]) => `-D${key}=${value}`),
  ];

  if (!existsSync(join(options.dataDir, 'logs', 'meta.properties'))) {
    const { stdout } = await run('java', [...jvm, 'kafka.tools.StorageTool', 'random-uuid']);
    await run('java', [...jvm, 'kafka.tools.StorageTool', 'format', '--cluster-id', stdout.trim(), '--config', configFile, ...(options.formatArguments ?? [])]);
  }

  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    output = '';
    const process = spawn('java', [...jvm, 'kafka.Kafka', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = process;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Kafka did not start within 90 s:\n${output.slice(-4000)}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Kafka Server started')) {
          clearTimeout(timer);
          resolve();
        }
      };
      process.stdout!.on('data', onData);
      process.stderr!.on('data', onData);
      process.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Kafka exited (${code ?? signal}) during start:\n${output.slice(-4000)}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const process = child;
    child = undefined;
    if (!process || process.exitCode !== null || process.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => process.kill('SIGKILL'), 30_000);
      process.once('exit', () => (clearTimeout(timer), resolve()));
      process.kill(signal);
    });
  };

  await start();
  return {
    bootstrapServer: `127.0.0.1:${port}`,
    port,
    controllerPort,
    output: () => output,
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}
