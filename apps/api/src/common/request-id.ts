import { Injectable, type NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Incoming ids are echoed only when short and plain, so logs and headers cannot be injected into. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export type RequestWithId = IncomingMessage & { requestId?: string };

/** The request's id: the one the middleware assigned, else a sane incoming header, else a new one. */
export function requestIdOf(req: RequestWithId): string {
  if (req.requestId) return req.requestId;
  const incoming = req.headers[REQUEST_ID_HEADER];
  req.requestId = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  return req.requestId;
}

/** Gives every request an id (honouring a sane incoming x-request-id) and echoes it in the response. */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware<RequestWithId, ServerResponse> {
  use(req: RequestWithId, res: ServerResponse, next: () => void): void {
    res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
    next();
  }
}
