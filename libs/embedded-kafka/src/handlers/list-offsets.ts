// ListOffsets (key 2), v0-v3: earliest (-2), latest (-1) or the first offset at or after a timestamp.
import { ErrorCode } from '../protocol/api';
import { UnreadableCompressionError } from '../protocol/record-batch';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

const LATEST = -1;
const EARLIEST = -2;

export function handleListOffsets(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  request.int32(); // replica id
  if (version >= 2) request.int8(); // isolation level
  const topics = request.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => {
      const index = p.int32();
      const timestamp = p.int64AsNumber();
      if (version === 0) p.int32(); // max number of offsets
      return { index, timestamp };
    }),
  }));

  const response = new Writer();
  if (version >= 2) response.int32(0);
  response.array(topics, (w, topicRequest) => {
    const topic = context.broker.topics.get(topicRequest.name);
    w.string(topicRequest.name);
    w.array(topicRequest.partitions, (pw, p) => {
      const partition = topic?.partitions[p.index];
      let errorCode: number = ErrorCode.NONE;
      let found: { offset: number; timestamp: number } | null = null;
      if (!partition) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.timestamp === LATEST) found = { offset: partition.log.nextOffset, timestamp: -1 };
      else if (p.timestamp === EARLIEST) found = { offset: partition.log.logStartOffset, timestamp: -1 };
      else {
        try {
          found = partition.log.offsetForTimestamp(p.timestamp);
        } catch (error) {
          // Kafka inflates any codec to find the record; the stand-in refuses the ones it cannot inflate.
          if (!(error instanceof UnreadableCompressionError)) throw error;
          errorCode = ErrorCode.UNSUPPORTED_COMPRESSION_TYPE;
        }
      }
      pw.int32(p.index).int16(errorCode);
      if (version === 0) pw.array(found ? [found.offset] : [], (ow, offset) => ow.int64(offset));
      else pw.int64(found?.timestamp ?? -1).int64(found?.offset ?? -1);
    });
  });
  return response;
}
