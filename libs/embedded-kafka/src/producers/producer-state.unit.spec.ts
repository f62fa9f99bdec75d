import { ErrorCode } from '../protocol/api';
import { ProducerState } from './producer-state';

const batch = (baseSequence: number, count = 1, producerEpoch = 0) => ({ producerId: 7, producerEpoch, baseSequence, lastOffsetDelta: count - 1 });

describe('ProducerState', () => {
  it('recognises retries of the last five batches and nothing older', () => {
    const state = new ProducerState();
    for (let i = 0; i < 7; i++) {
      expect(state.check(batch(i))).toEqual({ kind: 'append' });
      state.record(batch(i), 100 + i);
    }
    expect(state.check(batch(6))).toEqual({ kind: 'duplicate', baseOffset: 106 });
    expect(state.check(batch(2))).toEqual({ kind: 'duplicate', baseOffset: 102 });
    expect(state.check(batch(1))).toEqual({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(state.check(batch(8))).toEqual({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(state.check(batch(7))).toEqual({ kind: 'append' });
  });

  it('wraps sequences past Int32.MAX and handles epochs', () => {
    const state = new ProducerState();
    state.record(batch(2 ** 31 - 2, 2), 1);
    expect(state.check(batch(0))).toEqual({ kind: 'append' });
    expect(state.check(batch(5, 1, 1))).toEqual({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(state.check(batch(0, 1, 1))).toEqual({ kind: 'append' });
    state.record(batch(0, 1, 1), 3);
    expect(state.check(batch(1, 1, 0))).toEqual({ kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
  });
});
