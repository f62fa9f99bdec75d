// Writes every error as the API's one error body (see api-error.ts).

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { HttpResponse as Response } from './http';
import { describeError } from './api-error';
import { versionTag } from './version-tag';

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = describeError(exception);
    if (response.headersSent) return;
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    // A refused If-Match: the case's current version, as GET would give it.
    const currentVersion = (body.details as { currentVersion?: unknown } | undefined)?.currentVersion;
    if (body.statusCode === 412 && typeof currentVersion === 'number') response.setHeader('ETag', versionTag(currentVersion));
    response.status(body.statusCode).json(body);
  }
}
