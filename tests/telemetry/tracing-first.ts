// Imported first by the spec, as the entry points import their start-tracing module first: the instrumentations
// patch `http` when it is next required, so tracing must start before the HTTP server's modules load.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '@engine/telemetry';

export const spans = new InMemorySpanExporter();
startTracing({ serviceName: 'report-engine-test', exporter: spans });
