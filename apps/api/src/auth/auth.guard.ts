// The global guard: every route needs a bearer token of a sufficient role unless it is marked @Public().

import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest as Request } from '../common/http';
import { AuthenticatedRequest, PUBLIC_KEY, REQUIRED_ROLE_KEY } from './auth.decorators';
import { hasRole, Role } from './roles';
import { InvalidTokenError, NoRoleError, TokenVerifier } from './token-verifier';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    // A route that forgot to declare a role gets the strongest requirement, not the weakest.
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE_KEY, targets) ?? 'admin';

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedException('Authentication required: send Authorization: Bearer <token>.');
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    if (!match) throw new UnauthorizedException('The Authorization header must be "Bearer <token>".');

    try {
      request.actor = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      if (error instanceof NoRoleError) throw new ForbiddenException(error.message);
      throw error;
    }
    if (!hasRole(request.actor, required)) {
      throw new ForbiddenException(`This needs the role ${required}; ${request.actor.username} is ${request.actor.role}.`);
    }
    return true;
  }
}
