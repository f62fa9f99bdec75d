// End-to-end benchmark on the embedded stack: back-office actions (Temporal updates) → events stored → on
// Kafka. Prints transitions per second and the outbox lag (stored → consumed) percentiles. Asserts nothing.
//
//   npm run build && node dist/bench/lifecycle/transitions.js [reports=20] [notesPerReport=10] [concurrency=8]

import { Kafka, logLevel } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { OutboxRelay } from '@engine/event-store';
import { ensureLifecycleTopic, KafkaLifecyclePublisher, parseLifecycleMessage } from '@engine/kafka';
import { startLifecycleStack } from '../../tests/lifecycle/lifecycle-stack';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const [reports = 20, notesPerReport = 10, concurrency = 8] = process.argv.slice(2).map(Number);
const staff = { username: 'bench', role: 'staff' as const };

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const broker = await EmbeddedKafka.start({ port: 0, initialRebalanceDelayMs: 0 });
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], clientId: 'bench', logLevel: logLevel.NOTHING });
  await ensureLifecycleTopic(kafka, { partitions: 6 });
  const stack = await startLifecycleStack();
  await stack.startWorker();
  const publisher = new KafkaLifecyclePublisher(kafka);
  const relay = new OutboxRelay({ name: REPORTS_TOPIC, store: stack.eventStore, checkpoints: stack.eventStore.checkpointStore(), publisher, idlePollMs: 5 });
  relay.start();

  const lags: number[] = [];
  let consumed = 0;
  const expected = reports * (2 + notesPerReport);
  let allConsumed!: () => void;
  const done = new Promise<void>((resolve) => (allConsumed = resolve));
  const consumer = kafka.consumer({ groupId: 'bench' });
  await consumer.connect();
  await consumer.subscribe({ topic: REPORTS_TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      lags.push(Date.now() - Date.parse(parseLifecycleMessage(message.value).recordedAt));
      if (++consumed === expected) allConsumed();
    },
  });

  const actionLatencies: number[] = [];
  const timed = async (action: () => Promise<unknown>) => {
    const start = performance.now();
    await action();
    actionLatencies.push(performance.now() - start);
  };
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reports) {
        const id = `bench-${next++}`;
        await timed(() => stack.reports.file({ reportId: id, platform: 'bench', channel: 'other', contentLocations: [{ url: `https://t.me/c/${id}` }], excerpt: 'x', evidenceHash: 'sha256:0', seenAt: new Date().toISOString(), reporterReference: id }, staff));
        await timed(() => stack.reports.act(id, 'TriageReport', { decision: 'actionable', category: 'insult', severity: 'standard', actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: false } }, staff));
        for (let n = 0; n < notesPerReport; n++) await timed(() => stack.reports.act(id, 'AddNote', { text: `note ${n}` }, staff));
      }
    }),
  );
  const storedAt = performance.now();
  await done;
  const consumedAt = performance.now();

  actionLatencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const seconds = (consumedAt - started) / 1000;
  console.log(`reports=${reports} actions=${actionLatencies.length} events=${expected} concurrency=${concurrency}`);
  console.log(`transitions (update → stored → on Kafka): ${(expected / seconds).toFixed(1)}/s over ${seconds.toFixed(2)} s`);
  console.log(`actions (update round trip):             ${(actionLatencies.length / ((storedAt - started) / 1000)).toFixed(1)}/s, p50 ${percentile(actionLatencies, 50).toFixed(1)} ms, p99 ${percentile(actionLatencies, 99).toFixed(1)} ms`);
  console.log(`outbox lag (stored → consumed):           p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms, max ${lags[lags.length - 1]} ms`);

  await consumer.disconnect();
  await relay.stop();
  await publisher.close();
  await stack.stop();
  await broker.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
