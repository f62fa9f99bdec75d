// A TLS-terminating proxy in front of the Temporal dev server, which serves plaintext gRPC only: what a
// load balancer or Temporal Cloud's edge does, so that the SDK's TLS, mTLS and API key settings meet a real
// server. `pipe` forwards the decrypted bytes as they are; `grpc` reads each HTTP/2 request, refuses it
// with UNAUTHENTICATED unless it carries the expected API key, and forwards it to the dev server.

import { connect as connectTcp, Socket } from 'node:net';
import { ClientHttp2Session, connect as connectHttp2, constants, createSecureServer, Http2Session, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';

export interface TlsProxyOptions {
  /** host:port of the plaintext server behind. */
  target: string;
  /** The proxy's certificate and key (PEM). */
  cert: Buffer;
  key: Buffer;
  /** Set: a client certificate signed by this CA is required (mutual TLS). */
  clientCa?: Buffer;
  /** Set: every gRPC call must carry `authorization: Bearer <apiKey>` (the `grpc` mode). */
  apiKey?: string;
}

export interface SeenCall {
  path: string;
  authorization?: string;
  /** Tells the SDK's two connections apart: grpc-js (client Connection) and tonic (worker NativeConnection). */
  userAgent?: string;
}

export interface TlsProxy {
  address: string;
  /** The calls the `grpc` mode saw, in order (empty in `pipe` mode, which cannot read them). */
  calls: SeenCall[];
  close(): Promise<void>;
}

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const tlsOptions = {
    cert: options.cert,
    key: options.key,
    // gRPC clients (grpc-js, and tonic in the SDK's core) negotiate HTTP/2 through ALPN.
    ALPNProtocols: ['h2'],
    ...(options.clientCa && { requestCert: true, rejectUnauthorized: true, ca: options.clientCa }),
  };
  const calls: SeenCall[] = [];
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  let upstream: ClientHttp2Session | undefined;

  const server = options.apiKey
    ? createSecureServer({ ...tlsOptions, allowHTTP1: false }).on('session', (session) => {
        sessions.add(session);
        session.once('close', () => sessions.delete(session));
      })
    : createTlsServer(tlsOptions, (socket: TLSSocket) => {
        const behind = connectTcp(hostAndPort(options.target));
        for (const s of [socket, behind]) {
          sockets.add(s);
          s.once('close', () => sockets.delete(s));
          s.on('error', () => (socket.destroy(), behind.destroy()));
        }
        socket.pipe(behind).pipe(socket);
      });

  if (options.apiKey) {
    const expected = `Bearer ${options.apiKey}`;
    const target = () => {
      if (!upstream || upstream.closed || upstream.destroyed) {
        upstream = connectHttp2(`http://${options.target}`);
        upstream.on('error', () => {});
      }
      return upstream;
    };
    server.on('stream', (stream, headers: IncomingHttpHeaders) => {
      const path = String(headers[':path']);
      const authorization = headers.authorization;
      calls.push({ path, ...(authorization !== undefined && { authorization }), ...(headers['user-agent'] !== undefined && { userAgent: headers['user-agent'] }) });
      stream.on('error', () => {});
      if (authorization !== expected) {
        // A trailers-only response, as a gRPC server refuses a call.
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(16), 'grpc-message': 'API key missing or wrong' }, { endStream: true });
        return;
      }
      const forwarded: OutgoingHttpHeaders = { ':method': headers[':method'], ':path': path };
      for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':') && value !== undefined) forwarded[name] = value;
      const call = target().request(forwarded);
      call.on('error', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
      let trailers: OutgoingHttpHeaders = {};
      call.on('response', (response) => {
        const { ':status': status, ...rest } = response;
        if (rest['grpc-status'] !== undefined) {
          stream.respond({ ':status': status, ...rest }, { endStream: true });
          return;
        }
        stream.respond({ ':status': status, ...rest }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers(trailers));
        call.pipe(stream);
      });
      call.on('trailers', (received) => (trailers = { ...received }));
      stream.pipe(call);
      stream.on('close', () => {
        if (!call.closed) call.close(constants.NGHTTP2_CANCEL);
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    calls,
    async close() {
      for (const socket of sockets) socket.destroy();
      for (const session of sessions) session.destroy();
      upstream?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
