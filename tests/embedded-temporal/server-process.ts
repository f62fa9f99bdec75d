// The server under test as a process of its own, for kill/restart tests: the stand-in's built CLI
// (`npm run dev:temporal`'s entry point) with --data, or on ENGINES=real the real dev server
// (`temporal server start-dev`) with its SQLite file; either keeps its state in `dataDir` across restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { onRealEngines, realEngines } from '../support/engines';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { spawnUntilReady } from '../support/ready-child';

export const cliPath = path.resolve(__dirname, '../../dist/libs/embedded-temporal/src/main.js');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  address: string;
  output: () => string;
}

/** Starts the server on `port` (0: a free one) with its data in `dataDir`, and waits until it serves. */
export async function startServerProcess(dataDir: string, port = 0): Promise<ServerProcess> {
  if (!onRealEngines) {
    const { child, ready, output } = await spawnUntilReady(cliPath, ['--port', String(port), '--data', dataDir], /listening on 127\.0\.0\.1:(\d+)/, {
      timeoutMs: 15_000,
    });
    return { child, port: Number(ready[1]), address: `127.0.0.1:${ready[1]}`, output };
  }
  const chosen = port || (await freePort());
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(
    realEngines().temporalCliPath,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(chosen), '--http-port', String(httpPort), '--metrics-port', String(metricsPort)]
      .concat(['--db-filename', path.join(dataDir, 'temporal.db'), '--log-level', 'warn']),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const address = `127.0.0.1:${chosen}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`temporal server start-dev exited (${child.exitCode}):\n${output}`);
      const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch(() => undefined);
      if (!connection) return undefined;
      try {
        return await connection.workflowService.describeNamespace({ namespace: 'default' }).then(() => true, () => undefined);
      } finally {
        await connection.close();
      }
    },
    30_000,
    `the dev server on ${address}`,
    200,
  );
  return { child, port: chosen, address, output: () => output };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
