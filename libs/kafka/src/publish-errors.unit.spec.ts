import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isRecordRefusedByKafka } from './publish-errors';

const protocolError = (type: string, retriable = false) => new KafkaJSProtocolError({ type, code: 0, retriable, message: type } as never);

describe('isRecordRefusedByKafka', () => {
  it('is true for a record the broker refuses for its size or form, also as the cause kafkajs wraps it in', () => {
    expect(isRecordRefusedByKafka(protocolError('MESSAGE_TOO_LARGE'))).toBe(true);
    expect(isRecordRefusedByKafka(Object.assign(new KafkaJSNonRetriableError(protocolError('INVALID_RECORD')), { cause: protocolError('INVALID_RECORD') }))).toBe(true);
  });

  it('is false for outages and for refusals an operator fixes (rights, a missing topic)', () => {
    expect(isRecordRefusedByKafka(new KafkaJSNumberOfRetriesExceeded(new Error('Connection error: connect ECONNREFUSED'), { retryCount: 5, retryTime: 1000 }))).toBe(false);
    expect(isRecordRefusedByKafka(protocolError('TOPIC_AUTHORIZATION_FAILED'))).toBe(false);
    expect(isRecordRefusedByKafka(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true))).toBe(false);
    expect(isRecordRefusedByKafka(new Error('boom'))).toBe(false);
  });
});
