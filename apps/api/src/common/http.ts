// The few parts of Express's request and response this layer touches (the project does not depend on
// @types/express; Nest runs on Express 5 underneath).

import type { IncomingHttpHeaders } from 'node:http';

export interface HttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  baseUrl: string;
  /** The path without the query string. */
  path?: string;
  /** The client's address (the socket's, unless Express is told to trust a proxy). */
  ip?: string;
  socket?: { remoteAddress?: string };
  /** The matched route, set by Express once routing found one. */
  route?: { path?: unknown };
}

export interface HttpResponse {
  statusCode: number;
  headersSent: boolean;
  status(code: number): HttpResponse;
  json(body: unknown): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: unknown): HttpResponse;
  setHeader(name: string, value: string): void;
  on(event: 'finish', listener: () => void): void;
}
