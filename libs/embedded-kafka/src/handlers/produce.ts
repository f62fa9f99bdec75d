// Produce (key 0), v0-v7: validates v2 record batches (CRC32C), runs idempotence checks, appends; acks 0/1/-1.
import { ErrorCode } from '../protocol/api';
import { InvalidBatchError, MissingBatchError, OldMessageFormatError, isControlBatch, splitProducedBatches } from '../protocol/record-batch';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../storage/topic-store';
import { RequestContext } from './context';

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}

export function handleProduce(request: Reader, context: RequestContext): Writer | null {
  const version = context.header.apiVersion;
  const { broker } = context;
  const transactionalId = version >= 3 ? request.nullableString() : null;
  const acks = request.int16();
  request.int32(); // timeout: a single broker never waits for replicas
  const topics = request.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => ({ index: p.int32(), records: p.nullableBytes() })),
  }));

  const now = Date.now();
  const durable = acks === -1;
  let appended = false;
  const results = topics.map((topicData) => {
    // Like Kafka, Produce never creates a topic (clients ask Metadata first, which may).
    const topic = broker.topics.get(topicData.name);
    const partitions = topicData.partitions.map((partitionData): PartitionResult => {
      const fail = (errorCode: number): PartitionResult => ({ index: partitionData.index, errorCode, baseOffset: -1, logStartOffset: -1 });
      if (acks !== 0 && acks !== 1 && acks !== -1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
      if (transactionalId !== null) return fail(ErrorCode.INVALID_REQUEST);
      if (!context.session.access.mayWrite) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
      const partition = topic?.partitions[partitionData.index];
      if (!partition) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      let batches;
      try {
        batches = splitProducedBatches(partitionData.records ?? Buffer.alloc(0));
      } catch (error) {
        // Produce v3+ must carry record batches: Kafka answers INVALID_RECORD to anything else. Kafka would
        // store the old message formats sent with v0-v2; the stand-in refuses them (UNSUPPORTED_FOR_MESSAGE_FORMAT).
        if (error instanceof OldMessageFormatError) return fail(version >= 3 ? ErrorCode.INVALID_RECORD : ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
        if (error instanceof MissingBatchError && version >= 3) return fail(ErrorCode.INVALID_RECORD);
        if (error instanceof InvalidBatchError) return fail(ErrorCode.CORRUPT_MESSAGE);
        throw error;
      }
      // Produce v3+ carries exactly one batch per partition (Kafka answers INVALID_RECORD otherwise).
      if (version >= 3 && batches.length !== 1) return fail(ErrorCode.INVALID_RECORD);
      // max.message.bytes bounds each batch, as in Kafka.
      const maxBatchBytes = Number(topic?.configs['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
      if (batches.some(({ header }) => header.size > maxBatchBytes)) return fail(ErrorCode.MESSAGE_TOO_LARGE);
      // Transactions are not offered (no AddPartitionsToTxn), so transactional or control batches are refused.
      if (batches.some(({ header }) => isControlBatch(header.attributes) || (header.attributes & 0x10) !== 0)) {
        return fail(ErrorCode.INVALID_REQUEST);
      }
      const result = partition.append(batches, now, durable);
      if (result.errorCode === ErrorCode.NONE) appended = true;
      return { index: partitionData.index, ...result };
    });
    return { name: topicData.name, partitions };
  });
  if (appended) broker.notifyDataAppended();
  if (acks === 0) return null;

  const response = new Writer();
  response.array(results, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
      if (version >= 2) pw.int64(-1); // log append time: CreateTime topics answer -1
      if (version >= 5) pw.int64(p.logStartOffset);
    });
  });
  if (version >= 1) response.int32(0);
  return response;
}
