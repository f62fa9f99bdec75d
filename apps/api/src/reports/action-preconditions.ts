// What an action's headers ask of it: the case version it was decided on (If-Match) and its Idempotency-Key;
// and the case version on every answer that carries the case (ETag), so that the next action can name it.

import { CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import type { HttpRequest as Request, HttpResponse as Response } from '../common/http';
import { IF_MATCH_HEADER, versionFromIfMatch, versionTag } from '../common/version-tag';
import { idempotencyKeyOf } from './dto/idempotency-key';
import type { ActionOptions } from './reports.service';

/** The action's If-Match version and Idempotency-Key; a malformed header is a 400. */
export const ActionPreconditions = createParamDecorator((_data: unknown, context: ExecutionContext): ActionOptions => {
  const request = context.switchToHttp().getRequest<Request>();
  const expectedVersion = versionFromIfMatch(request.headers[IF_MATCH_HEADER.toLowerCase()]);
  const idempotencyKey = idempotencyKeyOf(request);
  return { ...(expectedVersion !== undefined && { expectedVersion }), ...(idempotencyKey !== undefined && { idempotencyKey }) };
});

/** Sets `ETag: "<version>"` from the case the route answers. */
@Injectable()
export class CaseVersionETag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version === 'number' && !response.headersSent) response.setHeader('ETag', versionTag(version));
        return body;
      }),
    );
  }
}
