// The chain anchor log: the stream heads (stream, version, hash) the relay reached, signed with a key kept outside
// the database, in a table of its own whose rows are chained by their signatures.
//
// Threat model. The hash chain alone shows an event changed behind the store's back, but whoever can write the
// events table (a database owner, a role that may disable the append-only triggers, anyone holding PGlite's files)
// can also rewrite a whole stream and recompute every later hash: the chain then checks out. The anchors close
// that gap for such a writer as long as they do not hold the anchor key (CHAIN_ANCHOR_KEY / CHAIN_ANCHOR_KEY_FILE,
// read by the worker and the verifier, never stored in the database):
// - a rewritten event at or before an anchored version no longer matches the anchored hash, and a new anchor
//   cannot be forged without the key (HMAC-SHA256);
// - an anchor changed or removed in the middle breaks the chain of signatures (each covers the previous one);
// - removing the newest anchors leaves events the relay already published without an anchor, which the verifier
//   reports (events after the relay's checkpoint, typically under a second old, are covered by the chain alone).
// What it does not cover: a writer who also has the key (in `npm start` the key sits in the data directory with
// PGlite's files, so the owner of that directory has both: point CHAIN_ANCHOR_KEY_FILE elsewhere to separate
// them), or one who removes the newest anchors AND rewinds the relay checkpoint (the relay then publishes those
// events again; the relay logs each anchor's sequence and signature, so a log kept elsewhere is a witness).

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { canonicalJson } from './canonical-json';
import { InvalidEventError } from './errors';
import { ReadAllCursor, StoredEvent } from './event-store.port';
import { checkSchemaName } from './schema';
import { SqlDatabase } from '@engine/database';

/** Where a stream stood when anchored. */
export interface StreamHead {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
}

export interface ChainAnchor {
  /** 1, 2, 3… with no gap. */
  readonly sequence: number;
  readonly anchoredAt: string;
  /** Sorted by stream id, one per stream. */
  readonly heads: readonly StreamHead[];
  readonly keyId: string;
  /** The previous anchor's mac; 64 zeros for the first. */
  readonly previousMac: string;
  readonly mac: string;
}

const FIRST_PREVIOUS_MAC = '0'.repeat(64);
const MIN_KEY_BYTES = 16;

/** The secret that signs anchors. Its id (a digest) is stored with each anchor; the secret never is. */
export class ChainAnchorKey {
  readonly id: string;

  constructor(private readonly secret: Buffer) {
    if (secret.length < MIN_KEY_BYTES) throw new InvalidEventError(`a chain anchor key needs at least ${MIN_KEY_BYTES} bytes, got ${secret.length}`);
    this.id = createHash('sha256').update('chain-anchor-key:').update(secret).digest('hex').slice(0, 16);
  }

  /** HMAC-SHA256 over the anchor's sequence, the previous mac and its heads (canonical JSON). */
  sign(anchor: Pick<ChainAnchor, 'sequence' | 'previousMac' | 'heads'>): string {
    const heads = anchor.heads.map(({ streamId, version, hash }) => ({ streamId, version, hash }));
    return createHmac('sha256', this.secret)
      .update(canonicalJson({ sequence: anchor.sequence, previousMac: anchor.previousMac, heads }), 'utf8')
      .digest('hex');
  }
}

/** The file name `npm start` keeps its generated key under, in the data directory. */
export const CHAIN_ANCHOR_KEY_FILE_NAME = 'chain-anchor.key';

/**
 * The key from CHAIN_ANCHOR_KEY (the secret itself) or CHAIN_ANCHOR_KEY_FILE (a file holding it), else from
 * `fallbackFile` when that exists; undefined when none is configured (anchoring is then off).
 */
export function readChainAnchorKey(env: NodeJS.ProcessEnv, fallbackFile?: string): ChainAnchorKey | undefined {
  if (env.CHAIN_ANCHOR_KEY && env.CHAIN_ANCHOR_KEY_FILE) {
    throw new InvalidEventError('set CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE, not both');
  }
  if (env.CHAIN_ANCHOR_KEY) return new ChainAnchorKey(Buffer.from(env.CHAIN_ANCHOR_KEY.trim(), 'utf8'));
  const file = env.CHAIN_ANCHOR_KEY_FILE || (fallbackFile && existsSync(fallbackFile) ? fallbackFile : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new InvalidEventError(`cannot read the chain anchor key file ${file}: ${(error as Error).message}`);
  }
  return new ChainAnchorKey(Buffer.from(text, 'utf8'));
}

/** Creates `file` with a random key (owner-only) unless it exists; returns whether it was created. */
export function ensureChainAnchorKeyFile(file: string): boolean {
  if (existsSync(file)) return false;
  writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return true;
}

/** The newest head of each stream among `events` (a relay batch), sorted by stream id. */
export function headsOf(events: readonly Pick<StoredEvent, 'streamId' | 'version' | 'hash'>[]): StreamHead[] {
  const heads = new Map<string, StreamHead>();
  for (const { streamId, version, hash } of events) {
    const known = heads.get(streamId);
    if (!known || known.version < version) heads.set(streamId, { streamId, version, hash });
  }
  return [...heads.values()].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
}

