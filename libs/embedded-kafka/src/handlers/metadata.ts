// Metadata (key 3), v0-v6: this single broker leads every partition.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { isLegalTopicName } from '../storage/topic-store';
import { RequestContext } from './context';

export function handleMetadata(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { broker } = context;
  const requested = version === 0 ? request.array((r) => r.string()) : request.nullableArray((r) => r.string());
  // Auto-creation needs CREATE, which only a user with full access has.
  const allowAutoCreation = (version >= 4 ? request.boolean() : true) && context.session.access.mayAdminister;
  // v0: an empty list means all topics; v1+: null means all, empty means none.
  const names = requested === null || (version === 0 && requested.length === 0) ? broker.topics.list().map((t) => t.name) : requested;

  const response = new Writer();
  if (version >= 3) response.int32(0);
  response.array([broker], (w, b) => {
    w.int32(b.nodeId).string(b.host).int32(b.port);
    if (version >= 1) w.nullableString(null);
  });
  if (version >= 2) response.nullableString(broker.clusterId);
  if (version >= 1) response.int32(broker.nodeId);
  response.array(names, (w, name) => {
    let topic = broker.topics.get(name);
    if (!topic && allowAutoCreation && isLegalTopicName(name) && broker.autoCreateTopic(name)) topic = broker.topics.get(name);
    const errorCode = topic ? ErrorCode.NONE : isLegalTopicName(name) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.INVALID_TOPIC_EXCEPTION;
    w.int16(errorCode).string(name);
    if (version >= 1) w.boolean(false);
    w.array(topic?.partitions ?? [], (pw, partition) => {
      pw.int16(ErrorCode.NONE).int32(partition.index).int32(broker.nodeId);
      pw.array([broker.nodeId], (rw, id) => rw.int32(id));
      pw.array([broker.nodeId], (rw, id) => rw.int32(id));
      if (version >= 5) pw.array([], () => undefined);
    });
  });
  return response;
}
