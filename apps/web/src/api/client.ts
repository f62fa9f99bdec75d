// The one API client of the app: the typed @engine/api-client (generated from the OpenAPI document) on the
// same origin, with the session's bearer token. Every call goes through `call`, which turns the API's error body
// into an ApiRequestError, and a 401 anywhere into a signed-out session (see auth/session.tsx).

import { createApiClient, type ApiClient, type ApiError } from '@engine/api-client';

export type { ApiSchemas, ReportDetail, ReportSummary, ApiError } from '@engine/api-client';

/** An answer other than 2xx, carrying the API's error body: its message is what the user reads. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
    this.name = 'ApiRequestError';
  }

  /** The domain's reason code of a refused step (409), if any. */
  get code(): string | undefined {
    const details = this.body.details;
    return details && !Array.isArray(details) && typeof details.code === 'string' ? details.code : undefined;
  }

  /** Each field's problems for a 400: `{ 'contentLocations.0.url': ['url must be a URL'] }`. */
  get fieldProblems(): Record<string, string[]> {
    const details = this.body.details;
    if (!Array.isArray(details)) return {};
    return Object.fromEntries(details.map((problem) => [problem.field, problem.problems]));
  }
}

let currentToken: string | undefined;
let onUnauthorized: (message: string) => void = () => undefined;

/** Called by the session: the token to send, and what to do when the API says it is not (or no longer) valid. */
export function configureApi(token: string | undefined, unauthorized: (message: string) => void): void {
  currentToken = token;
  onUnauthorized = unauthorized;
}

/** A client for one call with the session's token (cheap: openapi-fetch holds no connection). */
export function api(token = currentToken): ApiClient {
  return createApiClient({ baseUrl: window.location.origin, token });
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and gives its data, or throws ApiRequestError with the API's error body.
 * `call(api().GET('/api/reports/{id}', { params: { path: { id } } }))`
 */
export async function call<T>(request: Promise<FetchResult<T>>, options: { signOutOn401?: boolean } = {}): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch (cause) {
    // The network failed (API down, offline): the user still reads a sentence, not a TypeError.
    throw new ApiRequestError(0, {
      statusCode: 0,
      error: 'Network error',
      message: cause instanceof Error ? `The API cannot be reached: ${cause.message}` : 'The API cannot be reached.',
    });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = toErrorBody(error, response);
  if (response.status === 401 && options.signOutOn401 !== false) onUnauthorized(body.message);
  throw new ApiRequestError(response.status, body);
}

function toErrorBody(error: unknown, response: Response): ApiError {
  if (error && typeof error === 'object' && typeof (error as ApiError).message === 'string') return error as ApiError;
  return {
    statusCode: response.status,
    error: response.statusText || 'Error',
    message: typeof error === 'string' && error ? error : `The API answered ${response.status} ${response.statusText}.`,
  };
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https, localhost); elsewhere the key
 * comes from getRandomValues, which every browser has.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The message to show for anything thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
