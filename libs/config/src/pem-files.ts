// Certificates and keys named by settings, read and parsed at start: a wrong path or a file that is not PEM
// fails with the variable's name instead of as a TLS handshake error at the first connection.

import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

function readPem(name: string, path: string, problems: string[]): Buffer | undefined {
  if (path === '') {
    problems.push(`${name} is empty (leave it unset instead)`);
    return undefined;
  }
  try {
    return readFileSync(path);
  } catch (error) {
    problems.push(`${name}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A PEM file of one or more certificates (a CA bundle, or a certificate with its chain). */
export function readCertificateFile(name: string, path: string, problems: string[]): { pem: Buffer; first: X509Certificate } | undefined {
  const pem = readPem(name, path, problems);
  if (!pem) return undefined;
  const blocks = pem.toString('utf8').match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    problems.push(`${name}: "${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
  try {
    const [first] = blocks.map((block) => new X509Certificate(block));
    return { pem, first };
  } catch (error) {
    problems.push(`${name}: "${path}" holds a certificate that does not parse (${(error as Error).message})`);
    return undefined;
  }
}

/** A PEM file of an unencrypted private key (PKCS#8, PKCS#1 or SEC1). */
export function readPrivateKeyFile(name: string, path: string, problems: string[]): { pem: Buffer; key: KeyObject } | undefined {
  const pem = readPem(name, path, problems);
  if (!pem) return undefined;
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem.toString('utf8'))) {
    problems.push(`${name}: "${path}" holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
    return undefined;
  }
  try {
    // An empty passphrase: an encrypted key fails here instead of prompting.
    return { pem, key: createPrivateKey({ key: pem, format: 'pem', passphrase: '' }) };
  } catch (error) {
    problems.push(`${name}: "${path}" holds a private key that does not parse or is encrypted (${(error as Error).message})`);
    return undefined;
  }
}

/**
 * A client certificate and its key, both or neither: the pair for mutual TLS, checked to belong together.
 */
export function readClientCertificatePair(
  env: NodeJS.ProcessEnv,
  names: { cert: string; key: string },
  problems: string[],
): { cert: Buffer; key: Buffer } | undefined {
  const certPath = env[names.cert];
  const keyPath = env[names.key];
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    const [given, missing] = certPath === undefined ? [names.key, names.cert] : [names.cert, names.key];
    problems.push(`${given} is set without ${missing}: a client certificate and its key go together`);
    return undefined;
  }
  const cert = readCertificateFile(names.cert, certPath, problems);
  const key = readPrivateKeyFile(names.key, keyPath, problems);
  if (!cert || !key) return undefined;
  if (!cert.first.checkPrivateKey(key.key)) {
    problems.push(`${names.key} is not the private key of the certificate in ${names.cert}`);
    return undefined;
  }
  return { cert: cert.pem, key: key.pem };
}

export interface TlsSettingNames {
  /** `true`/`false` (validated by the caller's environment class); unset: on when any other setting is given. */
  flag: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Further settings that only mean something with TLS (a server name override), so they turn it on too. */
  implying?: string[];
}

export interface TlsSettings {
  enabled: boolean;
  /** The CA bundle that replaces the system CAs. */
  ca?: Buffer;
  /** The client certificate and key, for mutual TLS. */
  clientCertificate?: { cert: Buffer; key: Buffer };
}

/** One system's TLS settings: on, off or implied, its CA and its client certificate, each file checked. */
export function readTlsSettings(env: NodeJS.ProcessEnv, names: TlsSettingNames, problems: string[]): TlsSettings {
  const caPath = env[names.caFile];
  const ca = caPath !== undefined ? readCertificateFile(names.caFile, caPath, problems) : undefined;
  const clientCertificate = readClientCertificatePair(env, { cert: names.certFile, key: names.keyFile }, problems);
  const given = [names.caFile, names.certFile, names.keyFile, ...(names.implying ?? [])].filter((name) => env[name] !== undefined);
  if (env[names.flag] === 'false' && given.length > 0) problems.push(`${names.flag} is false but ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set`);
  return { enabled: env[names.flag] === 'true' || given.length > 0, ...(ca && { ca: ca.pem }), ...(clientCertificate && { clientCertificate }) };
}
