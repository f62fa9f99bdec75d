// Credentials for the embedded stand-ins, so that another user of the machine can neither read nor forge nor
// delete anything through their ports: the broker's users (the product's own, with full access, and a read-only
// one for outside consumers) and the Temporal frontend's API key. Generated once, kept in the data directory
// for the owner only (as the API tokens are), and handed to the product's clients through the same settings
// they read against a real cluster (KAFKA_SASL_*, TEMPORAL_API_KEY).

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerUser } from '@engine/embedded-kafka';

export interface KafkaUserCredentials {
  username: string;
  password: string;
}

export interface StandInCredentials {
  kafka: { product: KafkaUserCredentials; reader: KafkaUserCredentials };
  temporalApiKey: string;
}

/** The mechanism the product's own clients use on the embedded broker (the password never crosses the wire). */
export const PRODUCT_SASL_MECHANISM = 'scram-sha-512';

export const CREDENTIALS_FILE = 'stand-in-credentials.json';
/** librdkafka properties for the read-only user: `kcat -F <file>` keeps the password off the command line. */
export const KCAT_PROPERTIES_FILE = 'kafka-reader.properties';

const secret = () => randomBytes(32).toString('base64url');

export function generateStandInCredentials(): StandInCredentials {
  return {
    kafka: {
      product: { username: 'engine', password: secret() },
      reader: { username: 'reader', password: secret() },
    },
    temporalApiKey: secret(),
  };
}

function isUser(value: unknown): value is KafkaUserCredentials {
  const user = value as Partial<KafkaUserCredentials> | null;
  return typeof user?.username === 'string' && user.username !== '' && typeof user.password === 'string' && user.password !== '';
}

function parseCredentials(text: string, file: string): StandInCredentials {
  let parsed: Partial<StandInCredentials>;
  try {
    parsed = JSON.parse(text) as Partial<StandInCredentials>;
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}): remove it to generate new credentials`);
  }
  if (!isUser(parsed.kafka?.product) || !isUser(parsed.kafka?.reader) || typeof parsed.temporalApiKey !== 'string' || parsed.temporalApiKey === '') {
    throw new Error(`${file} lacks kafka.product, kafka.reader or temporalApiKey: remove it to generate new credentials`);
  }
  return { kafka: { product: parsed.kafka.product, reader: parsed.kafka.reader }, temporalApiKey: parsed.temporalApiKey };
}

function writeOwnerOnly(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600); // also when the file existed with wider permissions
}

/** The credentials kept in `dataDir`, generated on the first start. */
export function standInCredentials(dataDir: string): { credentials: StandInCredentials; file: string; generatedNow: boolean } {
  const file = join(dataDir, CREDENTIALS_FILE);
  const generatedNow = !existsSync(file);
  if (generatedNow) writeOwnerOnly(file, `${JSON.stringify(generateStandInCredentials(), null, 2)}\n`);
  return { credentials: parseCredentials(readFileSync(file, 'utf8'), file), file, generatedNow };
}

/** Writes the read-only user's librdkafka settings for kcat (`-F`), owner-only; returns the file. */
export function writeKcatProperties(dataDir: string, reader: KafkaUserCredentials, bootstrapServer: string): string {
  const file = join(dataDir, KCAT_PROPERTIES_FILE);
  const lines = [
    `bootstrap.servers=${bootstrapServer}`,
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanisms=SCRAM-SHA-512',
    `sasl.username=${reader.username}`,
    `sasl.password=${reader.password}`,
  ];
  writeOwnerOnly(file, `${lines.join('\n')}\n`);
  return file;
}

/** The broker's users: the product (everything) and the reader (read-only, kept out of the product's groups). */
export function brokerUsers(credentials: StandInCredentials, productGroups: string[]): BrokerUser[] {
  return [
    { ...credentials.kafka.product, access: 'all' },
    { ...credentials.kafka.reader, access: 'read-only', deniedGroups: productGroups },
  ];
}

/**
 * The settings the product's clients read against a real cluster, for the stand-ins that run: SASL on the
 * broker, the API key on the Temporal frontend (over plaintext on 127.0.0.1, hence TEMPORAL_TLS=false).
 */
export function standInConnectionSettings(credentials: StandInCredentials, running: { kafka: boolean; temporal: boolean }): Record<string, string> {
  return {
    ...(running.kafka && {
      KAFKA_SASL_MECHANISM: PRODUCT_SASL_MECHANISM,
      KAFKA_SASL_USERNAME: credentials.kafka.product.username,
      KAFKA_SASL_PASSWORD: credentials.kafka.product.password,
    }),
    ...(running.temporal && { TEMPORAL_API_KEY: credentials.temporalApiKey, TEMPORAL_TLS: 'false' }),
  };
}

/**
 * What the start banner says: the secrets once, when generated; after that only where they are. The kcat line
 * carries no secret (it reads the properties file), so it is shown every time.
 */
export function credentialLines(
  generated: ReturnType<typeof standInCredentials>,
  running: { kafkaBootstrap?: string; kcatProperties?: string; temporalAddress?: string },
  topic: string,
): string[] {
  const { credentials, file, generatedNow } = generated;
  const { reader, product } = credentials.kafka;
  const lines: string[] = [];
  if (running.kafkaBootstrap && running.kcatProperties) {
    lines.push(
      `  Kafka readers  user ${reader.username} (read-only: consume, no writes); kcat:`,
      `                 kcat -F ${running.kcatProperties} -C -t ${topic} -o beginning -e`,
    );
    if (generatedNow) {
      lines.push(
        `                 kafkajs: new Kafka({ brokers: ['${running.kafkaBootstrap}'], sasl: { mechanism: 'scram-sha-512', username: '${reader.username}', password: '${reader.password}' } })`,
      );
    }
  }
  if (generatedNow) {
    lines.push(`  stand-in credentials (generated now, kept in ${file}; shown this once):`);
    if (running.kafkaBootstrap) lines.push(`    Kafka product user ${product.username} (SCRAM-SHA-512), password ${product.password}`);
    if (running.temporalAddress) lines.push(`    Temporal API key   ${credentials.temporalApiKey} (SDK option apiKey, TLS off)`);
  } else if (running.kafkaBootstrap || running.temporalAddress) {
    const what = [...(running.kafkaBootstrap ? [`Kafka users ${product.username} and ${reader.username}`] : []), ...(running.temporalAddress ? ['Temporal API key'] : [])];
    lines.push(`  credentials    in ${file}: ${what.join(', ')}`);
  }
  return lines;
}
