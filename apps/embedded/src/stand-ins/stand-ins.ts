// npm start's stand-ins (embedded Temporal and embedded Kafka) in a worker thread of their own: the product's
// clients reach them over TCP exactly as before, but their work runs on the second core. The thread is part of
// the process: if it fails, the engine stops (as when the stand-ins shared the main thread).

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AddressInUseError } from '../../../api/src/listen';
import { FROZEN, StandInsRequest, StandInsSettings, StandInsUpdate } from './stand-ins-messages';

export type { StandInsSettings } from './stand-ins-messages';

export interface RunningStandIns {
  temporalAddress?: string;
  kafkaBootstrap?: string;
  /** Runs `copy` while the stand-ins sleep between two tasks (their files then hold still), and wakes them after. */
  frozenWhile<T>(copy: () => T): Promise<T>;
  stop(): Promise<void>;
}

export interface StandInsEvents {
  /** A line the broker logs (refused connections: worth an operator's eye). */
  log(message: string): void;
  /** The thread died after its start: the engine cannot go on without it. */
  failed(error: Error): void;
}

export function startStandIns(settings: StandInsSettings, events: StandInsEvents): Promise<RunningStandIns> {
  const thread = new Worker(join(__dirname, 'stand-ins-thread.js'), { workerData: settings });
  const request = (message: StandInsRequest) => thread.postMessage(message);
  /** Set once the thread is gone: nothing it would have answered will come any more. */
  let exitCode: number | undefined;
  const next = (kind: StandInsUpdate['kind']) =>
    new Promise<StandInsUpdate>((resolve, reject) => {
      if (exitCode !== undefined) return reject(new Error(`the stand-ins' thread exited (${exitCode})`));
      const onExit = (code: number) => {
        thread.off('message', onUpdate);
        reject(new Error(`the stand-ins' thread exited (${code})`));
      };
      const onUpdate = (update: StandInsUpdate) => {
        if (update.kind !== kind) return;
        thread.off('message', onUpdate);
        thread.off('exit', onExit);
        resolve(update);
      };
      thread.on('message', onUpdate);
      thread.once('exit', onExit);
    });
  let started = false;
  let stopping = false;
  let failed = false;
  /** After the start: the first failure is told (an uncaught error is followed by the thread's exit). */
  const fail = (error: Error) => {
    if (!started || stopping || failed) return;
    failed = true;
    events.failed(error);
  };
  thread.on('message', (update: StandInsUpdate) => {
    if (update.kind === 'log') events.log(update.message);
  });

  return new Promise<RunningStandIns>((resolve, reject) => {
    thread.once('error', (error) => (started ? fail(error) : reject(error)));
    thread.once('exit', (code) => {
      exitCode = code;
      if (started) fail(new Error(`the stand-ins' thread exited (${code})`));
      else reject(new Error(`the stand-ins' thread exited (${code}) before they started`));
    });
    thread.on('message', (update: StandInsUpdate) => {
      if (update.kind === 'failed') {
        stopping = true;
        void thread.terminate();
        const { host, port } = (update.takenPort === 'TEMPORAL_PORT' ? settings.temporal : settings.kafka) ?? {};
        reject(
          update.takenPort
            ? AddressInUseError.of(host ?? '127.0.0.1', port, update.takenPort)
            : Object.assign(new Error(update.message), { stack: update.stack ?? update.message }),
        );
      }
      if (update.kind !== 'ready') return;
      started = true;
      resolve({
        temporalAddress: update.temporalAddress,
        kafkaBootstrap: update.kafkaBootstrap,
        async frozenWhile<T>(copy: () => T): Promise<T> {
          const flag = new Int32Array(new SharedArrayBuffer(4));
          Atomics.store(flag, 0, FROZEN);
          const frozen = next('frozen');
          request({ kind: 'freeze', flag: flag.buffer as SharedArrayBuffer });
          await frozen;
          try {
            return copy();
          } finally {
            Atomics.store(flag, 0, 0);
            Atomics.notify(flag, 0);
          }
        },
        async stop() {
          stopping = true;
          if (exitCode !== undefined) return; // gone already (it failed): nothing left to stop
          const stopped = next('stopped');
          request({ kind: 'stop' });
          const { error } = (await stopped) as Extract<StandInsUpdate, { kind: 'stopped' }>;
          await thread.terminate();
          if (error) throw new Error(error);
        },
      });
    });
  });
}
