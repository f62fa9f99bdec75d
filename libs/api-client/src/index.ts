// A typed client of the back-office API: openapi-fetch over the types that openapi-typescript generates from the
// API's OpenAPI document (schema.d.ts, written by `npm run contracts:client`). A route or a body the API does not
// have, or a field it does not answer, is a compile error in the caller.

import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** The API's schemas by name: `ApiSchemas['ReportDetailDto']`. */
export type ApiSchemas = components['schemas'];
export type ReportDetail = ApiSchemas['ReportDetailDto'];
export type ReportSummary = ApiSchemas['ReportSummaryDto'];
export type ApiError = ApiSchemas['ApiErrorDto'];

export type ApiClient = Client<paths>;

export interface ApiClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** Where the API is, without the `/api` prefix (the paths carry it): `http://localhost:3000`. */
  baseUrl: string;
  /** A bearer token: a static token (AUTH_TOKENS) or an OIDC access token. */
  token?: string;
}

export function createApiClient({ baseUrl, token, ...options }: ApiClientOptions): ApiClient {
  return createClient<paths>({ ...options, baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}
