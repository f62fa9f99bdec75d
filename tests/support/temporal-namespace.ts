// A Temporal namespace of its own on the shared real dev server, so that workflow ids, dossiers and the
// running-cases query of one test never see another run's. Registered as an operator would (the engine itself
// never creates a namespace); the engine's own start adds its search attributes to it.

import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { eventually } from './eventually';

export interface TestNamespace {
  namespace: string;
  remove(): Promise<void>;
}

let registered = 0;

export async function registerTestNamespace(address: string, prefix: string): Promise<TestNamespace> {
  const namespace = `${prefix}-${process.pid}-${++registered}-${Date.now().toString(36)}`;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await eventually(
      () => connection.workflowService.describeNamespace({ namespace }).then(() => true, () => undefined),
      20_000,
      `namespace ${namespace} to be registered`,
    );
  } finally {
    await connection.close();
  }
  return {
    namespace,
    async remove() {
      const cleanup = await Connection.connect({ address });
      try {
        await cleanup.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
      } finally {
        await cleanup.close();
      }
    },
  };
}
