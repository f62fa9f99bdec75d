// How the engine reaches Temporal, from the environment: the address and namespace, TLS (system CAs or a
// given CA, a server name override), mutual TLS and Temporal Cloud API keys. The API, the worker, `npm start`
// pointed at a real server and every other program read them here, so all connect the same way.

import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import type { TLSConfig } from '@temporalio/client';
import { InvalidConfigurationError, readEnvironment, readSecret, readTlsSettings } from '@engine/config';

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
  const files = readTlsSettings(
    env,
    { flag: 'TEMPORAL_TLS', caFile: 'TEMPORAL_TLS_CA_FILE', certFile: 'TEMPORAL_TLS_CERT_FILE', keyFile: 'TEMPORAL_TLS_KEY_FILE', implying: ['TEMPORAL_TLS_SERVER_NAME'] },
    problems,
  );
  const apiKey = readSecret(env, 'TEMPORAL_API_KEY', problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);

  // TLS when asked for, when a TLS setting is given, or with an API key (as the SDK does: a key travels over TLS
  // unless TEMPORAL_TLS=false says the plaintext hop is intended, for example to a local proxy).
  const tlsOn = files.enabled || (apiKey !== undefined && values.TEMPORAL_TLS !== 'false');
  const tls: TLSConfig | undefined = tlsOn
    ? {
        ...(files.ca && { serverRootCACertificate: files.ca }),
        ...(files.clientCertificate && { clientCertPair: { crt: files.clientCertificate.cert, key: files.clientCertificate.key } }),
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
