// Checks the whole store: every stream's hash chain (versions contiguous from 1, each previous hash and hash
// recomputed) and the stream heads against the signed anchor log (chain-anchors.ts explains the threat model).

import { ChainAnchor, ChainAnchorKey, FIRST_PREVIOUS_MAC, SqlChainAnchorLog } from './chain-anchors';
import { JsonObject, ReadAllCursor } from './event-store.port';
import { chainHash, GENESIS_HASH } from './hash-chain';
import { checkSchemaName } from './schema';
import { SqlCheckpointStore } from './checkpoint-store';
import { SqlDatabase } from '@engine/database';

export type ChainProblem =
  | { readonly kind: 'event'; readonly streamId: string; readonly version: number; readonly reason: string }
  | { readonly kind: 'anchor'; readonly sequence: number; readonly reason: string };

export interface StoreVerification {
  readonly ok: boolean;
  readonly streams: number;
  readonly events: number;
  readonly anchors: number;
  /** Anchored heads compared with the stored events. */
  readonly anchoredHeads: number;
  /** Whether the anchors were checked (a key was given, or there were none to check). */
  readonly anchorsChecked: boolean;
  /** The newest anchor: note its sequence and mac somewhere else to catch a later removal of anchors. */
  readonly lastAnchor?: Pick<ChainAnchor, 'sequence' | 'mac' | 'anchoredAt'>;
  /** Events after the relay's checkpoint, not anchored yet (normal: the relay has not reached them). */
  readonly eventsAfterRelay: number;
  /** Published events whose hash was compared with the store (when `published` was given). */
  readonly publishedCompared?: number;
  /** In stream order, the first problem of each broken stream, then anchor log problems. */
  readonly problems: readonly ChainProblem[];
  /** Warnings that do not fail the check (no key configured, so no anchors are written or checked). */
  readonly warnings: readonly string[];
}

/** The chain hashes published to the lifecycle topic (libs/kafka readPublishedChainHashes), compared too. */
export interface PublishedHashes {
  readonly byStream: ReadonlyMap<string, ReadonlyMap<number, { readonly hash: string; readonly where: string }>>;
  readonly conflicts: readonly { streamId: string; version: number; first: { hash: string; where: string }; other: { hash: string; where: string } }[];
}

export interface VerifyStoreOptions {
  schema?: string;
  /** The anchor key; without it anchors cannot be authenticated, and a store that has anchors fails the check. */
  key?: ChainAnchorKey;
  /** The relay checkpoint whose published events must all be anchored; default the lifecycle topic's relay. */
  relayName?: string;
  /** What the lifecycle topic holds: a rewrite is then detected even by someone who has the anchor key. */
  published?: PublishedHashes;
}

interface Anchored {
  version: number;
  hash: string;
  sequence: number;
  anchoredAt: string;
}

interface Row {
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  transaction_id: string;
  global_position: string;
  previous_hash: string;
  hash: string;
}

const PAGE_SIZE = 1_000;
const DEFAULT_RELAY_NAME = 'reports.lifecycle.v1';

