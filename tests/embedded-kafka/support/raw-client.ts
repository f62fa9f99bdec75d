// A minimal Kafka protocol client over a raw socket, for tests that must send exact (or broken) bytes.
import * as net from 'node:net';
import { crc32c } from '@engine/embedded-kafka';

export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | null = null;
  private abandon: (() => void) | null = null;
  private correlationId = 0;
  closed = false;
  private closeWaiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.closeWaiters) wake();
      // A response that can no longer come fails now rather than holding its timer (and the test process).
      this.abandon?.();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private deliver(): void {
    if (!this.waiting || this.buffered.length < 4) return;
    const size = this.buffered.readInt32BE(0);
    if (this.buffered.length < 4 + size) return;
    const frame = this.buffered.subarray(4, 4 + size);
    this.buffered = this.buffered.subarray(4 + size);
    const wake = this.waiting;
    this.waiting = null;
    wake(frame);
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one request (classic header v1) and returns the response body after the correlation id. */
  async request(apiKey: number, apiVersion: number, body: Buffer, clientId = 'raw-test'): Promise<Buffer> {
    const correlationId = ++this.correlationId;
    const id = Buffer.from(clientId);
    const header = Buffer.alloc(10 + id.length);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(id.length, 8);
    id.copy(header, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    this.socket.write(Buffer.concat([size, header, body]));
    const frame = await this.nextFrame();
    if (frame.readInt32BE(0) !== correlationId) throw new Error('correlation id mismatch');
    return frame.subarray(4);
  }

  nextFrame(timeoutMs = 5000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.abandon = null;
        reject(new Error('no response'));
      }, timeoutMs);
      this.waiting = (frame) => {
        clearTimeout(timer);
        this.abandon = null;
        resolve(frame);
      };
      this.abandon = () => {
        clearTimeout(timer);
        this.waiting = null;
        this.abandon = null;
        reject(new Error('connection closed'));
      };
      this.deliver();
      if (this.closed) this.abandon?.();
    });
  }

  /** Resolves true if the broker closes the connection within the timeout. */
  waitForClose(timeoutMs = 3000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Big-endian builder for request bodies. */
export class Body {
  private parts: Buffer[] = [];
  int8(v: number): this { const b = Buffer.alloc(1); b.writeInt8(v); this.parts.push(b); return this; }
  int16(v: number): this { const b = Buffer.alloc(2); b.writeInt16BE(v); this.parts.push(b); return this; }
  int32(v: number): this { const b = Buffer.alloc(4); b.writeInt32BE(v); this.parts.push(b); return this; }
  int64(v: number): this { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); this.parts.push(b); return this; }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const s = Buffer.from(v);
    this.int16(s.length);
    this.parts.push(s);
    return this;
  }
  bytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    this.parts.push(v);
    return this;
  }
  raw(v: Buffer): this { this.parts.push(v); return this; }
  build(): Buffer { return Buffer.concat(this.parts); }
}

function varint(value: number): Buffer {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (zigzag >= 0x80) {
    out.push((zigzag & 0x7f) | 0x80);
    zigzag = Math.floor(zigzag / 128);
  }
  out.push(zigzag);
  return Buffer.from(out);
}

export interface TestRecord {
  key: string | null;
  value: string;
  timestampDelta?: number;
}

