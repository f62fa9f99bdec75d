// Encodes the Kafka protocol primitives into a growable buffer.

export class Writer {
  private buffer: Buffer;
  private length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes room and returns the position; callers must read `this.buffer` only afterwards (it may be replaced). */
  private reserve(bytes: number): number {
    if (this.length + bytes > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    const at = this.length;
    this.length += bytes;
    return at;
  }

  get size(): number {
    return this.length;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeInt8(value, at);
    return this;
  }
  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }
  int16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16BE(value, at);
    return this;
  }
  int32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32BE(value, at);
    return this;
  }
  /** Overwrites an int32 written earlier (used for length prefixes). */
  int32At(position: number, value: number): this {
    this.buffer.writeInt32BE(value, position);
    return this;
  }
  int64(value: number | bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  uvarint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buffer[at] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    const last = this.reserve(1);
    this.buffer[last] = rest;
    return this;
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    const at = this.reserve(length);
    this.buffer.write(value, at, 'utf8');
    return this;
  }
  string(value: string): this {
    return this.nullableString(value);
  }
  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const length = Buffer.byteLength(value);
    this.uvarint(length + 1);
    const at = this.reserve(length);
    this.buffer.write(value, at, 'utf8');
    return this;
  }
  compactString(value: string): this {
    return this.compactNullableString(value);
  }

  raw(bytes: Uint8Array): this {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
    return this;
  }
  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }
  bytes(value: Uint8Array): this {
    return this.nullableBytes(value);
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }
  nullableArray<T>(items: readonly T[] | null, writeItem: (writer: this, item: T) => void): this {
    return items === null ? this.int32(-1) : this.array(items, writeItem);
  }
  compactArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }
}
