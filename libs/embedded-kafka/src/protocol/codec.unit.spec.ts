import { MalformedRequestError, Reader } from './reader';
import { Writer } from './writer';

describe('protocol codec', () => {
  it('round-trips every primitive, also across buffer growth', () => {
    const writer = new Writer(1);
    const long = 'x'.repeat(300);
    writer.int8(-3).int16(-300).int32(123456789).int64(2n ** 40n).uvarint(300).string(long).nullableString(null);
    writer.compactString('abc').bytes(Buffer.from([1, 2, 3])).nullableBytes(null);
    writer.array([1, 2, 3], (w, n) => w.int32(n)).compactArray(['a', 'b'], (w, s) => w.compactString(s)).emptyTaggedFields();
    const reader = new Reader(writer.toBuffer());
    expect(reader.int8()).toBe(-3);
    expect(reader.int16()).toBe(-300);
    expect(reader.int32()).toBe(123456789);
    expect(reader.int64()).toBe(2n ** 40n);
    expect(reader.uvarint()).toBe(300);
    expect(reader.string()).toBe(long);
    expect(reader.nullableString()).toBeNull();
    expect(reader.compactString()).toBe('abc');
    expect([...reader.bytes()]).toEqual([1, 2, 3]);
    expect(reader.nullableBytes()).toBeNull();
    expect(reader.array((r) => r.int32())).toEqual([1, 2, 3]);
    expect(reader.compactArray((r) => r.compactString())).toEqual(['a', 'b']);
    reader.taggedFields();
    expect(reader.remaining).toBe(0);
  });

  it('refuses lengths that run past the end of the request', () => {
    const writer = new Writer().int16(50).int8(1);
    expect(() => new Reader(writer.toBuffer()).string()).toThrow(MalformedRequestError);
    expect(() => new Reader(new Writer().int32(1_000_000).toBuffer()).array((r) => r.int8())).toThrow(MalformedRequestError);
  });
});
