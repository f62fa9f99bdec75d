// SaslHandshake (key 17), v0-v1: the broker has a plaintext listener only, so it answers as a Kafka PLAINTEXT
// listener does: ILLEGAL_SASL_STATE, no mechanisms. A client configured for SASL gets Kafka's own error.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';

export function handleSaslHandshake(request: Reader): Writer {
  request.string(); // mechanism
  return new Writer().int16(ErrorCode.ILLEGAL_SASL_STATE).array([], () => undefined);
}
