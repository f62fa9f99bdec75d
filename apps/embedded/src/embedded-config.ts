// What `npm start` reads from the environment. Each outside system runs embedded unless its address is given.

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

export function readEmbeddedConfig(env: NodeJS.ProcessEnv): EmbeddedConfig {
  const port = (name: string, fallback: number): number => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} "${env[name]}" is not a port number`);
    return value;
  };
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
