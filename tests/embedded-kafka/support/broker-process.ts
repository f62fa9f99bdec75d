// Runs the compiled broker CLI (what `npm run dev:kafka` runs) as a child process, for kill/restart tests.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAIN = path.resolve(__dirname, '../../../dist/libs/embedded-kafka/src/main.js');

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  bootstrapServer: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startBrokerProcess(args: string[]): Promise<BrokerProcess> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not start within 5 s:\n${output}`)), 5000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`broker exited before listening:\n${output}`));
    });
  });
  return { child, port, bootstrapServer: `127.0.0.1:${port}`, output: () => output, exited };
}

export async function killBroker(broker: BrokerProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (broker.child.exitCode === null && broker.child.signalCode === null) broker.child.kill(signal);
  return broker.exited;
}
