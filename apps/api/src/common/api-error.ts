// The one error body the API answers with, and how every error the layer can meet maps onto it.

import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { IllegalStepError } from '@engine/domain';
import { DossierConflictError, UnknownPlatformError } from '../platforms/platforms.service';
import { InvalidPolicyError, PolicyChangedConcurrentlyError, PolicyRolloutNotFoundError } from '../policies/policies.service';
import { EngineUnavailableError, IdempotencyKeyReusedError, ReportNotFoundError, StaleVersionError, UnstorableInputError } from '../reports/reports.service';

export interface FieldProblems {
  /** Dotted path into the request: `actions.deletionRequest`, `contentLocations.0.url`, `id` (a path parameter). */
  field: string;
  problems: string[];
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field problems for 400; `{ code }` (the domain's reason code) for 409; the checks' results for a 503 of /health. */
  details?: FieldProblems[] | { code: string } | Record<string, unknown>;
}

/** A request that fails validation, with every field's problems. */
export class RequestValidationError extends HttpException {
  constructor(readonly fields: FieldProblems[]) {
    super(
      {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: `The request is invalid: ${fields.map((f) => f.field).join(', ')}.`,
        details: fields,
      } satisfies ApiErrorBody,
      HttpStatus.BAD_REQUEST,
    );
  }
}

const logger = new Logger('ApiErrors');

function isIllegalStep(error: unknown): error is IllegalStepError {
  // By name as well as by class: a refusal may cross a module boundary (or a Temporal failure) as a copy.
  return (
    error instanceof IllegalStepError ||
    (error instanceof Error && error.name === 'IllegalStepError' && typeof (error as { code?: unknown }).code === 'string')
  );
}

function reasonPhrase(status: number): string {
  const phrase = (HttpStatus as unknown as Record<number, string>)[status];
  if (!phrase) return 'Error';
  return phrase
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

function fromHttpException(exception: HttpException): ApiErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null) {
    const body = response as Partial<ApiErrorBody> & { message?: unknown };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    const result: ApiErrorBody = {
      statusCode: status,
      error: typeof body.error === 'string' ? body.error : reasonPhrase(status),
      message: typeof message === 'string' ? message : exception.message,
    };
    if (body.details !== undefined) result.details = body.details;
    return result;
  }
  return { statusCode: status, error: reasonPhrase(status), message: typeof response === 'string' ? response : exception.message };
}

/**
 * Errors of the `http-errors` kind that Express's body parser raises before any Nest code runs (body too
 * large, unsupported charset): their 4xx status and message are meant for the client.
 */
function httpClientError(error: unknown): ApiErrorBody | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, message, expose } = error as { statusCode?: unknown; message?: unknown; expose?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499 || expose === false) return undefined;
  return { statusCode, error: reasonPhrase(statusCode), message: typeof message === 'string' ? message : reasonPhrase(statusCode) };
}

/** The API's error body for an error it knows; undefined for an unknown one (a 500). Logs nothing. */
export function classifyError(error: unknown): ApiErrorBody | undefined {
  if (error instanceof HttpException) return fromHttpException(error);
  if (isIllegalStep(error)) {
    // The domain's own input checks back the DTOs: what they catch is a bad request, not a conflict with state.
    if (error.code === 'invalid-input' || error.code === 'invalid-policy') {
      return { statusCode: 400, error: 'Bad Request', message: error.message, details: { code: error.code } };
    }
    return { statusCode: 409, error: 'Conflict', message: error.message, details: { code: error.code } };
  }
  if (error instanceof ReportNotFoundError) return { statusCode: 404, error: 'Not Found', message: error.message };
  if (error instanceof StaleVersionError) {
    return { statusCode: 412, error: 'Precondition Failed', message: error.message, details: { code: 'version-mismatch', currentVersion: error.currentVersion } };
  }
  if (error instanceof PolicyRolloutNotFoundError) return { statusCode: 404, error: 'Not Found', message: error.message };
  if (error instanceof PolicyChangedConcurrentlyError) return { statusCode: 409, error: 'Conflict', message: error.message, details: { code: error.code } };
  if (error instanceof UnknownPlatformError) {
    const statusCode = error.statusCode;
    return { statusCode, error: reasonPhrase(statusCode), message: error.message, details: { code: error.code } };
  }
  if (error instanceof DossierConflictError) return { statusCode: 409, error: 'Conflict', message: error.message, details: { code: error.code } };
  if (error instanceof EngineUnavailableError) return { statusCode: 503, error: 'Service Unavailable', message: error.message };
  if (error instanceof InvalidPolicyError) {
    return {
      statusCode: 400,
      error: 'Bad Request',
      message: error.message,
      details: [{ field: 'rules', problems: error.problems }],
    };
  }
  if (error instanceof UnstorableInputError) return { statusCode: 422, error: 'Unprocessable Entity', message: error.message };
  if (error instanceof IdempotencyKeyReusedError) {
    return {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: error.message || 'This Idempotency-Key was already used with a different request.',
    };
  }
  return httpClientError(error);
}

/**
 * Maps anything thrown while serving a request to the API's error body. Unknown errors become a 500 whose
 * message says nothing about internals; they are logged here instead.
 */
export function describeError(error: unknown): ApiErrorBody {
  const known = classifyError(error);
  if (known) return known;
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { statusCode: 500, error: 'Internal Server Error', message: 'The request could not be completed; the error was logged.' };
}
