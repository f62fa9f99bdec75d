// One place that builds kafkajs clients from configuration, with kafkajs' logs routed to ours.

import { Kafka, logLevel, LogEntry } from 'kafkajs';

export interface KafkaOptions {
  /** `host:port` list, for example from `KAFKA_BROKERS`. */
  brokers: string[];
  clientId: string;
  /** Receives kafkajs' warnings and errors (default: console). */
  log?: (level: 'warn' | 'error', message: string, extra: Record<string, unknown>) => void;
}

export function createKafka({ brokers, clientId, log }: KafkaOptions): Kafka {
  if (brokers.length === 0) throw new Error('no Kafka brokers configured (KAFKA_BROKERS)');
  const sink = log ?? ((level, message, extra) => console[level](`[kafkajs] ${message}`, extra));
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        // Our producer's retries are bounded on purpose: the outbox relay re-publishes a failed batch and
        // consumers drop duplicates by event id, so kafkajs' warning about it says nothing new.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        sink(level === logLevel.ERROR ? 'error' : 'warn', message, extra);
      },
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
  });
}

export function parseBrokers(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}
