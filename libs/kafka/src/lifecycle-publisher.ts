// Publishes stored report events to the lifecycle topic with an idempotent producer, in the order given.

import { Kafka, Partitioners, Producer } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import type { StoredEvent } from '@engine/event-store';
import { reportIdOfStream, toLifecycleRecord } from './lifecycle-record';
import { startPublishSpan } from './lifecycle-tracing';

export class KafkaLifecyclePublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly topic = REPORTS_TOPIC,
  ) {
    // One request in flight keeps a report's events in order across retries; idempotence drops resent batches.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Murmur2 on the key, as the Java client: other producers of the same key land on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** Resolves once the broker acknowledged every record (acks = all); events of other streams are skipped. */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    const reportEvents = events.filter((event) => reportIdOfStream(event.streamId) !== undefined);
    if (reportEvents.length === 0) return;
    // One producer span per event, in the trace the event was stored in; its context goes in the record's header.
    const spans = reportEvents.map((event) => startPublishSpan(this.topic, { eventId: event.eventId, reportId: reportIdOfStream(event.streamId)!, traceParent: event.traceParent }));
    const records = reportEvents.map((event, index) => toLifecycleRecord(event, spans[index].traceParent));
    try {
      this.connected ??= this.producer.connect().catch((error) => {
        this.connected = undefined;
        throw error;
      });
      await this.connected;
      await this.producer.send({ topic: this.topic, acks: -1, messages: records });
    } catch (error) {
      for (const span of spans) span.end(error);
      throw error;
    }
    for (const span of spans) span.end();
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
