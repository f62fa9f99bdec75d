// Tracing is off unless asked for, and off means nothing: no provider, no exporter, no interceptors, no spans.

import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { temporalClientInterceptors, temporalWorkerTracing, TRACING_WORKFLOW_INTERCEPTORS } from './temporal-tracing';
import { activeTraceParent } from './trace-context';
import { currentTracing, startTracing, tracingRequested } from './tracing';

describe('tracingRequested', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
  ])('%j → %s', (env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});

describe('tracing off (the default)', () => {
  afterEach(() => currentTracing().shutdown());

  it('registers nothing: spans do not record, no trace parent, no Temporal interceptors or sinks', async () => {
    const tracing = startTracing({ serviceName: 'test' }, {});
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(activeTraceParent()).toBeUndefined();
    expect(temporalClientInterceptors(tracing)).toBeUndefined();
    expect(temporalWorkerTracing(tracing)).toEqual({});
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });
});

describe('tracing on', () => {
  afterEach(() => currentTracing().shutdown());

  it('records spans to the exporter and gives the Temporal worker its interceptors and span sink', async () => {
    const exporter = new InMemorySpanExporter();
    const on = startTracing({ serviceName: 'test', exporter });
    expect(on.enabled).toBe(true);
    expect(startTracing({ serviceName: 'again' })).toBe(on); // once per process
    trace.getTracer('test').startActiveSpan('work', (span) => {
      expect(activeTraceParent()).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      span.end();
    });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['work']);
    expect(exporter.getFinishedSpans()[0].resource.attributes['service.name']).toBe('test');
    expect(temporalClientInterceptors(on)?.workflow).toHaveLength(1);
    const worker = temporalWorkerTracing(on);
    expect(worker.interceptors?.workflowModules).toEqual([TRACING_WORKFLOW_INTERCEPTORS]);
    expect(worker.interceptors?.activity).toHaveLength(1);
    expect(worker.sinks).toHaveProperty('exporter');
  });
});
