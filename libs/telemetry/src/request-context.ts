// The request being served, for code that runs on its behalf without being handed it: the API passes its id to
// the workflow as the action's correlation id, so the events it causes (and every log line about them in the
// worker, the relay and the projector) name the request.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { requestIdOf } from './nest-logging';

const requests = new AsyncLocalStorage<{ requestId: string }>();

/** The id of the HTTP request this code serves (see requestIdOf); undefined outside a request. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

/** Runs `fn` as part of the request `requestId` (tests, and callers outside Nest's pipeline). */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return requests.run({ requestId }, fn);
}

/**
 * Gives each request its id (the request log's, whichever of the two middlewares runs first) and runs the rest of
 * its handling as part of it. A Nest middleware, so that it runs after the body parser, whose stream events would
 * otherwise leave the context behind.
 */
@Module({})
export class RequestContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((request: IncomingMessage & { id?: unknown }, response: ServerResponse, next: () => void) => {
        request.id ??= requestIdOf(request, response);
        runInRequest(String(request.id), next);
      })
      .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
