// One place that builds kafkajs clients from configuration, with kafkajs' logs routed to ours.

import { Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { KafkaConnectionOptions } from './kafka-connection-options';

/** Brokers, TLS and SASL as kafka-connection-options.ts reads them from the environment, and who connects. */
export interface KafkaOptions extends KafkaConnectionOptions {
  clientId: string;
  /** Receives kafkajs' warnings and errors (default: console). */
  log?: (level: 'warn' | 'error', message: string, extra: Record<string, unknown>) => void;
}

export function createKafka({ brokers, ssl, sasl, clientId, log }: KafkaOptions): Kafka {
  if (brokers.length === 0) throw new Error('no Kafka brokers configured (KAFKA_BROKERS)');
  const sink = log ?? ((level, message, extra) => console[level](`[kafkajs] ${message}`, extra));
  return new Kafka({
    clientId,
    brokers,
    ...(ssl && { ssl }),
    // kafkajs types SASL per mechanism; ours carries the same fields for each of the three it allows.
    ...(sasl && { sasl: sasl as SASLOptions }),
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
