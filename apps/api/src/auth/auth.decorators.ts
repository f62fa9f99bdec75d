// How controllers declare who may call them, and how they receive the caller.

import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponses, RATE_LIMITED } from '../common/dto/api-error.dto';
import type { Actor } from '../reports/reports.service';
import type { Role } from './roles';

export const PUBLIC_KEY = 'auth:public';
export const REQUIRED_ROLE_KEY = 'auth:role';
export const BEARER_SCHEME = 'bearer';

/** Open to anyone: health, metrics. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Needs a bearer token granting at least `role` (admin ⊃ staff ⊃ viewer). */
export function Authenticated(role: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE_KEY, role),
    ApiBearerAuth(BEARER_SCHEME),
    ApiErrorResponses({ 401: 'No bearer token, or one that is not valid.', 403: `The token's role is below ${role}.`, 429: RATE_LIMITED }),
  );
}

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The signed-in user, as the guard established it. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  // The guard runs first on every route that is not public; a route that is both public and asks for the
  // actor is a programming error.
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
