// Typed errors of the event store, so callers can tell a lost race from bad input from an outage.

import { isDataRefusedByDatabase } from '@engine/database';

/** The stream is not at the expected version, or a different event already holds one of the versions. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
    detail?: string,
  ) {
    super(
      `Concurrency conflict on stream "${streamId}": expected version ${expectedVersion}, actual version ${actualVersion}` +
        (detail ? ` (${detail})` : ''),
    );
  }
}

/** An event id is already stored at another stream or version; event ids are unique in the whole store. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly eventId: string,
    readonly storedStreamId: string,
    readonly storedVersion: number,
  ) {
    super(`Event id "${eventId}" is already used by version ${storedVersion} of stream "${storedStreamId}"`);
  }
}

/** The input to an event-store call is malformed; nothing was written. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/**
 * True when an append (or a write of a stored event elsewhere) failed because of the events themselves: the
 * store's own validation, an event id already taken, or the database refusing the data (libs/database
 * databaseErrorKind). Retrying such a write can never succeed; anything else (an outage, a lost race the caller
 * handles) may.
 */
export function isUnstorableEventError(error: unknown): boolean {
  return error instanceof InvalidEventError || error instanceof DuplicateEventIdError || isDataRefusedByDatabase(error);
}
