// Consumer-group APIs: FindCoordinator (10), JoinGroup (11), SyncGroup (14), Heartbeat (12), LeaveGroup (13),
// DescribeGroups (15), ListGroups (16), DeleteGroups (42). The single broker coordinates every group. A group
// the connection's user may not use is answered GROUP_AUTHORIZATION_FAILED, as Kafka's ACLs answer it.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

export function handleFindCoordinator(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const key = request.string(); // group (or transactional) id
  const keyType = version >= 1 ? request.int8() : 0;
  const { broker } = context;
  const response = new Writer();
  if (version >= 1) response.int32(0);
  if (keyType === 0 && !context.session.access.mayUseGroup(key)) {
    response.int16(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    if (version >= 1) response.nullableString(null);
    return response.int32(-1).string('').int32(-1);
  }
  response.int16(ErrorCode.NONE);
  if (version >= 1) response.nullableString(null);
  return response.int32(broker.nodeId).string(broker.host).int32(broker.port);
}

export async function handleJoinGroup(request: Reader, context: RequestContext): Promise<Writer> {
  const version = context.header.apiVersion;
  const groupId = request.string();
  const sessionTimeoutMs = request.int32();
  const rebalanceTimeoutMs = version >= 1 ? request.int32() : sessionTimeoutMs;
  const memberId = request.string();
  const groupInstanceId = version >= 5 ? request.nullableString() : null;
  const protocolType = request.string();
  const protocols = request.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
  if (!context.session.access.mayUseGroup(groupId)) {
    const refusal = new Writer();
    if (version >= 2) refusal.int32(0);
    refusal.int16(ErrorCode.GROUP_AUTHORIZATION_FAILED).int32(-1).string('').string('').string(memberId);
    return refusal.array([], () => undefined);
  }
  if (groupInstanceId !== null) {
    // Static membership is not offered: refused the way Kafka refuses it where it is unavailable.
    const refusal = new Writer().int32(0).int16(ErrorCode.UNSUPPORTED_VERSION).int32(-1).string('').string('').string(memberId);
    return refusal.array([], () => undefined);
  }

  const result = await context.broker.groups.join({
    groupId,
    memberId,
    clientId: context.header.clientId ?? '',
    clientHost: context.clientHost,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    protocolType,
    protocols,
    requireKnownMemberId: version >= 4,
  });
  const response = new Writer();
  if (version >= 2) response.int32(0);
  response.int16(result.errorCode).int32(result.generationId).string(result.protocolName).string(result.leaderId).string(result.memberId);
  response.array(result.members, (w, m) => {
    w.string(m.memberId);
    if (version >= 5) w.nullableString(null);
    w.bytes(m.metadata);
  });
  return response;
}

export async function handleSyncGroup(request: Reader, context: RequestContext): Promise<Writer> {
  const version = context.header.apiVersion;
  const groupId = request.string();
  const generationId = request.int32();
  const memberId = request.string();
  if (version >= 3) request.nullableString();
  const assignments = request.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
  const result = context.session.access.mayUseGroup(groupId)
    ? await context.broker.groups.sync({ groupId, generationId, memberId, assignments })
    : { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, assignment: Buffer.alloc(0) };
  const response = new Writer();
  if (version >= 1) response.int32(0);
  return response.int16(result.errorCode).bytes(result.assignment);
}

export function handleHeartbeat(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const groupId = request.string();
  const generationId = request.int32();
  const memberId = request.string();
  if (version >= 3) request.nullableString();
  const errorCode = context.session.access.mayUseGroup(groupId)
    ? context.broker.groups.heartbeat(groupId, generationId, memberId)
    : ErrorCode.GROUP_AUTHORIZATION_FAILED;
  const response = new Writer();
  if (version >= 1) response.int32(0);
  return response.int16(errorCode);
}

export function handleLeaveGroup(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const groupId = request.string();
  const memberId = request.string();
  const errorCode = context.session.access.mayUseGroup(groupId) ? context.broker.groups.leave(groupId, memberId) : ErrorCode.GROUP_AUTHORIZATION_FAILED;
  const response = new Writer();
  if (version >= 1) response.int32(0);
  return response.int16(errorCode);
}

export function handleDescribeGroups(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const groupIds = request.array((r) => r.string());
  const response = new Writer();
  if (version >= 1) response.int32(0);
  response.array(groupIds, (w, groupId) => {
    if (!context.session.access.mayUseGroup(groupId)) {
      w.int16(ErrorCode.GROUP_AUTHORIZATION_FAILED).string(groupId).string('').string('').string('').array([], () => undefined);
      return;
    }
    const described = context.broker.groups.describe(groupId);
    // A group that only has committed offsets (a consumer assigning partitions itself) exists for Kafka: Empty.
    const onlyOffsets = described.state === 'Dead' && context.broker.offsets.hasGroup(groupId);
    const group = onlyOffsets ? { ...described, state: 'Empty' } : described;
    w.int16(groupId ? ErrorCode.NONE : ErrorCode.INVALID_GROUP_ID).string(groupId).string(group.state).string(group.protocolType).string(group.protocolName);
    w.array(group.members, (mw, m) => {
      mw.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
    });
  });
  return response;
}

export function handleListGroups(_request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const known = new Map(context.broker.groups.list().map((g) => [g.groupId, g.protocolType]));
  // Groups that only have committed offsets (for example from before a restart) are listed too.
  for (const groupId of context.broker.offsets.groupIds()) if (!known.has(groupId)) known.set(groupId, 'consumer');
  // As in Kafka, only the groups the user may describe are listed.
  for (const groupId of known.keys()) if (!context.session.access.mayUseGroup(groupId)) known.delete(groupId);
  const response = new Writer();
  if (version >= 1) response.int32(0);
  response.int16(ErrorCode.NONE);
  response.array([...known.entries()], (w, [groupId, protocolType]) => w.string(groupId).string(protocolType));
  return response;
}

export function handleDeleteGroups(request: Reader, context: RequestContext): Writer {
  const { groups, offsets } = context.broker;
  const groupIds = request.array((r) => r.string());
  const response = new Writer().int32(0);
  response.array(groupIds, (w, groupId) => {
    const known = groups.describe(groupId).state !== 'Dead' || offsets.hasGroup(groupId);
    let errorCode: number = ErrorCode.NONE;
    if (!context.session.access.mayAdminister) errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
    else if (!known) errorCode = ErrorCode.GROUP_ID_NOT_FOUND;
    else if (!groups.remove(groupId)) errorCode = ErrorCode.NON_EMPTY_GROUP;
    else offsets.forgetGroup(groupId);
    w.string(groupId).int16(errorCode);
  });
  return response;
}