interface AnchorRow {
  sequence: string;
  anchored_at: string;
  heads: string;
  key_id: string;
  previous_mac: string;
  mac: string;
}

const PAGE_SIZE = 1_000;

export class SqlChainAnchorLog {
  private readonly anchors: string;
  private readonly events: string;

  constructor(
    private readonly database: SqlDatabase,
    private readonly schema: string,
  ) {
    checkSchemaName(schema);
    this.anchors = `"${schema}".chain_anchors`;
    this.events = `"${schema}".events`;
  }

  /** Appends an anchor of `heads` (nothing when empty), after the newest one, under a lock so anchors never fork. */
  async append(heads: readonly StreamHead[], key: ChainAnchorKey): Promise<ChainAnchor | undefined> {
    if (heads.length === 0) return undefined;
    return this.database.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`chain-anchors:${this.schema}`]);
      // Ordered by the column (a.sequence): a bare "sequence" would name the text alias, and '9' sorts after '10'.
      const [last] = await tx.query<{ sequence: string; mac: string }>(`SELECT a.sequence::text AS sequence, a.mac FROM ${this.anchors} AS a ORDER BY a.sequence DESC LIMIT 1`);
      const sequence = last ? Number(last.sequence) + 1 : 1;
      const previousMac = last?.mac ?? FIRST_PREVIOUS_MAC;
      const mac = key.sign({ sequence, previousMac, heads });
      const [row] = await tx.query<AnchorRow>(
        `INSERT INTO ${this.anchors} (sequence, heads, key_id, previous_mac, mac) VALUES ($1, $2::jsonb, $3, $4, $5)
         RETURNING ${ANCHOR_COLUMNS}`,
        [sequence, JSON.stringify(heads), key.id, previousMac, mac],
      );
      return toAnchor(row);
    });
  }

  /** Whether no anchor was ever written. */
  async isEmpty(): Promise<boolean> {
    const rows = await this.database.query(`SELECT 1 FROM ${this.anchors} LIMIT 1`);
    return rows.length === 0;
  }

  /** The head of every stream counting only events at or before `cursor` (what a relay at that checkpoint passed). */
  async headsUpTo(cursor: ReadAllCursor): Promise<StreamHead[]> {
    const rows = await this.database.query<{ stream_id: string; version: number; hash: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM ${this.events}
       WHERE (transaction_id, global_position) <= ($1::xid8, $2::bigint) ORDER BY stream_id, version DESC`,
      [cursor.transactionId, cursor.globalPosition],
    );
    return headsOf(rows.map((row) => ({ streamId: row.stream_id, version: row.version, hash: row.hash })));
  }

  /** Every anchor in sequence order, a page at a time. */
  async *all(): AsyncGenerator<ChainAnchor> {
    let after = 0;
    for (;;) {
      const rows = await this.database.query<AnchorRow>(
        `SELECT ${ANCHOR_COLUMNS} FROM ${this.anchors} AS a WHERE a.sequence > $1 ORDER BY a.sequence LIMIT ${PAGE_SIZE}`,
        [after],
      );
      for (const row of rows) yield toAnchor(row);
      if (rows.length < PAGE_SIZE) return;
      after = Number(rows[rows.length - 1].sequence);
    }
  }
}

/**
 * What the outbox relay calls with each batch before publishing it. On its first call it also anchors every
 * stream the relay passed before anchoring was switched on (an empty anchor log), so that the verifier's rule
 * "every published event is anchored" holds from then on.
 */
export class ChainAnchoring {
  private caughtUp = false;

  constructor(
    private readonly log: SqlChainAnchorLog,
    private readonly key: ChainAnchorKey,
    private readonly onAnchored?: (anchor: ChainAnchor) => void,
  ) {}

  /** `checkpoint`: the relay's cursor before `events`. */
  async anchorBatch(events: readonly StoredEvent[], checkpoint: ReadAllCursor): Promise<void> {
    if (!this.caughtUp) {
      if (await this.log.isEmpty()) await this.record(await this.log.headsUpTo(checkpoint));
      this.caughtUp = true;
    }
    await this.record(headsOf(events));
  }

  private async record(heads: readonly StreamHead[]): Promise<void> {
    const anchor = await this.log.append(heads, this.key);
    if (anchor) this.onAnchored?.(anchor);
  }
}

const ANCHOR_COLUMNS = `sequence::text AS sequence,
  to_char(anchored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS anchored_at,
  heads::text AS heads, key_id, previous_mac, mac`;

function toAnchor(row: AnchorRow): ChainAnchor {
  return {
    sequence: Number(row.sequence),
    anchoredAt: row.anchored_at,
    heads: JSON.parse(row.heads) as StreamHead[],
    keyId: row.key_id,
    previousMac: row.previous_mac,
    mac: row.mac,
  };
}

export { FIRST_PREVIOUS_MAC };
