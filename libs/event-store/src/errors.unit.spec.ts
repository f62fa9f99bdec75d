import { ConcurrencyConflictError, DuplicateEventIdError, InvalidEventError, isUnstorableEventError } from './errors';

describe('isUnstorableEventError', () => {
  it('is true for the store validation, a taken event id and data the database refuses', () => {
    expect(isUnstorableEventError(new InvalidEventError('events[0].data.text contains the NUL character'))).toBe(true);
    expect(isUnstorableEventError(new DuplicateEventIdError('e-1', 'report-x', 1))).toBe(true);
    expect(isUnstorableEventError(Object.assign(new Error('date/time field value out of range'), { code: '22008' }))).toBe(true);
  });

  it('is false for outages and for the conflict the caller handles', () => {
    expect(isUnstorableEventError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isUnstorableEventError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(false);
    expect(isUnstorableEventError(new ConcurrencyConflictError('report-x', 1, 2))).toBe(false);
    expect(isUnstorableEventError(new Error('PGlite is closed'))).toBe(false);
  });
});
