// Connections to Temporal: the client side (API, activities that signal) and the worker side.

import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalOptions {
  /** `host:port` of the frontend, for example from `TEMPORAL_ADDRESS`. */
  address: string;
  namespace?: string;
  taskQueue: string;
}

export const DEFAULT_TASK_QUEUE = 'reports';

export async function connectClient({ address, namespace = 'default' }: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}

export function connectWorker({ address }: TemporalOptions): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
