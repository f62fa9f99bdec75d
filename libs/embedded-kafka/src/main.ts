// CLI: `npm run --silent dev:kafka -- --port <PORT> --data <DIR>` runs the broker in the foreground.
import * as fs from 'node:fs';
import { parseBrokerUsers } from './auth/users';
import { EmbeddedKafka, EmbeddedKafkaOptions } from './server/broker';

const USAGE = `usage: dev:kafka -- [--port <port>] [--host <host>] [--data <dir>] [--auto-create-topics]
  [--partitions <n>] [--initial-rebalance-delay-ms <ms>] [--retention-ms <ms>] [--retention-bytes <n>]
  [--segment-bytes <n>] [--retention-check-interval-ms <ms>]
  [--users-file <file>]  JSON [{"username","password","access":"all"|"read-only","deniedGroups":[...]}]:
                         SASL (PLAIN, SCRAM-SHA-256/512) required; a file, so passwords stay out of ps`;

function parseArguments(argv: string[]): EmbeddedKafkaOptions {
  const options: EmbeddedKafkaOptions = { port: 9092 };
  const integer = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^-?\d+$/.test(value)) throw new Error(`${flag} needs an integer`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--port': options.port = integer(flag, value); i++; break;
      case '--host': options.host = value; i++; break;
      case '--data': if (!value) throw new Error('--data needs a directory'); options.dataDirectory = value; i++; break;
      case '--auto-create-topics': options.autoCreateTopics = true; break;
      case '--partitions': options.defaultPartitions = integer(flag, value); i++; break;
      case '--initial-rebalance-delay-ms': options.initialRebalanceDelayMs = integer(flag, value); i++; break;
      case '--retention-ms': options.retentionMs = integer(flag, value); i++; break;
      case '--retention-bytes': options.retentionBytes = integer(flag, value); i++; break;
      case '--segment-bytes': options.segmentBytes = integer(flag, value); i++; break;
      case '--retention-check-interval-ms': options.retentionCheckIntervalMs = integer(flag, value); i++; break;
      case '--users-file':
        if (!value) throw new Error('--users-file needs a file');
        options.users = parseBrokerUsers(fs.readFileSync(value, 'utf8'), value);
        i++;
        break;
      case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmbeddedKafkaOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  options.log = (message) => process.stderr.write(`[embedded-kafka] ${message}\n`);
  let broker: EmbeddedKafka | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[embedded-kafka] ${signal}: shutting down\n`);
    (broker ? broker.stop() : Promise.resolve()).then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`${(error as Error).stack}\n`);
        process.exit(1);
      },
    );
  };
  // Installed before the ready line, so a supervisor that signals right after it still gets a clean exit.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  broker = await EmbeddedKafka.start(options);
  if (stopping) {
    await broker.stop();
    return;
  }
  const storage = options.dataDirectory ? `data in ${options.dataDirectory}` : 'in memory';
  const authentication = broker.requiresAuthentication ? ', SASL required' : '';
  process.stdout.write(`embedded-kafka listening on ${broker.bootstrapServer} (${storage}${authentication})\n`);
}

main().catch((error) => {
  process.stderr.write(`embedded-kafka failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
