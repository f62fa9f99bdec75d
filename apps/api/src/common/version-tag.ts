// A case's version as an HTTP entity tag: strong (`"7"`), so that If-Match may name it; parsed back from If-Match.

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { HttpRequest as Request } from './http';
import { RequestValidationError } from './api-error';

export const IF_MATCH_HEADER = 'If-Match';

export function versionTag(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header names: undefined without the header or for `*` (any current version). Only a
 * strong tag of a version counts (RFC 9110 compares If-Match strongly); anything else is a 400.
 */
export function versionFromIfMatch(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === '*') return undefined;
  const match = text === undefined ? null : /^"(0|[1-9][0-9]{0,8})"$/.exec(text);
  if (!match) {
    throw new RequestValidationError([
      { field: IF_MATCH_HEADER, problems: [`${IF_MATCH_HEADER} must be one strong entity tag of the case's version as GET gives it in ETag (for example "7"), or *`] },
    ]);
  }
  return Number(match[1]);
}

/** The case version the caller's `If-Match` names, if any. */
export const IfMatchVersion = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined =>
  versionFromIfMatch(context.switchToHttp().getRequest<Request>().headers[IF_MATCH_HEADER.toLowerCase()]),
);
