// Workflows the embedded-temporal benchmark runs (bundled by the worker; only @temporalio/workflow).
import { sleep } from '@temporalio/workflow';

export async function noop(): Promise<void> {
  return;
}

/** One workflow-task round trip per iteration (timer of 1 ms). */
export async function roundTrips(n: number): Promise<number> {
  for (let i = 0; i < n; i++) await sleep(1);
  return n;
}

export async function longTimer(): Promise<void> {
  await sleep('30 days');
}
