// Runs the built CLI (`npm run dev:temporal`'s entry point) as a child process, for kill/restart tests.
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { spawnUntilReady } from '../support/ready-child';

export const cliPath = path.resolve(__dirname, '../../dist/libs/embedded-temporal/src/main.js');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
}

export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const { child, ready, output } = await spawnUntilReady(cliPath, args, /listening on 127\.0\.0\.1:(\d+)/, { timeoutMs: 15_000 });
  return { child, port: Number(ready[1]), output };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