export async function verifyEventStore(database: SqlDatabase, options: VerifyStoreOptions = {}): Promise<StoreVerification> {
  const schema = checkSchemaName(options.schema ?? 'event_store');
  const problems: ChainProblem[] = [];
  const warnings: string[] = [];

  const [tables] = await database.query<{ events: string | null; anchors: string | null }>(
    `SELECT to_regclass($1)::text AS events, to_regclass($2)::text AS anchors`,
    [`"${schema}".events`, `"${schema}".chain_anchors`],
  );
  if (!tables.events) throw new Error(`there is no event store (schema ${schema}) in this database`);
  // The checkpoint before the anchors: the relay anchors a batch before it saves the checkpoint past it, so every
  // event up to this checkpoint has its anchor among those read next, even while the engine runs.
  const relayCheckpoint = await new SqlCheckpointStore(database, schema).load(options.relayName ?? DEFAULT_RELAY_NAME);
  // No anchor table: a store last opened by a version without anchors (the first start of this one migrates it).
  const anchorCheck = tables.anchors
    ? await checkAnchorLog(new SqlChainAnchorLog(database, schema), options.key, problems, warnings)
    : await checkAnchorLog({ all: async function* () {} }, options.key, problems, warnings);

  let streams = 0;
  let events = 0;
  let eventsAfterRelay = 0;
  let current: StreamWalk | undefined;
  const finishStream = () => {
    if (!current) return;
    const problem = current.finish(anchorCheck.checked && anchorCheck.count > 0);
    if (problem) problems.push(problem);
  };

  const streamsWithEvents = new Set<string>();
  let after: { streamId: string; version: number } | undefined;
  for (;;) {
    const rows = await database.query<Row>(
      `SELECT stream_id, version, event_id, type, schema_version, data::text AS data, metadata::text AS metadata,
              transaction_id::text AS transaction_id, global_position::text AS global_position, previous_hash, hash
       FROM "${schema}".events ${after ? 'WHERE (stream_id, version) > ($1, $2)' : ''}
       ORDER BY stream_id, version LIMIT ${PAGE_SIZE}`,
      after ? [after.streamId, after.version] : [],
    );
    for (const row of rows) {
      if (current?.streamId !== row.stream_id) {
        finishStream();
        current = new StreamWalk(row.stream_id, anchorCheck.byStream.get(row.stream_id) ?? [], options.published?.byStream.get(row.stream_id));
        streamsWithEvents.add(row.stream_id);
        streams += 1;
      }
      events += 1;
      const relayed = notAfter({ transactionId: row.transaction_id, globalPosition: Number(row.global_position) }, relayCheckpoint);
      if (!relayed) eventsAfterRelay += 1;
      current.next(row, relayed);
    }
    if (rows.length < PAGE_SIZE) break;
    const last = rows[rows.length - 1];
    after = { streamId: last.stream_id, version: last.version };
  }
  finishStream();

  // Anchored streams that have no event at all any more.
  for (const [streamId, anchored] of anchorCheck.byStream) {
    if (streamsWithEvents.has(streamId)) continue;
    const first = anchored[0];
    problems.push({ kind: 'event', streamId, version: 1, reason: `the stream has no events, but anchor #${first.sequence} (${first.anchoredAt}) recorded it at version ${first.version}: its events were removed` });
  }
  for (const [streamId, versions] of options.published?.byStream ?? []) {
    if (streamsWithEvents.has(streamId) || anchorCheck.byStream.has(streamId)) continue;
    const [version, published] = [...versions].sort(([a], [b]) => a - b)[0];
    problems.push({ kind: 'event', streamId, version, reason: `the stream has no events, but version ${version} was published on Kafka (${published.where}): its events were removed` });
  }
  for (const { streamId, version, first, other } of options.published?.conflicts ?? []) {
    problems.push({ kind: 'event', streamId, version, reason: `Kafka holds two different hashes for it (${first.where} and ${other.where}): the stored event changed between two publications` });
  }
  problems.sort(problemOrder);

  return {
    ok: problems.length === 0,
    streams,
    events,
    anchors: anchorCheck.count,
    anchoredHeads: anchorCheck.heads,
    anchorsChecked: anchorCheck.checked,
    ...(anchorCheck.last && { lastAnchor: anchorCheck.last }),
    eventsAfterRelay,
    ...(options.published && { publishedCompared: [...options.published.byStream.values()].reduce((sum, versions) => sum + versions.size, 0) }),
    problems,
    warnings,
  };
}

/** Follows one stream's events in version order; remembers its first problem. */
class StreamWalk {
  private expectedVersion = 1;
  private previousHash = GENESIS_HASH;
  private problem?: ChainProblem;
  private anchorIndex = 0;
  /** The last version whose anchored hash matched (for the report: the rewrite is after it). */
  private lastMatchedAnchor = 0;
  private lastRelayedVersion = 0;

  constructor(
    readonly streamId: string,
    /** The stream's anchored heads, by version then sequence. */
    private readonly anchored: readonly Anchored[],
    /** The stream's hashes on the lifecycle topic, by version. */
    private readonly published?: ReadonlyMap<number, { readonly hash: string; readonly where: string }>,
  ) {}

  next(row: Row, relayed: boolean): void {
    if (relayed) this.lastRelayedVersion = row.version;
    if (this.problem) return;
    const broken = (reason: string) => {
      this.problem = { kind: 'event', streamId: this.streamId, version: this.expectedVersion, reason };
    };
    if (row.version !== this.expectedVersion) return broken(`version ${this.expectedVersion} is missing (the next stored version is ${row.version})`);
    if (row.previous_hash !== this.previousHash) return broken(`its previous hash is not the hash of version ${this.expectedVersion - 1}`);
    const recomputed = chainHash(this.previousHash, {
      streamId: row.stream_id,
      version: row.version,
      eventId: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      data: JSON.parse(row.data) as JsonObject,
      metadata: JSON.parse(row.metadata) as JsonObject,
    });
    if (recomputed !== row.hash) return broken('its content (event id, type, data or metadata) does not match its stored hash');
    while (this.anchorIndex < this.anchored.length && this.anchored[this.anchorIndex].version === row.version) {
      const anchor = this.anchored[this.anchorIndex++];
      if (anchor.hash !== row.hash) {
        return broken(
          `its hash differs from the one anchor #${anchor.sequence} recorded (${anchor.anchoredAt}): the stream was rewritten ` +
            `with recomputed hashes at or before version ${row.version}` +
            (this.lastMatchedAnchor > 0 ? `, after version ${this.lastMatchedAnchor} (which still matches its anchor)` : ''),
        );
      }
      this.lastMatchedAnchor = row.version;
    }
    const published = this.published?.get(row.version);
    if (published && published.hash !== row.hash) {
      return broken(`its hash differs from the one published on Kafka (${published.where}): the stream was rewritten after it was published`);
    }
    this.previousHash = row.hash;
    this.expectedVersion += 1;
  }

