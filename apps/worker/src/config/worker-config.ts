// The worker's configuration, read from the environment and validated at start: a wrong value stops the
// process with a message that names it, instead of failing at the first workflow.

import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { collectProblems, InvalidConfigurationError, readEnvironment } from '@engine/config';
import { DEFAULT_DOSSIER_RULES, DossierRules, isValidDuration, IssuingAuthority } from '@engine/domain';
import { ChainAnchorKey, readChainAnchorKey } from '@engine/event-store';
import { KafkaConnectionOptions, readKafkaConnectionOptions } from '@engine/kafka';
import { ContactDirectory, parseContactDirectory } from '@engine/platform-gateway';
import { readTemporalConnectionOptions, TemporalConnectionOptions } from '@engine/temporal';

// Temporal's and Kafka's connection settings (addresses, TLS, SASL, API key) are read by their libraries.
class WorkerEnvironment {
  @IsOptional()
  @IsString()
  TEMPORAL_TASK_QUEUE = 'reports';

  /** Workflows the worker keeps cached between their tasks; unset: the SDK's default (from the heap's size). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TEMPORAL_MAX_CACHED_WORKFLOWS?: number;

  @IsOptional()
  @IsString()
  PLATFORM_CONTACTS?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  SMTP_FROM = 'report-escalation-engine@localhost';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DOSSIER_THRESHOLD = DEFAULT_DOSSIER_RULES.threshold;

  @IsOptional()
  @IsString()
  DOSSIER_INTERVAL = DEFAULT_DOSSIER_RULES.interval;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  KAFKA_TOPIC_PARTITIONS = 6;

  /** The authority every order to a platform names as its issuer (name and address). */
  @IsOptional()
  @Matches(/\S/, { message: 'ISSUING_AUTHORITY must not be blank' })
  ISSUING_AUTHORITY?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  RUN_RELAY = 'true';

  @IsOptional()
  @IsIn(['true', 'false'])
  RUN_PROJECTOR = 'true';
}

export interface WorkerConfig {
  temporal: TemporalConnectionOptions & { taskQueue: string; maxCachedWorkflows?: number };
  kafka: KafkaConnectionOptions;
  /** Partitions of the lifecycle topic when the relay has to create it. */
  topicPartitions: number;
  contacts: ContactDirectory;
  smtp?: { url: string; from: string };
  dossierRules: DossierRules;
  runRelay: boolean;
  runProjector: boolean;
  /** Signs the stream heads the relay reaches (CHAIN_ANCHOR_KEY or CHAIN_ANCHOR_KEY_FILE); none: no anchors. */
  chainAnchorKey?: ChainAnchorKey;
  /** Named as the issuer in every order to a platform (ISSUING_AUTHORITY); unset: the activities' default. */
  issuingAuthority?: IssuingAuthority;
}

export { InvalidConfigurationError };

export function readWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const { values: parsed, problems } = readEnvironment(WorkerEnvironment, env);
  const temporal = collectProblems(problems, () => readTemporalConnectionOptions(env));
  const kafka = collectProblems(problems, () => readKafkaConnectionOptions(env));
  if (!isValidDuration(parsed.DOSSIER_INTERVAL)) problems.push(`DOSSIER_INTERVAL "${parsed.DOSSIER_INTERVAL}" is not an ISO 8601 duration such as P7D`);
  let contacts: ContactDirectory = {};
  try {
    contacts = parseContactDirectory(parsed.PLATFORM_CONTACTS);
  } catch (error) {
    problems.push((error as Error).message);
  }
  let chainAnchorKey: ChainAnchorKey | undefined;
  try {
    chainAnchorKey = readChainAnchorKey(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  // The projector reads the event store, not the topic: only the relay needs the broker.
  if (parsed.RUN_RELAY === 'true' && kafka?.brokers.length === 0) problems.push('KAFKA_BROKERS is required while the relay runs (RUN_RELAY)');
  if (problems.length > 0 || !temporal || !kafka) throw new InvalidConfigurationError(problems);
  return {
    temporal: {
      ...temporal,
      taskQueue: parsed.TEMPORAL_TASK_QUEUE,
      ...(parsed.TEMPORAL_MAX_CACHED_WORKFLOWS !== undefined && { maxCachedWorkflows: parsed.TEMPORAL_MAX_CACHED_WORKFLOWS }),
    },
    kafka,
    topicPartitions: parsed.KAFKA_TOPIC_PARTITIONS,
    contacts,
    ...(parsed.SMTP_URL && { smtp: { url: parsed.SMTP_URL, from: parsed.SMTP_FROM } }),
    dossierRules: { threshold: parsed.DOSSIER_THRESHOLD, interval: parsed.DOSSIER_INTERVAL },
    runRelay: parsed.RUN_RELAY === 'true',
    runProjector: parsed.RUN_PROJECTOR === 'true',
    ...(chainAnchorKey && { chainAnchorKey }),
    ...(parsed.ISSUING_AUTHORITY && { issuingAuthority: { name: parsed.ISSUING_AUTHORITY.trim() } }),
  };
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
