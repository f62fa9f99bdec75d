// Adds who acts and on which case to the log lines of a request (and its closing line): the actor and role the
// guard established (never the token) and the report id of the route or of the filing. Runs after the guards.

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Observable } from 'rxjs';
import { addRequestLogFields } from '@engine/telemetry';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { REPORT_ID_PATTERN } from '../common/validation';

interface RoutedRequest extends AuthenticatedRequest {
  method: string;
  params?: Record<string, unknown>;
  body?: unknown;
  route?: { path?: unknown };
}

/** The case a request concerns: `/reports/:id/...`, or the body of a filing; only a well-formed id is logged. */
export function reportIdOfRequest(request: RoutedRequest): string | undefined {
  const routePath = typeof request.route?.path === 'string' ? request.route.path : '';
  if (!/(^|\/)reports(\/|$)/.test(routePath)) return undefined;
  const candidate = routePath.includes(':id') ? request.params?.id : request.method === 'POST' ? (request.body as { reportId?: unknown } | undefined)?.reportId : undefined;
  return typeof candidate === 'string' && REPORT_ID_PATTERN.test(candidate) ? candidate : undefined;
}

@Injectable()
export class RequestLogContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: PinoLogger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RoutedRequest>();
    const fields = { reportId: reportIdOfRequest(request), actor: request.actor?.username, role: request.actor?.role };
    addRequestLogFields(request, fields); // the line that closes the request
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length > 0) this.logger.assign(defined); // the lines written while serving it
    return next.handle();
  }
}
