// What `npm start` reads from the environment. Each outside system runs embedded unless its address is given.

import { InvalidConfigurationError } from '@engine/config';
import { KAFKA_SECURITY_SETTINGS } from '@engine/kafka';
import { TEMPORAL_SECURITY_SETTINGS } from '@engine/temporal';

export interface EmbeddedConfig {
  dataDir: string;
  port: number;
  host: string;
  /** Set: use that Temporal; unset: run the embedded server on `temporalPort`. */
  temporalAddress?: string;
  temporalPort: number;
  /** Set: use those brokers; unset: run the embedded broker on `kafkaPort`. */
  kafkaBrokers?: string;
  kafkaPort: number;
  /** Set: use that PostgreSQL; unset: PGlite under `dataDir`. */
  databaseUrl?: string;
  authTokens?: string;
}

export const EMBEDDED_TEMPORAL_SECURITY = 'the embedded Temporal server is plaintext, with the API key npm start generates';
export const EMBEDDED_KAFKA_SECURITY = 'the embedded broker is plaintext, with the SASL users npm start generates';

export function readEmbeddedConfig(env: NodeJS.ProcessEnv): EmbeddedConfig {
  const port = (name: string, fallback: number): number => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} "${env[name]}" is not a port number`);
    return value;
  };
  // The stand-ins speak plaintext with credentials npm start generates: TLS, SASL or an API key without a real
  // server's address is a mistake.
  const strays = [
    ...(env.TEMPORAL_ADDRESS ? [] : TEMPORAL_SECURITY_SETTINGS.filter((name) => env[name] !== undefined).map((name) => `${name} needs TEMPORAL_ADDRESS (${EMBEDDED_TEMPORAL_SECURITY})`)),
    ...(env.KAFKA_BROKERS ? [] : KAFKA_SECURITY_SETTINGS.filter((name) => env[name] !== undefined).map((name) => `${name} needs KAFKA_BROKERS (${EMBEDDED_KAFKA_SECURITY})`)),
  ];
  if (strays.length > 0) throw new InvalidConfigurationError(strays);
  return {
    dataDir: env.DATA_DIR || './.data',
    port: port('PORT', 3000),
    host: env.HOST || '127.0.0.1',
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalPort: port('TEMPORAL_PORT', 7233),
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
    kafkaPort: port('KAFKA_PORT', 9092),
    databaseUrl: env.DATABASE_URL || undefined,
    authTokens: env.AUTH_TOKENS || undefined,
  };
}
