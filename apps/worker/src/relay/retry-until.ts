// Keeps trying a start-up step against Kafka in the background: the worker's Temporal side must start and keep
// deadlines firing even while Kafka is down (its events wait in the outbox).

import { Logger } from '@nestjs/common';

/** Resolves when `task` succeeded, or when `signal` aborts (then without running it again). */
export async function retryUntil(task: () => Promise<void>, signal: AbortSignal, logger: Logger, what: string): Promise<void> {
  for (let attempt = 1, delayMs = 1_000; !signal.aborted; attempt++, delayMs = Math.min(delayMs * 2, 30_000)) {
    try {
      await task();
      return;
    } catch (error) {
      logger.warn(`${what} failed (attempt ${attempt}), retrying in ${delayMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}
