// Nest's logger and the HTTP request log through the process's pino logger (nestjs-pino). The API and the worker
// take the same parameters: nestjs-pino keeps one middleware per process, and `npm start` runs both in one.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerService, RequestMethod } from '@nestjs/common';
import { Logger, Params, PinoLogger } from 'nestjs-pino';
import { rootLogger } from './logging';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** What a caller's request id may look like to be kept (a UUID, a ULID, a trace-style id); else one is made. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fields about the case a request concerns (report id, actor), added by the app once known. */
const LOG_FIELDS = Symbol.for('engine.requestLogFields');
type WithLogFields = { [LOG_FIELDS]?: Record<string, string> };

export function addRequestLogFields(request: object, fields: Record<string, string | undefined>): void {
  const target = request as WithLogFields;
  const defined = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  target[LOG_FIELDS] = { ...target[LOG_FIELDS], ...defined };
}

export function requestLogFields(request: object): Record<string, string> {
  return (request as WithLogFields)[LOG_FIELDS] ?? {};
}

/** The caller's X-Request-Id when well-formed, otherwise a new UUID; echoed in the response either way. */
export function requestIdOf(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The path without the query string (a search query may quote report text). */
function pathOf(request: IncomingMessage & { originalUrl?: string }): string {
  return (request.originalUrl ?? request.url ?? '').split('?')[0];
}

let params: Params | undefined;

/** For `LoggerModule.forRoot(...)` (the request log and request-scoped lines); see also `nestLogger()`. */
export function nestLoggerParams(): Params {
  params ??= {
    // Every route, written as Express 5's router wants it (nestjs-pino 4's default `*` makes Nest warn).
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger: rootLogger(),
      genReqId: requestIdOf,
      // Lines written while serving a request carry `requestId` (and what the app adds), not the whole request.
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      customProps: (request) => requestLogFields(request),
      serializers: { res: (response: ServerResponse) => ({ statusCode: response.statusCode }) },
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: (request, response, ms) => `${request.method} ${pathOf(request)} ${response.statusCode} in ${ms} ms`,
      customErrorMessage: (request, response) => `${request.method} ${pathOf(request)} ${response.statusCode}`,
      // Probes and scrapes every few seconds would drown the actions.
      autoLogging: { ignore: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? '') },
    },
  };
  return params;
}

/**
 * Nest's own logger on the process's logger, for `NestFactory.create*(module, { logger: nestLogger() })`: given
 * at creation, so that nothing is buffered while the application starts (its lifecycle hooks run inside
 * `create*`: a start that hangs or fails still shows what it did).
 */
export function nestLogger(): LoggerService {
  const params = nestLoggerParams();
  return new Logger(new PinoLogger(params), params);
}
