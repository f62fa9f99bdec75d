// The per-stream hash chain: each event's hash covers the previous hash and the event's canonical form.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { JsonObject } from './event-store.port';

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The parts of an event that the hash covers (not its position, transaction or recorded-at, which the store assigns). */
export interface HashedEventContent {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: JsonObject;
  metadata: JsonObject;
}

/** Hex sha256 of `previousHash` followed by the canonical JSON of the event's content. */
export function chainHash(previousHash: string, event: HashedEventContent): string {
  const canonical = canonicalJson({
    streamId: event.streamId,
    version: event.version,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(previousHash, 'utf8').update(canonical, 'utf8').digest('hex');
}
