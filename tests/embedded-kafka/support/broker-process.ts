// Runs the compiled broker CLI (what `npm run dev:kafka` runs) as a child process, for kill/restart tests.
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { spawnUntilReady } from '../../support/ready-child';

const MAIN = path.resolve(__dirname, '../../../dist/libs/embedded-kafka/src/main.js');

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  bootstrapServer: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startBrokerProcess(args: string[]): Promise<BrokerProcess> {
  const { child, ready, output, exited } = await spawnUntilReady(MAIN, args, /listening on 127\.0\.0\.1:(\d+)/, { timeoutMs: 5000 });
  const port = Number(ready[1]);
  return { child, port, bootstrapServer: `127.0.0.1:${port}`, output, exited };
}

export async function killBroker(broker: BrokerProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (broker.child.exitCode === null && broker.child.signalCode === null) broker.child.kill(signal);
  return broker.exited;
}
