// Connections to Temporal: the client side (API, activities that signal) and the worker side, both with the
// same address, namespace, TLS and API key (temporal-connection-options.ts).

import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConnectionOptions } from './temporal-connection-options';

export interface TemporalOptions extends Omit<TemporalConnectionOptions, 'namespace'> {
  namespace?: string;
  taskQueue: string;
}

export const DEFAULT_TASK_QUEUE = 'reports';

/** The SDK's connection options: TLS off unless configured, so that an API key alone does not decide it here. */
function sdkConnectionOptions({ address, tls, apiKey }: Pick<TemporalConnectionOptions, 'address' | 'tls' | 'apiKey'>) {
  return { address, tls: tls ?? false, ...(apiKey !== undefined && { apiKey }) };
}

export async function connectClient(options: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect(sdkConnectionOptions(options));
  return new Client({ connection, namespace: options.namespace ?? 'default' });
}

export function connectWorker(options: TemporalOptions): Promise<NativeConnection> {
  return NativeConnection.connect(sdkConnectionOptions(options));
}
