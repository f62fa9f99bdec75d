// Connections to Temporal: the client side (API, activities that signal) and the worker side, both with the
// same address, namespace, TLS and API key (temporal-connection-options.ts).

import { Client, ClientOptions, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { describeTemporalConnection, TemporalConnectionOptions } from './temporal-connection-options';
import { diagnoseTls } from './tls-diagnosis';

export interface TemporalOptions extends Omit<TemporalConnectionOptions, 'namespace'> {
  namespace?: string;
  taskQueue: string;
  /** How long the client Connection waits for the server, in ms (the SDK's default: 10 s). */
  connectTimeoutMs?: number;
}

export const DEFAULT_TASK_QUEUE = 'reports';

/** The SDK's connection options: TLS off unless configured, so that an API key alone does not decide it here. */
function sdkConnectionOptions({ address, tls, apiKey }: Pick<TemporalConnectionOptions, 'address' | 'tls' | 'apiKey'>) {
  return { address, tls: tls ?? false, ...(apiKey !== undefined && { apiKey }) };
}

/** A failed connect, said with where it went, how, and (over TLS) what a handshake with the same settings found. */
async function connectFailure(options: TemporalOptions, error: unknown): Promise<Error> {
  const reason = error instanceof Error ? error.message : String(error);
  const tls = options.tls ? await diagnoseTls(options.address, options.tls) : undefined;
  const where = describeTemporalConnection({ ...options, namespace: options.namespace ?? 'default' });
  return new Error(`cannot connect to Temporal at ${where}: ${reason}${tls ? `; TLS handshake: ${tls}` : ''}`, { cause: error });
}

/** `interceptors`: the client's, e.g. tracing's (see @engine/telemetry). */
export async function connectClient(options: TemporalOptions, { interceptors }: Pick<ClientOptions, 'interceptors'> = {}): Promise<Client> {
  const connection = await Connection.connect({ ...sdkConnectionOptions(options), ...(options.connectTimeoutMs !== undefined && { connectTimeout: options.connectTimeoutMs }) }).catch(
    async (error: unknown) => {
      throw await connectFailure(options, error);
    },
  );
  return new Client({ connection, namespace: options.namespace ?? 'default', ...(interceptors && { interceptors }) });
}

export async function connectWorker(options: TemporalOptions): Promise<NativeConnection> {
  return NativeConnection.connect(sdkConnectionOptions(options)).catch(async (error: unknown) => {
    throw await connectFailure(options, error);
  });
}
