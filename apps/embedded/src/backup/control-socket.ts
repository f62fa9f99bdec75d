// The running engine's control socket (DATA_DIR/engine.sock, reachable by the data directory's owner only): the
// backup command asks the engine through it to copy its data at a consistent point, which only the process that
// holds PGlite can do. One JSON line per request and per answer.

import { chmodSync, existsSync, rmSync } from 'node:fs';
import { connect, createServer, Server } from 'node:net';
import { Logger } from '@nestjs/common';
import { BackupManifest } from './data-backup';
import { controlSocketPath, engineUsing } from './engine-presence';

export type ControlRequest = { command: 'backup'; target: string };
export type ControlAnswer = { ok: true; manifest: BackupManifest } | { ok: false; error: string };

export interface ControlHandlers {
  backup(target: string): Promise<BackupManifest>;
}

/** Listens on the data directory's control socket; refuses to when another engine answers there. */
export async function startControlSocket(dataDir: string, handlers: ControlHandlers): Promise<{ close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  const other = await engineUsing(dataDir);
  if (other) throw new Error(`${other}: two engines cannot share a data directory`);
  if (existsSync(path)) rmSync(path, { force: true }); // left by an engine that was killed
  const server: Server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0) {
        if (buffer.length > 64 * 1024) socket.destroy();
        return;
      }
      const line = buffer.slice(0, end);
      buffer = '';
      void answer(line, handlers).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } catch (error) {
    // Not worth refusing to start over (a path too long for a socket, say): only the online backup is missing.
    new Logger('engine').warn(`no control socket at ${path} (${(error as Error).message}): data:backup works only while the engine is stopped`);
    return { close: async () => undefined };
  }
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

async function answer(line: string, handlers: ControlHandlers): Promise<ControlAnswer> {
  let request: ControlRequest;
  try {
    request = JSON.parse(line) as ControlRequest;
  } catch {
    return { ok: false, error: 'the request is not JSON' };
  }
  try {
    switch (request.command) {
      case 'backup':
        if (typeof request.target !== 'string' || request.target === '') return { ok: false, error: 'backup needs a target directory' };
        return { ok: true, manifest: await handlers.backup(request.target) };
      default: {
        const unknown: never = request.command;
        return { ok: false, error: `unknown command ${String(unknown)}` };
      }
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Sends one request to the engine on `dataDir` and waits for its answer. */
export function askEngine(dataDir: string, request: ControlRequest, timeoutMs = 10 * 60_000): Promise<ControlAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(controlSocketPath(dataDir));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the engine did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(text) as ControlAnswer);
      } catch {
        reject(new Error(`the engine answered something unreadable: ${text.slice(0, 200)}`));
      }
    });
  });
}
