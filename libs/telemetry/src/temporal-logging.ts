// The Temporal SDK's log (sdk-core, the worker, workflow `log` and activity `log` calls) into the process's
// logger, with the report id taken from the workflow id, so a case's workflow lines sit beside its HTTP lines.

import type { Logger as Pino } from 'pino';
import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { reportIdOfWorkflowId } from './logging';

const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
/** What the application's code logs; everything else (sdk-core, the worker's own lifecycle) is the SDK's. */
const APPLICATION_COMPONENTS = new Set(['workflow', 'activity']);

export class TemporalPinoLogger implements Logger {
  private readonly logger: Pino;

  /**
   * `sdkLevel`: the least severe level of the SDK's own messages that is written (its INFO lines tell of every
   * bundle and state change; WARN by default). Workflow and activity lines follow the logger's own level.
   */
  constructor(
    logger: Pino,
    private readonly sdkLevel: LogLevel = 'WARN',
  ) {
    this.logger = logger.child({ context: 'Temporal' });
  }

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    if (!APPLICATION_COMPONENTS.has(meta.sdkComponent) && SEVERITY[level] < SEVERITY[this.sdkLevel]) return;
    // The SDK logs every activity's start and end at DEBUG: skipped before its fields are copied for nothing.
    if (!this.logger.isLevelEnabled(PINO_LEVEL[level])) return;
    // An activity's task token completes the activity for whoever holds it: never written. The tracing
    // interceptors' trace_id/span_id repeat the traceId/spanId every line has; the run id has one name.
    const { error, taskToken: _taskToken, trace_id: _traceId, span_id: _spanId, trace_flags: _traceFlags, workflowRunId, ...fields } = meta;
    const reportId = reportIdOfWorkflowId(fields.workflowId);
    this.logger[PINO_LEVEL[level]](
      {
        ...fields,
        ...(workflowRunId !== undefined && fields.runId === undefined && { runId: workflowRunId }),
        ...(reportId !== undefined && { reportId }),
        ...(error !== undefined && { err: error }),
      },
      message,
    );
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** TEMPORAL_LOG_LEVEL for the SDK's own messages (default WARN). */
export function temporalSdkLogLevel(env: NodeJS.ProcessEnv): LogLevel {
  const level = env.TEMPORAL_LOG_LEVEL?.trim().toUpperCase();
  return level && level in SEVERITY ? (level as LogLevel) : 'WARN';
}
