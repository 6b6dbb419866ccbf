import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ApiErrorBody, FieldError } from '@encore/api-contract';
import { InvalidInteractionInputError, StoreUnavailableError } from '@encore/interaction-store';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf, type RequestWithId } from './request-id';
import { RequestValidationException } from './validation';

/** Sees every failure before it is rendered (metrics count store outages this way). */
export type ExceptionObserver = (exception: unknown) => void;

/**
 * Renders every failure as ApiErrorBody. HttpExceptions keep their status and message; a store outage is a 503
 * with Retry-After; client errors raised below Nest (body parser: body too large) keep their status; anything else is a 500 whose details stay in the server log, never in the response.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(private readonly observer?: ExceptionObserver) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<RequestWithId & { method?: string; originalUrl?: string }>();
    const res = http.getResponse<ServerResponse>();
    const requestId = requestIdOf(req);
    this.observer?.(exception);
    const body = this.toBody(exception, requestId);
    if (exception instanceof StoreUnavailableError) {
      this.logger.warn(`${req.method} ${req.originalUrl ?? req.url} [${requestId}]: ${exception.message}`);
      if (!res.headersSent) res.setHeader('retry-after', String(exception.retryAfterSeconds));
    } else if (body.statusCode >= 500) {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${req.method} ${req.originalUrl ?? req.url} failed [${requestId}]`, stack);
    }
    if (res.headersSent) return;
    // Failures raised before the request-id middleware ran (body parser) still echo the id they report.
    if (!res.hasHeader(REQUEST_ID_HEADER)) res.setHeader(REQUEST_ID_HEADER, requestId);
    res.statusCode = body.statusCode;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }

  private toBody(exception: unknown, requestId: string): ApiErrorBody {
    if (exception instanceof StoreUnavailableError) {
      const statusCode = HttpStatus.SERVICE_UNAVAILABLE;
      const message = 'storage is temporarily unavailable; retry later';
      return { statusCode, error: errorName(statusCode), message, details: [], requestId };
    }
    if (exception instanceof InvalidInteractionInputError) {
      const statusCode = HttpStatus.BAD_REQUEST;
      return { statusCode, error: errorName(statusCode), message: exception.message, details: [], requestId };
    }
    const clientError = exposedClientError(exception);
    if (clientError) return { ...clientError, error: errorName(clientError.statusCode), details: [], requestId };
    if (!(exception instanceof HttpException)) {
      const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
      return { statusCode, error: errorName(statusCode), message: 'Internal server error', details: [], requestId };
    }
    const statusCode = exception.getStatus();
    const details: FieldError[] = exception instanceof RequestValidationException ? exception.details : [];
    const message = statusCode >= 500 ? 'Internal server error' : messageOf(exception);
    return { statusCode, error: errorName(statusCode), message, details, requestId };
  }
}

/**
 * Errors from Express middleware (body-parser's http-errors) mark safe-to-show 4xx with `expose`.
 * (Malformed JSON never gets here: Nest turns the parser's SyntaxError into a BadRequestException.)
 */
function exposedClientError(exception: unknown): { statusCode: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null || exception instanceof HttpException) return undefined;
  const { status, expose, type, limit, message } = exception as {
    status?: unknown;
    expose?: unknown;
    type?: unknown;
    limit?: unknown;
    message?: unknown;
  };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (type === 'entity.too.large') {
    return {
      statusCode: status,
      message: `request body is larger than ${typeof limit === 'number' ? `${limit} bytes` : 'allowed'}`,
    };
  }
  return { statusCode: status, message: typeof message === 'string' ? message : 'bad request' };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

function errorName(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}