  /** `anchorsInForce`: the anchor log is authenticated and not empty, so every relayed event must be anchored. */
  finish(anchorsInForce: boolean): ChainProblem | undefined {
    if (this.problem) return this.problem;
    const lastVersion = this.expectedVersion - 1;
    const beyond = this.anchored.find((anchor) => anchor.version > lastVersion);
    if (beyond) {
      return {
        kind: 'event',
        streamId: this.streamId,
        version: lastVersion + 1,
        reason: `the stream ends at version ${lastVersion}, but anchor #${beyond.sequence} (${beyond.anchoredAt}) recorded version ${beyond.version}: events were removed`,
      };
    }
    const publishedBeyond = [...(this.published?.keys() ?? [])].filter((version) => version > lastVersion).sort((a, b) => a - b)[0];
    if (publishedBeyond !== undefined) {
      return {
        kind: 'event',
        streamId: this.streamId,
        version: lastVersion + 1,
        reason: `the stream ends at version ${lastVersion}, but version ${publishedBeyond} was published on Kafka (${this.published!.get(publishedBeyond)!.where}): events were removed`,
      };
    }
    const anchoredUpTo = this.anchored.length > 0 ? this.anchored[this.anchored.length - 1].version : 0;
    if (anchorsInForce && this.lastRelayedVersion > anchoredUpTo) {
      return {
        kind: 'event',
        streamId: this.streamId,
        version: anchoredUpTo + 1,
        reason: `published by the relay (up to version ${this.lastRelayedVersion}) but never anchored: the newest anchors were removed, or the relay ran without the anchor key`,
      };
    }
    return undefined;
  }
}

interface AnchorLogCheck {
  checked: boolean;
  count: number;
  heads: number;
  last?: Pick<ChainAnchor, 'sequence' | 'mac' | 'anchoredAt'>;
  byStream: Map<string, Anchored[]>;
}

/** Reads the anchor log, checks its sequence and signatures, and indexes its heads by stream. */
async function checkAnchorLog(log: Pick<SqlChainAnchorLog, 'all'>, key: ChainAnchorKey | undefined, problems: ChainProblem[], warnings: string[]): Promise<AnchorLogCheck> {
  const result: AnchorLogCheck = { checked: key !== undefined, count: 0, heads: 0, byStream: new Map() };
  let previousMac = FIRST_PREVIOUS_MAC;
  let broken = false;
  for await (const anchor of log.all()) {
    result.count += 1;
    result.last = { sequence: anchor.sequence, mac: anchor.mac, anchoredAt: anchor.anchoredAt };
    if (!broken) {
      const fail = (reason: string) => {
        problems.push({ kind: 'anchor', sequence: anchor.sequence, reason });
        broken = true;
      };
      if (anchor.sequence !== result.count) fail(`anchor #${result.count} is missing (the next one is #${anchor.sequence}): anchors were removed`);
      else if (anchor.previousMac !== previousMac) fail(`its previous signature is not the signature of anchor #${anchor.sequence - 1}`);
      else if (key && anchor.keyId !== key.id) fail(`it was signed with another key (key id ${anchor.keyId}, given ${key.id})`);
      else if (key && key.sign(anchor) !== anchor.mac) fail('its signature does not match its heads: the anchor was forged or changed');
    }
    previousMac = anchor.mac;
    for (const head of anchor.heads) {
      result.heads += 1;
      const list = result.byStream.get(head.streamId) ?? [];
      list.push({ version: head.version, hash: head.hash, sequence: anchor.sequence, anchoredAt: anchor.anchoredAt });
      result.byStream.set(head.streamId, list);
    }
  }
  for (const list of result.byStream.values()) list.sort((a, b) => a.version - b.version || a.sequence - b.sequence);
  if (!key) {
    if (result.count > 0) {
      problems.push({ kind: 'anchor', sequence: 1, reason: 'the store has anchors but no key was given to check their signatures (CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE)' });
    } else {
      warnings.push('no chain anchor key is configured: stream heads are neither anchored nor checked, so a stream rewritten with recomputed hashes would pass');
    }
  }
  return result;
}

function notAfter(a: ReadAllCursor, b: ReadAllCursor): boolean {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  return ta < tb || (ta === tb && a.globalPosition <= b.globalPosition);
}

function problemOrder(a: ChainProblem, b: ChainProblem): number {
  if (a.kind !== b.kind) return a.kind === 'event' ? -1 : 1;
  if (a.kind === 'event' && b.kind === 'event') return a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0;
  return (a as { sequence: number }).sequence - (b as { sequence: number }).sequence;
}
