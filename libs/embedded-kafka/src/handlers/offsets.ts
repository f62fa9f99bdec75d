// OffsetCommit (8), v0-v5, and OffsetFetch (9), v0-v5: committed consumer positions, durable before the answer.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

/** Kafka's offset.metadata.max.bytes default. */
const MAX_METADATA_LENGTH = 4096;

export function handleOffsetCommit(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { broker } = context;
  const groupId = request.string();
  const generationId = version >= 1 ? request.int32() : -1;
  const memberId = version >= 1 ? request.string() : '';
  if (version >= 2 && version <= 4) request.int64(); // retention time
  const topics = request.array((r) => ({
    name: r.string(),
    partitions: r.array((p) => {
      const index = p.int32();
      const offset = p.int64AsNumber();
      if (version === 1) p.int64(); // commit timestamp
      return { index, offset, metadata: p.nullableString() };
    }),
  }));

  const groupError = !context.session.access.mayUseGroup(groupId)
    ? ErrorCode.GROUP_AUTHORIZATION_FAILED
    : groupId
      ? broker.groups.validateCommit(groupId, generationId, memberId)
      : ErrorCode.INVALID_GROUP_ID;
  const accepted: { topic: string; partition: number; offset: number; metadata: string | null }[] = [];
  const results = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      let errorCode = groupError;
      if (errorCode === ErrorCode.NONE) {
        if (!broker.topics.get(t.name)?.partitions[p.index]) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if ((p.metadata?.length ?? 0) > MAX_METADATA_LENGTH) errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else accepted.push({ topic: t.name, partition: p.index, offset: p.offset, metadata: p.metadata });
      }
      return { index: p.index, errorCode };
    }),
  }));
  broker.offsets.commit(groupId, accepted, Date.now());

  const response = new Writer();
  if (version >= 3) response.int32(0);
  response.array(results, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (pw, p) => pw.int32(p.index).int16(p.errorCode));
  });
  return response;
}

export function handleOffsetFetch(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const { offsets } = context.broker;
  const groupId = request.string();
  const requested = request.nullableArray((r) => ({ name: r.string(), partitions: r.array((p) => p.int32()) }));
  if (!context.session.access.mayUseGroup(groupId)) return offsetFetchRefusal(version, requested ?? []);
  // v2+: a null topic list asks for every committed offset of the group.
  const topics =
    requested ??
    [...offsets.all(groupId).entries()].map(([name, partitions]) => ({ name, partitions: [...partitions.keys()] }));

  const response = new Writer();
  if (version >= 3) response.int32(0);
  response.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (pw, index) => {
      const committed = offsets.get(groupId, t.name, index);
      pw.int32(index).int64(committed?.offset ?? -1);
      if (version >= 5) pw.int32(-1);
      pw.nullableString(committed?.metadata ?? '').int16(ErrorCode.NONE);
    });
  });
  if (version >= 2) response.int16(ErrorCode.NONE);
  return response;
}

/** Kafka's answer to a group the user may not use: v2+ a top-level error and no topics, v0-v1 the error per partition. */
function offsetFetchRefusal(version: number, requested: { name: string; partitions: number[] }[]): Writer {
  const response = new Writer();
  if (version >= 3) response.int32(0);
  response.array(version >= 2 ? [] : requested, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (pw, index) => pw.int32(index).int64(-1).nullableString('').int16(ErrorCode.GROUP_AUTHORIZATION_FAILED));
  });
  if (version >= 2) response.int16(ErrorCode.GROUP_AUTHORIZATION_FAILED);
  return response;
}
