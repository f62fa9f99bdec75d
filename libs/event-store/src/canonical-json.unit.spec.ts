import fc from 'fast-check';
import { canonicalJson, toPlainJson } from './canonical-json';
import { InvalidEventError } from './errors';
import { JsonValue } from './event-store.port';
import { chainHash, GENESIS_HASH } from './hash-chain';

// JSON values as jsonb keeps them: no NUL, no lone surrogates, finite numbers.
const jsonString = fc.string({ unit: 'grapheme' }).filter((text) => !text.includes('\u0000'));
const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    jsonString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(jsonString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

function reverseKeys(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(reverseKeys);
  return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
}

describe('canonical JSON', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: null, e: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"e":"x","f":null}]},"b":1}');
  });

  it('is the same text whatever the key order, and parses back to the same value', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
        expect(canonicalJson(toPlainJson(value))).toBe(canonicalJson(value));
      }),
    );
  });

  it('refuses what JSON or jsonb cannot keep exactly, naming where', () => {
    const refused: Array<[unknown, RegExp]> = [
      [{ a: [1, undefined] }, /\$\.a\[1\] is undefined/],
      [{ n: Infinity }, /\$\.n is Infinity/],
      [{ n: 10n }, /\$\.n is a bigint/],
      [{ f: () => 1 }, /\$\.f is a function/],
      [{ d: new Date(0) }, /\$\.d is Date/],
      [{ m: new Map() }, /\$\.m is Map/],
      [{ s: 'a\u0000' }, /NUL/],
      [{ ['\udc00']: 1 }, /surrogate/],
    ];
    for (const [value, message] of refused) {
      expect(() => toPlainJson(value)).toThrow(InvalidEventError);
      expect(() => toPlainJson(value)).toThrow(message);
    }
  });

  it('keeps a "__proto__" member as data', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}');
    const plain = toPlainJson(value) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(canonicalJson(plain as JsonValue)).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('drops undefined object members, as JSON.stringify does', () => {
    expect(toPlainJson({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});

describe('hash chain', () => {
  it('is sha256 of the previous hash followed by the canonical event (a fixed vector, checked with sha256sum)', () => {
    const hash = chainHash(GENESIS_HASH, {
      streamId: 'r1',
      version: 1,
      eventId: 'r1:1',
      type: 'ReportFiled',
      schemaVersion: 1,
      data: { b: true, a: [1, { z: 'ü', y: null }] },
      metadata: { time: '2026-11-24T08:00:00.000Z', actor: 'alice' },
    });
    expect(hash).toBe('692180b14d91b8b31c91572d9dde02cb9e9b7333fc06358c7be753fb7526b2a9');
  });
});
