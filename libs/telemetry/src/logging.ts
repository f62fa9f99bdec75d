// The engine's log: one JSON object per line on stdout (level, time, msg and the fields of the case at hand), or
// human-readable lines in a terminal. Every part of a process (Nest, HTTP requests, Temporal) writes to one logger.

import { trace } from '@opentelemetry/api';
import pino, { DestinationStream, Level, Logger } from 'pino';
import pretty from 'pino-pretty';
import { InvalidConfigurationError } from '@engine/config';
import { reportWorkflowId } from '@engine/contracts';

export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface LoggingOptions {
  level: Level | 'silent';
  format: 'json' | 'pretty';
}

/** LOG_LEVEL (default info) and LOG_FORMAT (json, or pretty; default pretty when stdout is a terminal). */
export function readLoggingOptions(env: NodeJS.ProcessEnv, stdoutIsTerminal = Boolean(process.stdout.isTTY)): LoggingOptions {
  const problems: string[] = [];
  const level = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LoggingOptions['level'];
  if (level !== 'silent' && !LOG_LEVELS.includes(level)) problems.push(`LOG_LEVEL "${env.LOG_LEVEL}" must be one of ${[...LOG_LEVELS, 'silent'].join(', ')}`);
  const format = (env.LOG_FORMAT?.trim().toLowerCase() || (stdoutIsTerminal ? 'pretty' : 'json')) as LoggingOptions['format'];
  if (format !== 'json' && format !== 'pretty') problems.push(`LOG_FORMAT "${env.LOG_FORMAT}" must be json or pretty`);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return { level, format };
}

/**
 * Never written, wherever they appear in a logged object: credentials in headers and in objects that carry them.
 * Report free text (excerpt, notes, reporter reference) is kept out by never logging bodies or events' data.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  'apiKey',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.authorization',
];

/** One line per entry for a person: time, level, `Context: message`, then the entry's fields. */
function prettyLines(): DestinationStream {
  return pretty({
    colorize: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    messageFormat: '{if context}{context}: {end}{msg}',
    // What the message already says (status and time of a request) or a terminal does not need.
    ignore: 'pid,hostname,context,res,responseTime',
  });
}

export function createLogger(options: LoggingOptions, destination?: DestinationStream): Logger {
  const stream = destination ?? (options.format === 'pretty' ? prettyLines() : pino.destination({ dest: 1, sync: true }));
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The trace a line belongs to, when tracing is on: from a log line to its trace and back.
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
      },
    },
    stream,
  );
}

let root: Logger | undefined;

/** The process's logger, made from LOG_LEVEL and LOG_FORMAT on first use. */
export function rootLogger(): Logger {
  root ??= createLogger(readLoggingOptions(process.env));
  return root;
}

/** Replaces the process's logger; call before any app is created (tests capture the log this way). */
export function useRootLogger(logger: Logger): void {
  root = logger;
}

/** Whether the log goes to a terminal as readable lines (a human reads stdout) rather than JSON to a collector. */
export function logIsForHumans(env: NodeJS.ProcessEnv = process.env): boolean {
  return readLoggingOptions(env).format === 'pretty';
}

/** `report-<id>` (the report workflow's id) → `<id>`; the dossier workflows and anything else have none. */
export function reportIdOfWorkflowId(workflowId: unknown): string | undefined {
  const prefix = reportWorkflowId('');
  return typeof workflowId === 'string' && workflowId.startsWith(prefix) ? workflowId.slice(prefix.length) : undefined;
}
