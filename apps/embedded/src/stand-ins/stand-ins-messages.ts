// What npm start's main thread and its stand-ins' thread (stand-ins-thread.ts) say to each other.

import type { EmbeddedKafkaOptions } from '@engine/embedded-kafka';
import type { EmbeddedTemporalOptions } from '@engine/embedded-temporal';

/** Given to the thread at its start: which stand-ins to run, and how. Only what survives structured cloning. */
export interface StandInsSettings {
  dataDir: string;
  temporal?: Pick<EmbeddedTemporalOptions, 'port' | 'host' | 'apiKey' | 'residentHistories'>;
  kafka?: Pick<EmbeddedKafkaOptions, 'port' | 'host' | 'initialRebalanceDelayMs' | 'users'>;
}

/** The value of the freeze flag while the thread must sleep; anything else wakes it. */
export const FROZEN = 1;

export type StandInsRequest =
  /** Sleep, between two tasks, until `flag` (an Int32Array's buffer) no longer holds FROZEN. */
  | { kind: 'freeze'; flag: SharedArrayBuffer }
  | { kind: 'stop' };

export type StandInsUpdate =
  | { kind: 'ready'; temporalAddress?: string; kafkaBootstrap?: string }
  /** `takenPort`: the stand-in (by its port setting) whose address another program holds. */
  | { kind: 'failed'; message: string; stack?: string; takenPort?: 'TEMPORAL_PORT' | 'KAFKA_PORT' }
  | { kind: 'frozen' }
  | { kind: 'log'; message: string }
  | { kind: 'stopped'; error?: string };
