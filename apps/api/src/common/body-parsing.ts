// The JSON body parser with the configured size limit, and the API's error body for what it refuses. Express's
// body parser fails before any Nest code runs, so Nest's exception filter never sees those errors: without this
// handler a client would get Express's HTML error page.

import type { ApiErrorBody } from './api-error';
import { describeError } from './api-error';
import type { HttpRequest, HttpResponse } from './http';

/** `262144` → `256 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The body parser's errors (http-errors with a `type`), in the API's words; undefined for anything else. */
export function describeBodyError(error: unknown, limitBytes: number): ApiErrorBody | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, message } = error as { type?: unknown; message?: unknown };
  switch (type) {
    case 'entity.too.large':
      return {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `The request body is larger than the limit of ${formatBytes(limitBytes)} (BODY_LIMIT).`,
      };
    case 'entity.parse.failed':
      return {
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body is not valid JSON.',
        details: [{ field: 'body', problems: [typeof message === 'string' ? message : 'not valid JSON'] }],
      };
    default:
      return undefined;
  }
}

/** An Express error middleware (four parameters), registered right after the body parsers. */
export function bodyErrorHandler(
  limitBytes: number,
): (error: unknown, request: HttpRequest, response: HttpResponse, next: (error?: unknown) => void) => void {
  return (error, _request, response, next) => {
    if (response.headersSent) return next(error);
    // Other errors of the parser (unsupported charset or encoding, aborted request) carry a 4xx for the client.
    const body = describeBodyError(error, limitBytes) ?? describeError(error);
    response.status(body.statusCode).json(body);
  };
}
