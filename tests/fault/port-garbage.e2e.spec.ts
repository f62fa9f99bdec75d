// Garbage on every port of `npm start`'s process, as a hostile or broken neighbour would send it: random bytes,
// truncated frames, absurd length prefixes, HTTP/2 prefaces and frames where they do not belong, connections left
// half-open. The protocol-level cases of each stand-in are in tests/embedded-kafka/protocol.int.spec.ts and
// tests/embedded-temporal/protocol.int.spec.ts; here the whole assembled process must stay up and keep serving:
// afterwards a report is filed and worked through the API (Temporal, the store), and its events reach an outside
// consumer of the embedded broker.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStandInOnly } from '../support/engines';
import { everyStoredEventRead, readLifecycleTopic } from '../support/lifecycle-topic';
import { storedStreams } from './support/case-checks';
import { filingBody, TRIAGE_BODY } from './support/case-load';
import { EmbeddedEngine } from './support/embedded-engine';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** An HTTP/2 frame: 24-bit length (which may lie), type, flags, stream id, payload. */
function http2Frame(type: number, flags: number, stream: number, payload: Buffer, claimedLength = payload.length): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(claimedLength & 0xffffff, 0, 3);
  header.writeUInt8(type, 3);
  header.writeUInt8(flags, 4);
  header.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

/** A Kafka request frame: length, api key, version, correlation id, client id, body (the length may lie). */
function kafkaFrame(apiKey: number, version: number, body: Buffer, claimedLength?: number): Buffer {
  const clientId = Buffer.from('garbage');
  const header = Buffer.concat([Buffer.from([apiKey >> 8, apiKey & 0xff, version >> 8, version & 0xff]), int32(7), Buffer.from([0, clientId.length]), clientId]);
  const payload = Buffer.concat([header, body]);
  return Buffer.concat([int32(claimedLength ?? payload.length), payload]);
}

/** What one port gets: each item is sent on a connection of its own, which is then closed (or ended half-way). */
function garbageFor(kind: 'kafka' | 'temporal' | 'http'): Buffer[] {
  const random = Array.from({ length: 40 }, (_, i) => randomBytes(1 + ((i * 37) % 2_000)));
  const common = [
    HTTP2_PREFACE,
    Buffer.concat([HTTP2_PREFACE, randomBytes(200)]),
    Buffer.concat([HTTP2_PREFACE, http2Frame(4, 0, 0, Buffer.alloc(0)), http2Frame(1, 4, 1, randomBytes(50))]), // HEADERS with garbage HPACK
    Buffer.concat([HTTP2_PREFACE, http2Frame(4, 0, 0, Buffer.alloc(0)), http2Frame(0, 0, 1, randomBytes(10), 0xffffff)]), // DATA claiming 16 MiB
    Buffer.concat([HTTP2_PREFACE, http2Frame(4, 0, 0, randomBytes(7))]), // SETTINGS of a length that is not a multiple of 6
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.from('POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{'),
    Buffer.from('POST /api/reports HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
    Buffer.from(`GET /${'a'.repeat(70_000)} HTTP/1.1\r\n`),
    Buffer.from('\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003', 'latin1'), // the start of a TLS ClientHello
    Buffer.alloc(0),
  ];
  const kafka = [
    int32(0x7fffffff), // a frame of 2 GiB announced
    int32(-1),
    Buffer.concat([int32(100), randomBytes(10)]), // truncated
    kafkaFrame(18, 3, randomBytes(30)), // ApiVersions v3 with a garbage body
    kafkaFrame(17, 1, randomBytes(40)), // SaslHandshake with a garbage body
    kafkaFrame(36, 2, Buffer.concat([int32(0x7fffffff), randomBytes(8)])), // SaslAuthenticate claiming 2 GiB of auth bytes
    kafkaFrame(0, 9, randomBytes(200)), // Produce before authenticating
    kafkaFrame(20, 6, randomBytes(20)), // DeleteTopics before authenticating
    kafkaFrame(999, 0, randomBytes(5)),
    kafkaFrame(3, 12, Buffer.alloc(0), 1_000), // length longer than what follows
  ];
  return [...random, ...common, ...(kind === 'kafka' ? kafka : [])];
}

/** Sends `bytes` on a new connection; ends it after a while (or right away); resolves when it is closed. */
function send(port: number, bytes: Buffer, holdMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.on('data', () => undefined);
    socket.once('connect', () => {
      socket.write(bytes);
      setTimeout(() => socket.destroy(), holdMs);
    });
  });
}

/** Connections that say nothing (or half a request) and stay open. */
async function halfOpen(port: number, count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      new Promise<Socket>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.once('connect', () => {
          if (i % 3 === 1) socket.write(Buffer.from('POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n')); // slow headers
          if (i % 3 === 2) socket.write(HTTP2_PREFACE);
          resolve(socket);
        });
      }),
    ),
  );
}

describeStandInOnly("garbage on npm start's ports", () => {
  let dataDir = ''; // made in beforeAll: a skipped describe runs its body but not its hooks, and would leave it behind
  let engine: EmbeddedEngine;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-port-garbage-'));
    engine = await EmbeddedEngine.start(dataDir);
  }, 120_000);

  afterAll(async () => {
    await engine?.stop('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('stays up and keeps serving the API, Temporal and the broker, with half-open connections still held', async () => {
    const { port, kafkaPort, temporalPort } = engine.ports;
    const idle: Socket[] = [];
    try {
      for (const [kind, target] of [['kafka', kafkaPort], ['temporal', temporalPort], ['http', port]] as const) {
        idle.push(...(await halfOpen(target, 30)));
        const items = garbageFor(kind);
        // In batches of ten at a time; some connections are closed at once, others held a moment.
        for (let i = 0; i < items.length; i += 10) {
          await Promise.all(items.slice(i, i + 10).map((bytes, j) => send(target, bytes, (i + j) % 2 ? 0 : 300)));
        }
      }
      expect(await engine.alive()).toBe(true);

      // Still serving while the half-open connections are held: a case is filed and worked (API, Temporal worker
      // and frontend, the store), and its events reach an outside consumer of the broker.
      const api = engine.api;
      const filed = await api.post('/api/reports', filingBody('telegram', 'after-garbage'));
      expect(filed.status).toBe(201);
      const id = filed.body.report.reportId as string;
      expect((await api.post(`/api/reports/${id}/triage`, TRIAGE_BODY)).status).toBe(200);
      expect((await api.get(`/api/reports/${id}`)).body.status).toBe('active');
      const streams = await storedStreams(api, [id]);
      expect(streams[id].map((e) => e.type)).toEqual(['ReportFiled', 'ReportTriaged']);
      await readLifecycleTopic(engine.topicReader, everyStoredEventRead(streams), 'the case on the topic after the garbage', 30_000);
      expect((await api.get('/health', null)).status).toBe(200);
    } finally {
      idle.forEach((socket) => socket.destroy());
    }
    expect(engine.output()).not.toMatch(/uncaught|unhandled/i);
  }, 120_000);
});
