// SaslHandshake (key 17), v0-v1. On a broker without users it answers as a Kafka PLAINTEXT listener does:
// ILLEGAL_SASL_STATE, no mechanisms, so a client configured for SASL gets Kafka's own error. On a broker with
// users it starts the exchange (see auth/sasl-session.ts); an unknown mechanism gets UNSUPPORTED_SASL_MECHANISM
// with the enabled ones, and the connection ends, as in Kafka.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

export function handleSaslHandshake(request: Reader, context: RequestContext): Writer {
  const mechanism = request.string();
  const { sasl } = context.session;
  const answer = (errorCode: number, mechanisms: readonly string[]): Writer =>
    new Writer().int16(errorCode).array([...mechanisms], (w, name) => w.string(name));
  if (!sasl || sasl.authenticated) return answer(ErrorCode.ILLEGAL_SASL_STATE, []);
  if (!sasl.awaitingHandshake) {
    context.session.closeAfterResponse('SaslHandshake during the SASL exchange');
    return answer(ErrorCode.ILLEGAL_SASL_STATE, []);
  }
  if (sasl.handshake(mechanism, context.header.apiVersion)) return answer(ErrorCode.NONE, sasl.mechanisms);
  context.session.closeAfterResponse(`unsupported SASL mechanism ${mechanism}`);
  return answer(ErrorCode.UNSUPPORTED_SASL_MECHANISM, sasl.mechanisms);
}