/** Encodes an uncompressed v2 record batch, as a producer would, with a valid CRC32C. */
export function encodeRecordBatch(options: {
  records: TestRecord[];
  baseTimestamp?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}): Buffer {
  const baseTimestamp = options.baseTimestamp ?? Date.now();
  const records = options.records.map((record, index) => {
    const key = record.key === null ? null : Buffer.from(record.key);
    const value = Buffer.from(record.value);
    const body = Buffer.concat([
      Buffer.from([0]),
      varint(record.timestampDelta ?? 0),
      varint(index),
      key === null ? varint(-1) : Buffer.concat([varint(key.length), key]),
      varint(value.length),
      value,
      varint(0),
    ]);
    return Buffer.concat([varint(body.length), body]);
  });
  const maxDelta = Math.max(0, ...options.records.map((r) => r.timestampDelta ?? 0));
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(0n, 0);
  header.writeInt32BE(61 - 12 + records.reduce((s, r) => s + r.length, 0), 8);
  header.writeInt32BE(0, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(0, 21);
  header.writeInt32BE(options.records.length - 1, 23);
  header.writeBigInt64BE(BigInt(baseTimestamp), 27);
  header.writeBigInt64BE(BigInt(baseTimestamp + maxDelta), 35);
  header.writeBigInt64BE(BigInt(options.producerId ?? -1), 43);
  header.writeInt16BE(options.producerEpoch ?? -1, 51);
  header.writeInt32BE(options.baseSequence ?? -1, 53);
  header.writeInt32BE(options.records.length, 57);
  const batch = Buffer.concat([header, ...records]);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}

/** Produce v3 request body for one partition. */
export function produceRequest(topic: string, partition: number, batch: Buffer, acks = -1): Buffer {
  return new Body().string(null).int16(acks).int32(5000).int32(1).string(topic).int32(1).int32(partition).bytes(batch).build();
}

/** Reads the single partition answer of a Produce v3 response: error code and base offset. */
export function parseProduceResponse(body: Buffer): { errorCode: number; baseOffset: number } {
  let at = 4; // topic count
  const nameLength = body.readInt16BE(at);
  at += 2 + nameLength + 4 + 4; // name, partition count, partition index
  return { errorCode: body.readInt16BE(at), baseOffset: Number(body.readBigInt64BE(at + 2)) };
}

/** ListOffsets v1 request body for one partition: -1 asks for the log end, -2 for the log start. */
export function listOffsetsRequest(topic: string, partition: number, timestamp: number): Buffer {
  return new Body().int32(-1).int32(1).string(topic).int32(1).int32(partition).int64(timestamp).build();
}

/** Reads the single partition answer of a ListOffsets v1 response. */
export function parseListOffsetsResponse(body: Buffer): { errorCode: number; offset: number } {
  let at = 4;
  at += 2 + body.readInt16BE(at) + 4 + 4; // name, partition count, partition index
  return { errorCode: body.readInt16BE(at), offset: Number(body.readBigInt64BE(at + 10)) };
}

/** Fetch v4 request body for one partition from `offset`. */
export function fetchRequest(topic: string, partition: number, offset: number, maxBytes = 1 << 20): Buffer {
  return new Body().int32(-1).int32(0).int32(0).int32(maxBytes).int8(0).int32(1).string(topic).int32(1).int32(partition).int64(offset).int32(maxBytes).build();
}

/** Reads the single partition answer of a Fetch v4 response: error code and the record batches' bytes. */
export function parseFetchResponse(body: Buffer): { errorCode: number; records: Buffer } {
  let at = 4 + 4; // throttle time, topic count
  at += 2 + body.readInt16BE(at) + 4; // name, partition count
  const errorCode = body.readInt16BE(at + 4);
  at += 4 + 2 + 8 + 8; // partition, error, high watermark, last stable offset
  at += 4 + Math.max(0, body.readInt32BE(at)) * 16; // aborted transactions
  const length = body.readInt32BE(at);
  return { errorCode, records: body.subarray(at + 4, at + 4 + Math.max(0, length)) };
}

/**
 * A producer id from InitProducerId v0 (no transactional id), as `{ errorCode, producerId }`. A Kafka that has
 * just started answers COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE until its transaction
 * coordinator is loaded; clients retry those, and so does this.
 */
export async function initProducerId(client: RawClient, timeoutMs = 30_000): Promise<{ errorCode: number; producerId: number }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const body = await client.request(22, 0, new Body().string(null).int32(60000).build());
    const errorCode = body.readInt16BE(4);
    if ((errorCode !== 14 && errorCode !== 15) || Date.now() > until) return { errorCode, producerId: Number(body.readBigInt64BE(6)) };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
