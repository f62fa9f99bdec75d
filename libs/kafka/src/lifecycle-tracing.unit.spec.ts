// A published event continues the trace it was stored in, and the record's traceparent names the producer span;
// with tracing off, a record gets no header unless its event was stored in a trace.

import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { StoredEvent } from '@engine/event-store';
import { toLifecycleRecord } from './lifecycle-record';
import { inProcessSpan, startPublishSpan } from './lifecycle-tracing';

const STORED_IN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TOPIC = 'reports.lifecycle.v1';

function storedEvent(traceParent?: string): StoredEvent {
  return {
    globalPosition: 1,
    transactionId: '1',
    streamId: 'report-r1',
    version: 1,
    eventId: 'r1:1',
    type: 'ReportTriaged',
    schemaVersion: 1,
    data: {},
    metadata: { actor: 'analyst.meyer' },
    recordedAt: '2026-12-01T09:00:00.000Z',
    hash: 'h',
    previousHash: 'p',
    ...(traceParent && { traceParent }),
  };
}

describe('tracing off (no provider registered)', () => {
  it('publishes an untraced event without a traceparent header', () => {
    const span = startPublishSpan(TOPIC, { eventId: 'r1:1', reportId: 'r1' });
    expect(span.traceParent).toBeUndefined();
    expect(toLifecycleRecord(storedEvent(), span.traceParent).headers).not.toHaveProperty('traceparent');
    span.end();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() }));
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it('publishes in a producer span, child of the span that stored the event, named in the traceparent header', () => {
    const span = startPublishSpan(TOPIC, { eventId: 'r1:1', reportId: 'r1', traceParent: STORED_IN });
    const record = toLifecycleRecord(storedEvent(STORED_IN), span.traceParent);
    span.end();

    const [published] = exporter.getFinishedSpans();
    expect(published.kind).toBe(SpanKind.PRODUCER);
    expect(published.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(published.parentSpanId).toBe('b7ad6b7169203331');
    expect(published.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': TOPIC, 'messaging.message.id': 'r1:1' });
    expect(record.headers.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${published.spanContext().spanId}-01`);
  });

  it('handles a consumed message in a consumer span, child of the producer span, and marks a failure', async () => {
    const producerSpanId = '00f067aa0ba902b7';
    await expect(
      inProcessSpan(TOPIC, { eventId: 'r1:1', reportId: 'r1' }, `00-0af7651916cd43dd8448eb211c80319c-${producerSpanId}-01`, async () => {
        expect(trace.getActiveSpan()).toBeDefined();
        throw new Error('projection failed');
      }),
    ).rejects.toThrow('projection failed');
    const [processed] = exporter.getFinishedSpans();
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.parentSpanId).toBe(producerSpanId);
    expect(processed.status).toMatchObject({ code: 2, message: 'projection failed' });
  });
});
