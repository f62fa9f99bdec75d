// Why a TLS connection to Temporal failed, in the operator's terms. The client Connection (grpc-js) reports
// only "Failed to connect before the deadline"; one TLS handshake with the same settings names the reason
// and the setting to look at.

import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TLSConfig } from '@temporalio/client';

/** Node's TLS error codes, and what to check for each. */
const HINTS: [RegExp, string][] = [
  [/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT/, 'is TEMPORAL_TLS_CA_FILE the CA that signed the server certificate? Without it the system CAs are used'],
  [/ERR_TLS_CERT_ALTNAME_INVALID/, 'set TEMPORAL_TLS_SERVER_NAME to a name the server certificate holds'],
  [/CERTIFICATE_REQUIRED/, 'the server requires a client certificate: set TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE'],
  [/BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED/, 'the server refused the client certificate of TEMPORAL_TLS_CERT_FILE'],
  [/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/, 'is TEMPORAL_ADDRESS right and the frontend reachable?'],
  [/WRONG_VERSION_NUMBER|ECONNRESET/, 'does the server at TEMPORAL_ADDRESS speak TLS (TEMPORAL_TLS)?'],
];

/**
 * Makes one TLS handshake to `address` with the connection's settings and resolves with the failure's reason
 * and a hint, or undefined when the handshake (and the second it leaves a server to refuse the client) passed.
 */
export function diagnoseTls(address: string, tls: TLSConfig, timeoutMs = 5_000): Promise<string | undefined> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '');
  const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reason?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(reason);
    };
    const socket = connect({
      host,
      port: Number(address.slice(at + 1)),
      ...(servername && { servername }),
      ALPNProtocols: ['h2'],
      ...(tls.serverRootCACertificate && { ca: Buffer.from(tls.serverRootCACertificate) }),
      ...(tls.clientCertPair && { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) }),
    });
    socket.setTimeout(timeoutMs, () => finish(`no TLS handshake within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException & { reason?: string }) => {
      const text = `${error.code ?? ''} ${error.message}`;
      const hint = HINTS.find(([pattern]) => pattern.test(text))?.[1];
      // OpenSSL's own errors carry a short reason ("wrong version number") beside a long technical message.
      const reason = error.code?.startsWith('ERR_SSL_') && error.reason ? error.reason : error.message;
      finish(`${reason}${hint ? ` (${hint})` : ''}`);
    });
    // With TLS 1.3 a server refuses a client certificate after the client's handshake is done: with an alert
    // (read below), or by closing the connection, which a gRPC server waiting for its first request would not do.
    socket.once('secureConnect', () => {
      socket.resume();
      socket.once('end', () =>
        finish(
          tls.clientCertPair
            ? 'the server closed the connection after the handshake (did it refuse the client certificate of TEMPORAL_TLS_CERT_FILE?)'
            : 'the server closed the connection after the handshake (does it require a client certificate? TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE)',
        ),
      );
      setTimeout(() => finish(undefined), 1_000);
    });
  });
}
