// SaslAuthenticate (key 36), v0-v1: carries the mechanism's tokens after SaslHandshake v1. A failed
// authentication is answered SASL_AUTHENTICATION_FAILED with the reason, and the connection ends, as in Kafka.
// Outside an exchange (a broker without users, an authenticated connection) Kafka answers ILLEGAL_SASL_STATE.
import { ErrorCode } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

export function handleSaslAuthenticate(request: Reader, context: RequestContext): Writer {
  const token = request.bytes();
  const version = context.header.apiVersion;
  const answer = (errorCode: number, message: string | null, challenge: Buffer): Writer => {
    const response = new Writer().int16(errorCode).nullableString(message).bytes(challenge);
    // No re-authentication (Kafka's connections.max.reauth.ms defaults to 0): no session lifetime.
    if (version >= 1) response.int64(0);
    return response;
  };
  const { sasl } = context.session;
  if (!sasl || sasl.authenticated) {
    return answer(ErrorCode.ILLEGAL_SASL_STATE, 'SaslAuthenticate request received after successful authentication', Buffer.alloc(0));
  }
  if (!sasl.expectsAuthenticate) {
    context.session.closeAfterResponse('SaslAuthenticate outside the SASL exchange');
    return answer(ErrorCode.ILLEGAL_SASL_STATE, 'Unexpected SaslAuthenticate request: SaslHandshake v1 must come first', Buffer.alloc(0));
  }
  const outcome = sasl.token(token);
  switch (outcome.kind) {
    case 'continue':
      return answer(ErrorCode.NONE, null, outcome.challenge);
    case 'authenticated':
      return answer(ErrorCode.NONE, null, outcome.challenge);
    case 'failed':
      context.session.closeAfterResponse(`SASL authentication failed: ${outcome.message}`);
      return answer(ErrorCode.SASL_AUTHENTICATION_FAILED, outcome.message, Buffer.alloc(0));
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown SASL outcome ${String(unknown)}`);
    }
  }
}
