import { databaseErrorKind, isDataRefusedByDatabase } from './database-errors';

const withCode = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });

describe('databaseErrorKind', () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding'],
    ['22P05', 'untranslatable character'],
    ['22008', 'datetime field overflow (a deadline in the year 21192)'],
    ['22003', 'numeric value out of range'],
    ['22P02', 'invalid text representation'],
    ['23502', 'not-null violation'],
    ['23514', 'check violation'],
    ['23505', 'unique violation no caller expected'],
    ['54000', 'program limit exceeded (a value too large to index)'],
  ])('calls %s (%s) a refusal of the data', (code) => {
    expect(databaseErrorKind(withCode(code))).toBe('data');
    expect(isDataRefusedByDatabase(withCode(code))).toBe(true);
  });

  it.each([
    ['08006', 'connection failure'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['53300', 'too many connections'],
    ['53100', 'disk full'],
    ['57P01', 'admin shutdown'],
    ['57014', 'query canceled'],
    ['55P03', 'lock not available'],
    ['XX000', 'internal error'],
    ['ECONNREFUSED', 'server not listening'],
    ['ECONNRESET', 'connection dropped'],
  ])('calls %s (%s) transient', (code) => {
    expect(databaseErrorKind(withCode(code))).toBe('transient');
    expect(isDataRefusedByDatabase(withCode(code))).toBe(false);
  });

  it('knows nothing of errors without a SQLSTATE, or of classes that are neither (a bug or a missing migration)', () => {
    expect(databaseErrorKind(new Error('boom'))).toBe('unknown');
    expect(databaseErrorKind(undefined)).toBe('unknown');
    expect(databaseErrorKind({ code: 42 })).toBe('unknown');
    expect(databaseErrorKind(withCode('42P01'))).toBe('unknown'); // undefined table
    expect(databaseErrorKind(withCode('ERR_SOMETHING'))).toBe('unknown');
  });
});
