// Decodes the Kafka protocol primitives (fixed ints, varints, classic and compact strings/bytes/arrays).

/** Thrown when a request is shorter than its own fields say or carries impossible lengths. */
export class MalformedRequestError extends Error {}

export class Reader {
  offset: number;

  constructor(
    readonly buffer: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(bytes: number): number {
    if (bytes < 0 || this.offset + bytes > this.buffer.length) {
      throw new MalformedRequestError(`request truncated: need ${bytes} bytes at offset ${this.offset}`);
    }
    const at = this.offset;
    this.offset += bytes;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.need(1));
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    return this.buffer.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buffer.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buffer.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buffer.readBigInt64BE(this.need(8));
  }
  /** An int64 that the broker only ever needs as a JS number (offsets, timestamps, producer ids). */
  int64AsNumber(): number {
    return Number(this.int64());
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buffer.readUInt8(this.need(1));
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new MalformedRequestError('varint too long');
    }
  }
  varint(): number {
    const raw = this.uvarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length === -1) return null;
    if (length < -1) throw new MalformedRequestError(`invalid string length ${length}`);
    const at = this.need(length);
    return this.buffer.toString('utf8', at, at + length);
  }
  string(): string {
    const value = this.nullableString();
    if (value === null) throw new MalformedRequestError('unexpected null string');
    return value;
  }
  compactNullableString(): string | null {
    const lengthPlusOne = this.uvarint();
    if (lengthPlusOne === 0) return null;
    const at = this.need(lengthPlusOne - 1);
    return this.buffer.toString('utf8', at, at + lengthPlusOne - 1);
  }
  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new MalformedRequestError('unexpected null string');
    return value;
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length === -1) return null;
    if (length < -1) throw new MalformedRequestError(`invalid bytes length ${length}`);
    const at = this.need(length);
    return this.buffer.subarray(at, at + length);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** A classic array (int32 count, -1 = null); null comes back as null. */
  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.int32();
    if (count === -1) return null;
    // Every item takes at least one byte, so a count beyond the remaining bytes is a lie.
    if (count < -1 || count > this.remaining) throw new MalformedRequestError(`invalid array length ${count}`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }
  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }
  compactArray<T>(readItem: (reader: Reader) => T): T[] {
    const countPlusOne = this.uvarint();
    if (countPlusOne === 0) return [];
    if (countPlusOne - 1 > this.remaining) throw new MalformedRequestError('invalid compact array length');
    const items: T[] = [];
    for (let i = 0; i < countPlusOne - 1; i++) items.push(readItem(this));
    return items;
  }

  /** Skips a tagged-field section; the broker understands no tagged fields. */
  taggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}
