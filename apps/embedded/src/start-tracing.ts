// Tracing for `npm start`'s process, when configured (see @engine/telemetry); imported first by its entry point,
// so the HTTP instrumentation is in place before the server is.
import { startTracing } from '@engine/telemetry';

startTracing({ serviceName: 'report-engine' });
