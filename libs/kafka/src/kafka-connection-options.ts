// How the engine reaches Kafka, from the environment: the brokers, TLS (system CAs or a given CA, a client
// certificate for mutual TLS) and SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). The worker, the API, the
// read-model rebuild and `npm start` pointed at a real cluster all read them here.

import type { ConnectionOptions } from 'node:tls';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { InvalidConfigurationError, readEnvironment, readSecret, readTlsSettings } from '@engine/config';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaConnectionOptions {
  /** `host:port` bootstrap brokers; empty when KAFKA_BROKERS is unset (the caller decides whether it needs them). */
  brokers: string[];
  /** Absent: plaintext; `true`: TLS with the system's CAs. */
  ssl?: ConnectionOptions | true;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

/** The variables read here besides KAFKA_BROKERS: they need a real cluster's brokers. */
export const KAFKA_SECURITY_SETTINGS = [
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
] as const;

class KafkaConnectionEnvironment {
  @IsOptional()
  @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'KAFKA_SSL must be true or false' })
  KAFKA_SSL?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: SaslMechanism;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'KAFKA_SASL_USERNAME is empty' })
  KAFKA_SASL_USERNAME?: string;
}

/** Reads and checks the settings, including the certificate files; throws InvalidConfigurationError listing every problem. */
export function readKafkaConnectionOptions(env: NodeJS.ProcessEnv): KafkaConnectionOptions {
  const { values, problems } = readEnvironment(KafkaConnectionEnvironment, env);
  const tls = readTlsSettings(env, { flag: 'KAFKA_SSL', caFile: 'KAFKA_SSL_CA_FILE', certFile: 'KAFKA_SSL_CERT_FILE', keyFile: 'KAFKA_SSL_KEY_FILE' }, problems);

  const password = readSecret(env, 'KAFKA_SASL_PASSWORD', problems);
  const mechanism = values.KAFKA_SASL_MECHANISM;
  const username = values.KAFKA_SASL_USERNAME;
  if (mechanism) {
    if (username === undefined) problems.push(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    if (password === undefined && env.KAFKA_SASL_PASSWORD === undefined && env.KAFKA_SASL_PASSWORD_FILE === undefined) {
      problems.push(`KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required with KAFKA_SASL_MECHANISM=${mechanism}`);
    }
  } else if (env.KAFKA_SASL_MECHANISM === undefined) {
    const orphans = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'].filter((name) => env[name] !== undefined);
    if (orphans.length > 0) problems.push(`${orphans.join(', ')} ${orphans.length === 1 ? 'is' : 'are'} set without KAFKA_SASL_MECHANISM (${SASL_MECHANISMS.join(', ')})`);
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);

  // A given CA replaces the system's for these connections (Node's `ca`), as a private cluster CA should.
  const ssl: ConnectionOptions | true | undefined = !tls.enabled
    ? undefined
    : tls.ca || tls.clientCertificate
      ? { ...(tls.ca && { ca: tls.ca }), ...tls.clientCertificate }
      : true;
  return {
    brokers: parseBrokers(values.KAFKA_BROKERS),
    ...(ssl && { ssl }),
    ...(mechanism && { sasl: { mechanism, username: username!, password: password! } }),
  };
}

export function parseBrokers(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** What a log line may say about the connection (never the password or the certificates). */
export function describeKafkaConnection({ brokers, ssl, sasl }: KafkaConnectionOptions): string {
  const security = [ssl ? (typeof ssl === 'object' && ssl.cert ? 'mTLS' : 'TLS') : 'plaintext', ...(sasl ? [`SASL ${sasl.mechanism.toUpperCase()} as ${sasl.username}`] : [])].join(' + ');
  return `${brokers.join(',')} (${security})`;
}
