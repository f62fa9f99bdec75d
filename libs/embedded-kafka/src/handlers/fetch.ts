// Fetch (key 1), v0-v11: whole stored batches from the requested offset, long-polling until min_bytes or
// max_wait_ms, bounded by partition and response max_bytes. No fetch sessions (session id 0 = full fetches).
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

const MAX_WAIT_MS = 60_000;

interface PartitionFetch {
  index: number;
  fetchOffset: number;
  maxBytes: number;
}

interface PartitionData {
  index: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer;
}

export async function handleFetch(request: Reader, context: RequestContext): Promise<Writer> {
  const version = context.header.apiVersion;
  const { broker } = context;
  request.int32(); // replica id
  const maxWaitMs = request.int32();
  const minBytes = request.int32();
  const maxBytes = version >= 3 ? request.int32() : 0x7fffffff;
  if (version >= 4) request.int8(); // isolation level: no transactions, so both levels read the same
  if (version >= 7) {
    request.int32(); // session id
    request.int32(); // session epoch
  }
  const topics = request.array((r) => ({
    name: r.string(),
    partitions: r.array((p): PartitionFetch => {
      const index = p.int32();
      if (version >= 9) p.int32(); // current leader epoch
      const fetchOffset = p.int64AsNumber();
      if (version >= 5) p.int64(); // follower's log start offset
      return { index, fetchOffset, maxBytes: p.int32() };
    }),
  }));
  if (version >= 7) request.array((r) => ({ name: r.string(), partitions: r.array((p) => p.int32()) }));
  if (version >= 11) request.string(); // rack id

  // Bounded like Kafka's replica.fetch.wait.max.ms would; timers cannot exceed 2^31-1 ms anyway.
  const deadline = Date.now() + Math.min(Math.max(0, maxWaitMs), MAX_WAIT_MS);
  let results = collect(topics, maxBytes, context);
  while (
    totalBytes(results) < minBytes &&
    !results.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE)) &&
    Date.now() < deadline
  ) {
    await broker.waitForData(deadline - Date.now());
    results = collect(topics, maxBytes, context);
  }

  const response = new Writer(1024 + totalBytes(results));
  if (version >= 1) response.int32(0);
  if (version >= 7) response.int16(ErrorCode.NONE).int32(0);
  response.array(results, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.index).int16(p.errorCode).int64(p.highWatermark);
      if (version >= 4) pw.int64(p.highWatermark); // last stable offset: no open transactions
      if (version >= 5) pw.int64(p.logStartOffset);
      if (version >= 4) pw.nullableArray(null, () => undefined);
      if (version >= 11) pw.int32(-1);
      pw.bytes(p.records);
    });
  });
  return response;
}

function collect(
  topics: { name: string; partitions: PartitionFetch[] }[],
  responseMaxBytes: number,
  context: RequestContext,
): { name: string; partitions: PartitionData[] }[] {
  let budget = responseMaxBytes;
  return topics.map((topicRequest) => {
    const topic = context.broker.topics.get(topicRequest.name);
    const partitions = topicRequest.partitions.map((fetch): PartitionData => {
      const partition = topic?.partitions[fetch.index];
      if (!partition) {
        return { index: fetch.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, records: Buffer.alloc(0) };
      }
      const { log } = partition;
      const base = { index: fetch.index, highWatermark: log.nextOffset, logStartOffset: log.logStartOffset };
      if (fetch.fetchOffset < log.logStartOffset || fetch.fetchOffset > log.nextOffset) {
        // Kafka answers a failed partition read with unknown (-1) offsets, not the log's.
        return { index: fetch.index, highWatermark: -1, logStartOffset: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: Buffer.alloc(0) };
      }
      // The first partition with data may exceed the response limit by one batch (KIP-74); after it, not.
      const records = budget > 0 ? log.read(fetch.fetchOffset, Math.max(1, Math.min(fetch.maxBytes, budget))) : Buffer.alloc(0);
      budget = Math.max(0, budget - records.length);
      return { ...base, errorCode: ErrorCode.NONE, records };
    });
    return { name: topicRequest.name, partitions };
  });
}

function totalBytes(results: { partitions: PartitionData[] }[]): number {
  return results.reduce((sum, t) => sum + t.partitions.reduce((s, p) => s + p.records.length, 0), 0);
}
