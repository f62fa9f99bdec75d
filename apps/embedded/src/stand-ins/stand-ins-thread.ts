// The worker thread that runs npm start's stand-ins (embedded Temporal and embedded Kafka), so that they use the
// machine's second core instead of sharing one event loop with the API, the worker, the relay and PGlite. It talks
// to the main thread only through the messages in stand-ins-messages.ts.

import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { FROZEN, StandInsRequest, StandInsSettings, StandInsUpdate } from './stand-ins-messages';

const port = parentPort!;
const settings = workerData as StandInsSettings;
const post = (update: StandInsUpdate) => port.postMessage(update);

/** The port setting of the stand-in being started, for a failure to name. */
let starting: 'TEMPORAL_PORT' | 'KAFKA_PORT' | undefined;

async function start(): Promise<{ temporal?: EmbeddedTemporalServer; kafka?: EmbeddedKafka }> {
  const started: { temporal?: EmbeddedTemporalServer; kafka?: EmbeddedKafka } = {};
  try {
    if (settings.temporal) {
      starting = 'TEMPORAL_PORT';
      started.temporal = await EmbeddedTemporalServer.start({ ...settings.temporal, dataDir: join(settings.dataDir, 'temporal') });
    }
    if (settings.kafka) {
      starting = 'KAFKA_PORT';
      started.kafka = await EmbeddedKafka.start({
        ...settings.kafka,
        dataDirectory: join(settings.dataDir, 'kafka'),
        log: (message) => post({ kind: 'log', message }),
      });
    }
    return started;
  } catch (error) {
    await stop(started);
    throw error;
  }
}

async function stop({ temporal, kafka }: { temporal?: EmbeddedTemporalServer; kafka?: EmbeddedKafka }): Promise<void> {
  await kafka?.stop();
  await temporal?.stop();
}

start().then(
  (running) => {
    port.on('message', (request: StandInsRequest) => {
      switch (request.kind) {
        case 'freeze': {
          // Between two tasks of this event loop no request is half handled and the broker's writes are done:
          // its files are what a kill -9 would leave. The thread sleeps until the main thread has copied them.
          const flag = new Int32Array(request.flag);
          post({ kind: 'frozen' });
          Atomics.wait(flag, 0, FROZEN);
          return;
        }
        case 'stop':
          void stop(running).then(
            () => post({ kind: 'stopped' }),
            (error: unknown) => post({ kind: 'stopped', error: error instanceof Error ? error.message : String(error) }),
          );
          return;
        default: {
          const unknown: never = request;
          throw new Error(`unknown request ${JSON.stringify(unknown)}`);
        }
      }
    });
    post({ kind: 'ready', temporalAddress: running.temporal?.address, kafkaBootstrap: running.kafka?.bootstrapServer });
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // gRPC wraps the listener's EADDRINUSE in a message of its own.
    const takenPort = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' || message.includes('EADDRINUSE') ? starting : undefined;
    post({ kind: 'failed', message, stack: error instanceof Error ? error.stack : undefined, takenPort });
  },
);
