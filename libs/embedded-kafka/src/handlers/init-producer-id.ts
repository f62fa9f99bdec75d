// InitProducerId (key 22), v0-v1: a fresh producer id (epoch 0) for each idempotent producer.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

export function handleInitProducerId(request: Reader, context: RequestContext): Writer {
  const transactionalId = request.nullableString();
  request.int32(); // transaction timeout
  const response = new Writer().int32(0);
  // An idempotent producer needs IDEMPOTENT_WRITE on the cluster (or WRITE on a topic) in Kafka's ACLs.
  if (!context.session.access.mayWrite) return response.int16(ErrorCode.CLUSTER_AUTHORIZATION_FAILED).int64(-1).int16(-1);
  if (transactionalId !== null) {
    // Transactions are not offered; only idempotent (non-transactional) producers are.
    return response.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
  }
  return response.int16(ErrorCode.NONE).int64(context.broker.producerIds.allocate()).int16(0);
}
