// Spans for the lifecycle topic: a producer span per published event, child of the span that stored the event
// (its traceparent travels in the event store), and a consumer span per handled message, child of the producer
// span (its traceparent travels in the record's `traceparent` header). No-ops while tracing is off.

import { context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { activeTraceParent, contextFromTraceParent } from '@engine/telemetry';

const tracer = () => trace.getTracer('@engine/kafka');

/** Messaging attributes of OpenTelemetry's semantic conventions (still experimental there, so written out). */
function messagingAttributes(topic: string, operation: 'publish' | 'process', eventId: string, reportId: string) {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
    'messaging.message.id': eventId,
    'messaging.kafka.message.key': reportId,
  };
}

export interface PublishSpan {
  /** The `traceparent` header for the record: the producer span, so consumers continue from it. */
  readonly traceParent: string | undefined;
  end(error?: unknown): void;
}

export function startPublishSpan(topic: string, event: { eventId: string; reportId: string; traceParent?: string }): PublishSpan {
  const parent = contextFromTraceParent(event.traceParent);
  const span = tracer().startSpan(`${topic} publish`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, 'publish', event.eventId, event.reportId) }, parent);
  return { traceParent: activeTraceParent(trace.setSpan(parent, span)), end: (error) => endSpan(span, error) };
}

/** Runs `handle` in a consumer span whose parent is the record's `traceparent` header (if any). */
export async function inProcessSpan<T>(topic: string, message: { eventId: string; reportId: string }, traceParent: string | undefined, handle: () => Promise<T>): Promise<T> {
  const parent = contextFromTraceParent(traceParent);
  const span = tracer().startSpan(`${topic} process`, { kind: SpanKind.CONSUMER, attributes: messagingAttributes(topic, 'process', message.eventId, message.reportId) }, parent);
  try {
    const result = await context.with(trace.setSpan(parent, span), handle);
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}
