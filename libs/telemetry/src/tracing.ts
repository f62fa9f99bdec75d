// OpenTelemetry tracing for the engine's processes: off unless an OTLP endpoint (or OTEL_TRACES_EXPORTER=otlp) is
// configured, then spans go over OTLP/HTTP. One call at the very start of a process, before the HTTP server exists.

import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type Tracing =
  | { readonly enabled: false; shutdown(): Promise<void> }
  | {
      readonly enabled: true;
      readonly provider: NodeTracerProvider;
      /** Where the workflow sandbox's spans go too (the Temporal worker's exporter sink). */
      readonly spanProcessor: SpanProcessor;
      readonly resource: Resource;
      /** Sends what is buffered and stops; call when the process stops. */
      shutdown(): Promise<void>;
    };

export interface TracingOptions {
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  /** Tests: spans go here (synchronously) instead of OTLP, and tracing is on whatever the environment says. */
  exporter?: SpanExporter;
}

const TRACING_OFF: Tracing = {
  enabled: false,
  shutdown: async () => {
    started = undefined;
  },
};

/** Whether the environment asks for traces: an OTLP endpoint, or OTEL_TRACES_EXPORTER=otlp; OTEL_SDK_DISABLED wins. */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (exporters.includes('none')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || exporters.includes('otlp'));
}

let started: Tracing | undefined;

/** What `startTracing` set up in this process (off when it was not called). */
export function currentTracing(): Tracing {
  return started ?? TRACING_OFF;
}

/**
 * Registers the global tracer provider, W3C trace-context propagation and the HTTP and Express instrumentations,
 * when asked for; otherwise registers nothing and returns `enabled: false` (the OpenTelemetry API then stays a
 * no-op). Once per process: a second call returns the first result (`npm start` runs API and worker together).
 */
export function startTracing(options: TracingOptions, env: NodeJS.ProcessEnv = process.env): Tracing {
  if (started) return started;
  if (!options.exporter && !tracingRequested(env)) return (started = TRACING_OFF);
  const resource = Resource.default()
    .merge(new Resource({ [ATTR_SERVICE_NAME]: options.serviceName }))
    .merge(envDetectorSync.detect()); // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS itself (default http://localhost:4318).
  const spanProcessor = options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register(); // AsyncLocalStorage context, W3C traceparent + baggage propagation
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Outgoing calls (webhooks, OIDC keys). The API makes its own server spans (apps/api/src/tracing), which
      // exist whatever the order in which modules were loaded; this would only add a second one.
      new HttpInstrumentation({ ignoreIncomingRequestHook: () => true }),
      new ExpressInstrumentation(),
    ],
  });
  started = {
    enabled: true,
    provider,
    spanProcessor,
    resource,
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      started = undefined;
    },
  };
  return started;
}
