// How the engine reaches Temporal, from the environment: the address and namespace, TLS (system CAs or a
// given CA, a server name override), mutual TLS and Temporal Cloud API keys. The API, the worker, `npm start`
// pointed at a real server and every other program read them here, so all connect the same way.

import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import type { TLSConfig } from '@temporalio/client';
import { InvalidConfigurationError, readCertificateFile, readClientCertificatePair, readEnvironment, readSecret } from '@engine/config';

export interface TemporalConnectionOptions {
  /** `host:port` of the frontend (Temporal Cloud: `<namespace>.<account>.tmprl.cloud:7233`). */
  address: string;
  namespace: string;
  /** Absent: plaintext. */
  tls?: TLSConfig;
  /** Sent as `Authorization: Bearer …` with every call. */
  apiKey?: string;
}

/** The variables read here besides TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE: they need a real server's address. */
export const TEMPORAL_SECURITY_SETTINGS = [
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CA_FILE',
  'TEMPORAL_TLS_CERT_FILE',
  'TEMPORAL_TLS_KEY_FILE',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
  'TEMPORAL_API_KEY_FILE',
] as const;

class TemporalConnectionEnvironment {
  @IsString({ message: 'TEMPORAL_ADDRESS must be set (host:port of the Temporal frontend)' })
  @MinLength(1, { message: 'TEMPORAL_ADDRESS must be set (host:port of the Temporal frontend)' })
  TEMPORAL_ADDRESS!: string;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'TEMPORAL_NAMESPACE is empty (leave it unset for "default")' })
  TEMPORAL_NAMESPACE = 'default';

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'TEMPORAL_TLS must be true or false' })
  TEMPORAL_TLS?: string;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'TEMPORAL_TLS_SERVER_NAME is empty (leave it unset to check the name in TEMPORAL_ADDRESS)' })
  TEMPORAL_TLS_SERVER_NAME?: string;
}

/** Reads and checks the settings, including the certificate files; throws InvalidConfigurationError listing every problem. */
export function readTemporalConnectionOptions(env: NodeJS.ProcessEnv): TemporalConnectionOptions {
  const { values, problems } = readEnvironment(TemporalConnectionEnvironment, env);
  const caFile = env.TEMPORAL_TLS_CA_FILE;
  const ca = caFile !== undefined ? readCertificateFile('TEMPORAL_TLS_CA_FILE', caFile, problems) : undefined;
  const clientPair = readClientCertificatePair(env, { cert: 'TEMPORAL_TLS_CERT_FILE', key: 'TEMPORAL_TLS_KEY_FILE' }, problems);
  const apiKey = readSecret(env, 'TEMPORAL_API_KEY', problems);
  const tlsSettings = ['TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE', 'TEMPORAL_TLS_SERVER_NAME'].filter((name) => env[name] !== undefined);
  if (values.TEMPORAL_TLS === 'false' && tlsSettings.length > 0) problems.push(`TEMPORAL_TLS is false but ${tlsSettings.join(', ')} ${tlsSettings.length === 1 ? 'is' : 'are'} set`);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);

  // TLS when asked for, when a TLS setting is given, or with an API key (as the SDK does: a key travels over TLS
  // unless TEMPORAL_TLS=false says the plaintext hop is intended, for example to a local proxy).
  const tlsOn = values.TEMPORAL_TLS === 'true' || tlsSettings.length > 0 || (apiKey !== undefined && values.TEMPORAL_TLS !== 'false');
  const tls: TLSConfig | undefined = tlsOn
    ? {
        ...(ca && { serverRootCACertificate: ca.pem }),
        ...(clientPair && { clientCertPair: { crt: clientPair.cert, key: clientPair.key } }),
        ...(values.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: values.TEMPORAL_TLS_SERVER_NAME }),
      }
    : undefined;
  return { address: values.TEMPORAL_ADDRESS, namespace: values.TEMPORAL_NAMESPACE, ...(tls && { tls }), ...(apiKey !== undefined && { apiKey }) };
}

/** What a log line may say about the connection (never the key or the certificates). */
export function describeTemporalConnection({ address, namespace, tls, apiKey }: TemporalConnectionOptions): string {
  const security = [tls ? (tls.clientCertPair ? 'mTLS' : 'TLS') : 'plaintext', ...(apiKey ? ['API key'] : [])].join(' + ');
  return `${address}, namespace ${namespace} (${security})`;
}
