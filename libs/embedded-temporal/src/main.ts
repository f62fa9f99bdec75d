// Command line: `dev:temporal -- --port P --data DIR` (also accepts the argument forms the Temporal SDK's
// test environments pass to an existing-path executable: `server start-dev --port P ...` and `<port>` alone).
import { readFileSync } from 'node:fs';
import { parseSearchAttributeFlag } from './search-attributes';
import { EmbeddedTemporalServer } from './server';

interface CliOptions {
  port: number;
  host: string;
  dataDir?: string;
  timeSkipping: boolean;
  searchAttributes: Record<string, number>;
  /** From --api-key-file (a file, so the key stays out of the process list). */
  apiKey?: string;
}

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { port: 7233, host: '127.0.0.1', timeSkipping: false, searchAttributes: {} };
  const args = [...argv];
  if (args[0] === 'server' && args[1] === 'start-dev') args.splice(0, 2);
  else if (args.length > 0 && /^\d+$/.test(args[0])) {
    // The time-skipping test server form: first argument is the port.
    options.port = Number(args.shift());
    options.timeSkipping = true;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--port':
      case '-p':
        options.port = Number(value());
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be 0..65535');
        break;
      case '--data':
      case '--db-filename':
        options.dataDir = value();
        break;
      case '--ip':
        options.host = value();
        break;
      case '--time-skipping':
        options.timeSkipping = true;
        break;
      case '--namespace': {
        const ns = value();
        if (ns !== 'default') throw new Error(`namespace ${ns} is not supported: the embedded server serves only "default"`);
        break;
      }
      // Options of the real dev server that have no meaning here.
      case '--log-format':
      case '--log-level':
      case '--dynamic-config-value':
      case '--ui-port':
        value();
        break;
      case '--search-attribute': {
        const [name, type] = parseSearchAttributeFlag(value());
        options.searchAttributes[name] = type;
        break;
      }
      case '--api-key-file':
        options.apiKey = readFileSync(value(), 'utf8').trim();
        break;
      case '--headless':
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

/** Parses argv, starts the server in the foreground and stops it cleanly on SIGTERM/SIGINT. */
export async function runCli(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`embedded-temporal: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await EmbeddedTemporalServer.start({
    port: options.port,
    host: options.host,
    dataDir: options.dataDir,
    timeSkipping: options.timeSkipping,
    searchAttributes: options.searchAttributes,
    apiKey: options.apiKey,
  });
  process.stdout.write(
    `embedded-temporal listening on ${server.address}${options.dataDir ? ` (data in ${options.dataDir})` : ' (in memory)'}${options.timeSkipping ? ' with time skipping' : ''}${server.requiresApiKey ? ', API key required' : ''}\n`,
  );
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

export function runCliOrExit(): void {
  runCli().catch((error) => {
    process.stderr.write(`embedded-temporal failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) runCliOrExit();
