// The worker's configuration, read from the environment and validated at start: a wrong value stops the
// process with a message that names it, instead of failing at the first workflow.

import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Min, MinLength, validateSync } from 'class-validator';
import { DEFAULT_DOSSIER_RULES, DossierRules, isValidDuration } from '@engine/domain';
import { ContactDirectory, parseContactDirectory } from '@engine/platform-gateway';

class WorkerEnvironment {
  @IsString()
  @MinLength(1)
  TEMPORAL_ADDRESS!: string;

  @IsOptional()
  @IsString()
  TEMPORAL_NAMESPACE = 'default';

  @IsOptional()
  @IsString()
  TEMPORAL_TASK_QUEUE = 'reports';

  @IsOptional()
  @Matches(/^[^,\s]+(,[^,\s]+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

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

  @IsOptional()
  @IsIn(['true', 'false'])
  RUN_RELAY = 'true';

  @IsOptional()
  @IsIn(['true', 'false'])
  RUN_PROJECTOR = 'true';
}

export interface WorkerConfig {
  temporal: { address: string; namespace: string; taskQueue: string };
  kafkaBrokers: string[];
  /** Partitions of the lifecycle topic when the relay has to create it. */
  topicPartitions: number;
  contacts: ContactDirectory;
  smtp?: { url: string; from: string };
  dossierRules: DossierRules;
  runRelay: boolean;
  runProjector: boolean;
}

export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
}

export function readWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const parsed = plainToInstance(WorkerEnvironment, env, { exposeDefaultValues: true });
  const problems = validateSync(parsed, { skipMissingProperties: false, whitelist: false }).flatMap((error) => Object.values(error.constraints ?? {}));
  if (!isValidDuration(parsed.DOSSIER_INTERVAL)) problems.push(`DOSSIER_INTERVAL "${parsed.DOSSIER_INTERVAL}" is not an ISO 8601 duration such as P7D`);
  let contacts: ContactDirectory = {};
  try {
    contacts = parseContactDirectory(parsed.PLATFORM_CONTACTS);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const needsKafka = parsed.RUN_RELAY === 'true' || parsed.RUN_PROJECTOR === 'true';
  if (needsKafka && !parsed.KAFKA_BROKERS) problems.push('KAFKA_BROKERS is required while the relay or the projector runs (RUN_RELAY, RUN_PROJECTOR)');
  if (problems.length > 0) throw new InvalidConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  return {
    temporal: { address: parsed.TEMPORAL_ADDRESS, namespace: parsed.TEMPORAL_NAMESPACE, taskQueue: parsed.TEMPORAL_TASK_QUEUE },
    kafkaBrokers: (parsed.KAFKA_BROKERS ?? '').split(',').filter(Boolean),
    topicPartitions: parsed.KAFKA_TOPIC_PARTITIONS,
    contacts,
    ...(parsed.SMTP_URL && { smtp: { url: parsed.SMTP_URL, from: parsed.SMTP_FROM } }),
    dossierRules: { threshold: parsed.DOSSIER_THRESHOLD, interval: parsed.DOSSIER_INTERVAL },
    runRelay: parsed.RUN_RELAY === 'true',
    runProjector: parsed.RUN_PROJECTOR === 'true',
  };
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
