// Idempotent-producer bookkeeping for one partition: per producer id, its epoch and its last five batches,
// to spot duplicates (answered with the original offset) and gaps (OUT_OF_ORDER_SEQUENCE_NUMBER), like Kafka.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileDurably } from '../storage/files';
import { ErrorCode } from '../protocol/api';

/** Kafka keeps this many batches per producer to recognise retried batches. */
export const CACHED_BATCHES_PER_PRODUCER = 5;

interface SequencedBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: SequencedBatch[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'reject'; errorCode: number };

export interface ProducedBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  /** Number of offsets the batch spans minus one. */
  lastOffsetDelta: number;
}

const MAX_SEQUENCE = 2 ** 31 - 1;

function addToSequence(sequence: number, increment: number): number {
  // Sequences wrap from Int32.MAX to 0, as in Kafka.
  return sequence > MAX_SEQUENCE - increment ? increment - (MAX_SEQUENCE - sequence) - 1 : sequence + increment;
}

export class ProducerState {
  private readonly producers = new Map<number, ProducerEntry>();

  check(batch: ProducedBatch): SequenceCheck {
    if (batch.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(batch.producerId);
    // Like Kafka since KIP-360: a producer this partition knows nothing of (e.g. all its batches were deleted
    // by retention) may continue at any sequence; from then on it is checked.
    if (!entry) return { kind: 'append' };
    if (batch.producerEpoch < entry.epoch) return { kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    if (batch.producerEpoch > entry.epoch) {
      return batch.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    const lastSequence = addToSequence(batch.baseSequence, batch.lastOffsetDelta);
    const duplicate = entry.batches.find(
      (cached) => cached.firstSequence === batch.baseSequence && cached.lastSequence === lastSequence,
    );
    if (duplicate) return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
    const latest = entry.batches[entry.batches.length - 1];
    if (latest && batch.baseSequence !== addToSequence(latest.lastSequence, 1)) {
      return { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: 'append' };
  }

  /** Records an appended batch (also used when replaying the log on recovery). */
  record(batch: ProducedBatch, baseOffset: number): void {
    if (batch.producerId < 0) return;
    let entry = this.producers.get(batch.producerId);
    if (!entry || batch.producerEpoch > entry.epoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
      this.producers.set(batch.producerId, entry);
    }
    entry.batches.push({
      firstSequence: batch.baseSequence,
      lastSequence: addToSequence(batch.baseSequence, batch.lastOffsetDelta),
      baseOffset,
      lastOffset: baseOffset + batch.lastOffsetDelta,
    });
    if (entry.batches.length > CACHED_BATCHES_PER_PRODUCER) entry.batches.shift();
  }

  /**
   * Persists the state as of `nextOffset`, so it survives retention deleting the segments it was built
   * from; recovery loads the snapshot and replays the batches from that offset on.
   */
  writeSnapshot(directory: string, nextOffset: number): void {
    const file = path.join(directory, 'producer-state.json');
    writeFileDurably(file, JSON.stringify({ nextOffset, producers: [...this.producers.entries()] }));
  }

  /** Loads a snapshot if there is one; returns the offset from which the log must be replayed. */
  loadSnapshot(directory: string): number {
    const file = path.join(directory, 'producer-state.json');
    if (!fs.existsSync(file)) return 0;
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      nextOffset: number;
      producers: [number, ProducerEntry][];
    };
    for (const [producerId, entry] of snapshot.producers) this.producers.set(producerId, entry);
    return snapshot.nextOffset;
  }
}
