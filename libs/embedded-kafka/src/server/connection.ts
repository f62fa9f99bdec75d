// One client connection: splits the byte stream into size-prefixed frames, parses request headers, runs the
// handlers one request at a time (so answers go out in request order, as Kafka does) and writes the answers.
// A client that sends something unparseable loses its own connection; nobody else is affected. On a broker
// with users, a connection must authenticate (SASL) before anything but ApiVersions, SaslHandshake and
// SaslAuthenticate: any other request ends it, as Kafka's SASL listener does.
import { Socket } from 'node:net';
import { Access } from '../auth/access';
import { MAX_UNAUTHENTICATED_FRAME_BYTES, SaslSession } from '../auth/sasl-session';
import { UserDirectory } from '../auth/users';
import { ApiKey, SUPPORTED_VERSIONS } from '../protocol/api';
import { MalformedRequestError, Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { BrokerState, ConnectionSession, RequestHeader } from '../handlers/context';
import { HANDLERS } from './dispatch';

export interface ConnectionOptions {
  maxRequestBytes: number;
  log: (message: string) => void;
  /** Users who may authenticate; null: no authentication (a PLAINTEXT listener without an authorizer). */
  users: UserDirectory | null;
}

/** What a connection may send before it has authenticated. */
const BEFORE_AUTHENTICATION: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

function apiName(apiKey: number): string {
  return Object.entries(ApiKey).find(([, key]) => key === apiKey)?.[0] ?? `api key ${apiKey}`;
}

export class Connection implements ConnectionSession {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the frame being received, once its 4-byte prefix has arrived; -1 before. */
  private frameSize = -1;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;
  private closeReason: string | null = null;
  readonly sasl: SaslSession | null;

  constructor(
    private readonly socket: Socket,
    private readonly broker: BrokerState,
    private readonly options: ConnectionOptions,
  ) {
    this.sasl = options.users ? new SaslSession(options.users) : null;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get access(): Access {
    if (!this.sasl) return Access.EVERYTHING;
    // Handlers run only once authenticated (see handle()); nothing is granted before.
    const granted = this.sasl.access;
    if (!granted) throw new Error('request handled before SASL authentication');
    return granted;
  }

  closeAfterResponse(reason: string): void {
    this.closeReason = reason;
  }

  /** Unauthenticated connections get Kafka's smaller frame limit (sasl.server.max.receive.size). */
  private get maxFrameBytes(): number {
    return this.sasl && !this.sasl.authenticated ? MAX_UNAUTHENTICATED_FRAME_BYTES : this.options.maxRequestBytes;
  }

  close(reason?: string): void {
    if (reason) this.options.log(`closing connection from ${this.socket.remoteAddress}: ${reason}`);
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= 4) {
      if (this.frameSize < 0) {
        const head = this.pending[0].length >= 4 ? this.pending[0] : this.flatten();
        const size = head.readInt32BE(0);
        // A request needs at least api key, version and correlation id (8 bytes).
        if (size < 8 || size > this.maxFrameBytes) {
          this.close(`invalid frame size ${size}`);
          return;
        }
        this.frameSize = size;
      }
      const size = this.frameSize;
      // Large frames arrive in many chunks; join them only once the whole frame is here.
      if (this.pendingBytes < 4 + size) break;
      this.frameSize = -1;
      const all = this.pending.length === 1 ? this.pending[0] : this.flatten();
      this.queue.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    // Back-pressure: stop reading while many requests wait (e.g. a pipelining client behind a long poll).
    if (this.queue.length > 64) this.socket.pause();
    void this.drain();
  }

  private flatten(): Buffer {
    const joined = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [joined];
    return joined;
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift() as Buffer;
        if (this.queue.length < 16) this.socket.resume();
        await this.handle(frame);
      }
    } finally {
      this.processing = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.sasl?.expectsRawToken) {
      this.handleRawToken(this.sasl, frame);
      return;
    }
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = { apiKey: reader.int16(), apiVersion: reader.int16(), correlationId: reader.int32(), clientId: reader.nullableString() };
    } catch {
      this.close('unreadable request header');
      return;
    }
    const handler = HANDLERS.get(header.apiKey);
    const range = SUPPORTED_VERSIONS.get(header.apiKey);
    if (!handler || !range) {
      this.close(`unknown api key ${header.apiKey}`);
      return;
    }
    if (this.sasl && !this.sasl.authenticated && !BEFORE_AUTHENTICATION.has(header.apiKey)) {
      this.close(`${apiName(header.apiKey)} before SASL authentication`);
      return;
    }
    const isApiVersions = header.apiKey === ApiKey.ApiVersions;
    if ((header.apiVersion < range.min || header.apiVersion > range.max) && !isApiVersions) {
      this.close(`unsupported version ${header.apiVersion} of api key ${header.apiKey}`);
      return;
    }
    try {
      // ApiVersions v3+ uses the flexible request header (tagged fields after the client id), also at versions
      // the broker does not know (KIP-511): like Kafka, a header without them is malformed.
      if (isApiVersions && header.apiVersion >= 3) reader.taggedFields();
      const body = await handler(reader, { header, clientHost: this.socket.remoteAddress ?? '', broker: this.broker, session: this });
      if (body && !this.closed) this.send(header.correlationId, body);
      if (this.closeReason !== null) this.endAfterWrites(this.closeReason);
    } catch (error) {
      if (error instanceof MalformedRequestError || error instanceof RangeError) {
        this.close(`malformed request (api key ${header.apiKey} v${header.apiVersion}): ${error.message}`);
        return;
      }
      this.options.log(`internal error on api key ${header.apiKey}: ${(error as Error).stack ?? String(error)}`);
      this.close();
    }
  }

  /** After SaslHandshake v0 the tokens travel as bare size-prefixed frames, and so do the answers. */
  private handleRawToken(sasl: SaslSession, token: Buffer): void {
    const outcome = sasl.token(token);
    if (outcome.kind === 'failed') {
      // Kafka closes a raw-token connection without an answer when authentication fails.
      this.close(`SASL authentication failed: ${outcome.message}`);
      return;
    }
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(outcome.challenge.length, 0);
    this.socket.write(Buffer.concat([size, outcome.challenge]));
  }

  /** Closes once what was written has gone out (an answer that explains the close). */
  private endAfterWrites(reason: string): void {
    this.options.log(`closing connection from ${this.socket.remoteAddress}: ${reason}`);
    this.closed = true;
    this.socket.end();
    // A peer that never reads must not keep the socket: destroy it if the graceful end takes too long.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private send(correlationId: number, body: Writer): void {
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(body.size + 4, 0);
    head.writeInt32BE(correlationId, 4);
    this.socket.cork();
    this.socket.write(head);
    this.socket.write(body.toBuffer());
    this.socket.uncork();
  }
}
