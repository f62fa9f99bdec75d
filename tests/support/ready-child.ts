// Runs one of the repository's compiled programs (from dist/) as a child process and waits until its output
// shows it is ready: the stand-ins' CLIs, `npm start`'s program, the production entry points.

import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ReadyChild {
  child: ChildProcess;
  /** The match of the ready pattern (for example the port a server printed). */
  ready: RegExpExecArray;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnUntilReady(
  script: string,
  args: string[],
  ready: RegExp,
  { env, timeoutMs }: { env?: Record<string, string>; timeoutMs: number },
): Promise<ReadyChild> {
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [script, ...args], {
    env: env && { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    let found: RegExpExecArray | null = null;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (found) return; // ready: the output is only kept from here on, not searched again
      found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return { child, ready: match, output: () => output, exited };
}
