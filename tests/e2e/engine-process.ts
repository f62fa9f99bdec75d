// Runs `npm start`'s program (dist/apps/embedded/src/main.js) as a child process on free ports, as a user would.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SASLOptions } from 'kafkajs';
import { CREDENTIALS_FILE, type StandInCredentials } from '../../apps/embedded/src/stand-in-credentials';
import { spawnUntilReady } from '../support/ready-child';
import { freePort } from '../support/free-port';
import { repositoryRoot } from '../support/repository-root';

export { freePort };

export const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  staff: 'staff-token-0123456789abcdef',
  viewer: 'viewer-token-0123456789abcdef',
};

/** AUTH_TOKENS for the tokens above. */
export const AUTH_TOKENS = `${TOKENS.admin}=admin:admin.kurz,${TOKENS.staff}=staff:analyst.meyer,${TOKENS.viewer}=viewer:reader`;


export interface EngineProcess extends ChildProgram {
  baseUrl: string;
}

export interface EnginePorts {
  port: number;
  temporalPort: number;
  kafkaPort: number;
}

export async function freeEnginePorts(): Promise<EnginePorts> {
  return { port: await freePort(), temporalPort: await freePort(), kafkaPort: await freePort() };
}

export interface ChildProgram {
  /** The process id (benchmarks read its CPU time from /proc). */
  pid: number;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs one of the repository's compiled programs (a path from the repository root) until it shows `ready`. */
export async function startProgram(script: string, args: string[], env: Record<string, string>, ready: string | RegExp, timeoutMs = 60_000): Promise<ChildProgram> {
  const pattern = typeof ready === 'string' ? new RegExp(ready.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : ready;
  const { child, output, exited } = await spawnUntilReady(join(repositoryRoot(), script), args, pattern, { env, timeoutMs });
  return {
    pid: child.pid!,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return (await exited).code;
    },
  };
}

/**
 * `npm start`'s program; `{ authTokens: false }` starts it as a first-time user would, without AUTH_TOKENS;
 * `env` adds or overrides variables (an empty value unsets one inherited from the test's environment).
 */
export async function startEngine(dataDir: string, ports: EnginePorts, { authTokens = true, env = {} as Record<string, string> } = {}): Promise<EngineProcess> {
  const program = await startProgram(
    'dist/apps/embedded/src/main.js',
    [],
    {
      DATA_DIR: dataDir,
      PORT: String(ports.port),
      TEMPORAL_PORT: String(ports.temporalPort),
      KAFKA_PORT: String(ports.kafkaPort),
      AUTH_TOKENS: authTokens ? AUTH_TOKENS : '',
      // As `npm start` sets it (package.json), so that tests and benchmarks run the program as users do.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      ...env,
    },
    'Report escalation engine is running.',
  );
  return { ...program, baseUrl: `http://127.0.0.1:${ports.port}` };
}

/** A small HTTP client with the engine's bearer tokens. */
export function httpClient(baseUrl: string) {
  const call = async (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json as Record<string, any>, headers: response.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return {
    /** `token: null` sends no Authorization header. */
    get: (path: string, token: string | null = TOKENS.viewer) => call('GET', path, token),
    post: (path: string, body?: unknown, token: string | null = TOKENS.staff, headers?: Record<string, string>) => call('POST', path, token, body, headers),
    put: (path: string, body: unknown, token: string | null = TOKENS.admin) => call('PUT', path, token, body),
  };
}

/** The credentials `npm start` generated in `dataDir` for its stand-ins (the broker's users, the Temporal API key). */
export function standInCredentials(dataDir: string): StandInCredentials {
  return JSON.parse(readFileSync(join(dataDir, CREDENTIALS_FILE), 'utf8')) as StandInCredentials;
}

/**
 * kafkajs `sasl` for the embedded broker of the engine on `dataDir`: the product's user (full access) or the
 * read-only user outside consumers get.
 */
export function embeddedKafkaSasl(dataDir: string, user: 'product' | 'reader' = 'reader'): SASLOptions {
  return { mechanism: 'scram-sha-512', ...standInCredentials(dataDir).kafka[user] };
}

/** Temporal SDK connection options for the embedded frontend of the engine on `dataDir` (API key, plaintext). */
export function embeddedTemporalConnection(dataDir: string, address: string): { address: string; apiKey: string; tls: false } {
  return { address, apiKey: standInCredentials(dataDir).temporalApiKey, tls: false };
}
