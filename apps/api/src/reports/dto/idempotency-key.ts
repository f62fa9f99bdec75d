import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { HttpRequest as Request } from '../../common/http';
import { RequestValidationError } from '../../common/api-error';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, when sent; a malformed one is a 400 like any invalid field. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  idempotencyKeyOf(context.switchToHttp().getRequest<Request>()),
);

export function idempotencyKeyOf(request: Request): string | undefined {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new RequestValidationError([
      { field: IDEMPOTENCY_KEY_HEADER, problems: [`${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters, sent once`] },
    ]);
  }
  return value;
}
