// A span context as a W3C `traceparent` string and back: how a trace crosses the event store and Kafka, where no
// live context travels. Independent of the global propagator, so it works the same whether tracing is on or off.

import { Context, context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();
const getter = { get: (carrier: Record<string, string>, key: string) => carrier[key], keys: (carrier: Record<string, string>) => Object.keys(carrier) };
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };

/** The `traceparent` of the active span when it is sampled (tracing on); undefined otherwise. */
export function activeTraceParent(from: Context = context.active()): string | undefined {
  const span = trace.getSpanContext(from);
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(from, carrier, setter);
  return carrier.traceparent;
}

/** A context whose remote parent is `traceParent` (ROOT_CONTEXT for a missing or malformed one). */
export function contextFromTraceParent(traceParent: string | undefined): Context {
  if (!traceParent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent: traceParent }, getter);
}
