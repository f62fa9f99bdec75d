// Tells whether an `npm start` engine is using a data directory: its control socket answers, or its broker's lock
// names a live process. PGlite's files must never be opened by a second process while the engine runs.

import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** The engine's control socket (owner-only, inside the data directory, which is 0700). */
export const CONTROL_SOCKET_NAME = 'engine.sock';

export function controlSocketPath(dataDir: string): string {
  return join(dataDir, CONTROL_SOCKET_NAME);
}

/** A description of the engine using `dataDir`, or undefined when none is. */
export async function engineUsing(dataDir: string): Promise<string | undefined> {
  const socket = controlSocketPath(dataDir);
  if (existsSync(socket) && (await answers(socket))) return `an engine is running on ${dataDir} (its control socket ${socket} answers)`;
  const lock = join(dataDir, 'kafka', 'broker.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return `an engine (pid ${pid}) is running on ${dataDir}`;
  }
  return undefined;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
