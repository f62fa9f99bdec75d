// Writes every error as the API's one error body (see api-error.ts).

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { HttpResponse as Response } from './http';
import { describeError } from './api-error';

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = describeError(exception);
    if (response.headersSent) return;
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(body.statusCode).json(body);
  }
}
