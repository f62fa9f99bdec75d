// Which projection failures come from the message itself (applying it again fails the same way) rather than
// from an outage, so the projector can quarantine the message instead of retrying it for ever.

import { isDataRefusedByDatabase } from '@engine/database';
import { ReadModelGapError } from './read-model';

/**
 * True for a value the database refuses (a deadline in the year 21192, text it cannot keep), a message that
 * skips a version of its report (history this model needs is missing), and data the fold cannot read (a
 * TypeError or RangeError from `evolve`). Database outages and unknown errors are not: they are retried.
 */
export function isUnprojectableError(error: unknown): boolean {
  return isDataRefusedByDatabase(error) || error instanceof ReadModelGapError || error instanceof TypeError || error instanceof RangeError;
}
