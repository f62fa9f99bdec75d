// The server span of each API request, when tracing is on: the root of the trace that the Temporal client, the
// workflow, its activities and the Kafka publish continue (or the child of a caller's `traceparent`). Made here
// rather than by the HTTP instrumentation, which sees the `http` module only when it is loaded after tracing
// started: this span exists whatever the order in which a program loads its modules.

import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

const tracer = () => trace.getTracer('@engine/api');

export function serverSpanMiddleware() {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '').split('?')[0]; // the query may quote report text
    if (/^\/(health|metrics)(\/|$)/.test(path)) return next(); // probes and scrapes would drown the actions
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path } }, parent);
    const active = trace.setSpan(parent, span);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = typeof request.route?.path === 'string' ? `${request.baseUrl ?? ''}${request.route.path}` : undefined;
      if (route) {
        span.setAttribute('http.route', route);
        span.updateName(`${method} ${route}`);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    // The body arrives in events of the request stream, which run in the context of the connection, not of
    // this call: bound, so that what the body parser hands on still runs in the span.
    context.bind(active, request);
    context.bind(active, response);
    context.with(active, next);
  };
}
