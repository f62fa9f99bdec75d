// Tracing for the worker process, when configured (see @engine/telemetry); imported first by its entry point.
import { startTracing } from '@engine/telemetry';

startTracing({ serviceName: 'report-engine-worker' });
