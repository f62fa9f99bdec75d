// The API's error body (ApiErrorBody in ../api-error.ts) as a documented schema, and the decorator that
// declares a route's error answers with it, so that every documented 4xx/5xx carries the same schema.

import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ApiErrorBody, FieldProblems } from '../api-error';

export class FieldProblemsDto implements FieldProblems {
  @ApiProperty({ description: 'Dotted path into the request: `actions.deletionRequest`, `contentLocations.0.url`, `id` (a path parameter).', example: 'reason' })
  field!: string;

  @ApiProperty({ type: [String], example: ['reason must not be empty'] })
  problems!: string[];
}

export class DomainRefusalDto {
  @ApiProperty({ description: "The domain's reason code, stable for programs to test.", example: 'not-allowed-in-status' })
  code!: string;
}

export class ApiErrorDto implements ApiErrorBody {
  @ApiProperty({ example: 409 })
  statusCode!: number;

  @ApiProperty({ description: "The status's reason phrase.", example: 'Conflict' })
  error!: string;

  @ApiProperty({ description: 'What went wrong, in words a back-office user understands.', example: 'The case is closed: reopen it first.' })
  message!: string;

  @ApiProperty({
    required: false,
    description: "400: each field's problems; 409 (and a 400 the domain refused): the reason code; 503 of /health: each check's result.",
    anyOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldProblemsDto) } },
      { $ref: getSchemaPath(DomainRefusalDto) },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldProblemsDto[] | DomainRefusalDto | Record<string, unknown>;
}

/** Error statuses a route can answer, each with what it means there; all answer the ApiErrorDto body. */
export type ErrorResponses = Partial<Record<400 | 401 | 403 | 404 | 409 | 412 | 413 | 422 | 429 | 500 | 503, string>>;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until the client has budget again.', schema: { type: 'integer' } } };
const CURRENT_ETAG = { ETag: { description: 'The version the case is at now, as a strong entity tag ("9").', schema: { type: 'string' } } };
/** Headers an error answer carries besides the body. */
const ERROR_HEADERS: Partial<Record<string, typeof RETRY_AFTER | typeof CURRENT_ETAG>> = { '412': CURRENT_ETAG, '429': RETRY_AFTER };

/** The answer of the rate limit, in front of every route but /health and /metrics. */
export const RATE_LIMITED = "Too many reads or writes from this token (or address) in the last minute; Retry-After says when to try again.";

/** Documents a route's error answers, each with the API's error body. */
export function ApiErrorResponses(responses: ErrorResponses): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ApiErrorDto, FieldProblemsDto, DomainRefusalDto),
    ...Object.entries(responses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: ApiErrorDto, ...(ERROR_HEADERS[status] && { headers: ERROR_HEADERS[status] }) }),
    ),
  );
}
