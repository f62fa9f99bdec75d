// Temporal's OpenTelemetry interceptors, wired for a Tracing that is on: the client passes its span on in the
// workflow's headers, the workflow (inside the sandbox) and its activities continue it. With tracing off: nothing.

import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/** For `new Client({ interceptors })` (the API, and the worker's own client for signals). */
export function temporalClientInterceptors(tracing: Tracing): ClientInterceptors | undefined {
  return tracing.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** The Temporal package's workflow interceptor module, bundled into the workflow code through `workflowModules`. */
export const TRACING_WORKFLOW_INTERCEPTORS = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * Worker options that trace workflows and activities. The workflow interceptors read and write headers and hand
 * finished spans to the `exporter` sink; they schedule no commands, so histories are the same with tracing on or
 * off (the replay test checks it).
 */
export function temporalWorkerTracing(tracing: Tracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!tracing.enabled) return {};
  return {
    interceptors: {
      workflowModules: [TRACING_WORKFLOW_INTERCEPTORS],
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
