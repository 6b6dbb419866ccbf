import type { ApiErrorBody } from '@encore/api-contract';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { REQUEST_ID_HEADER } from './request-id';

/** What Node's HTTP parser reports (llhttp error codes), in words a client can act on. */
const PARSER_PROBLEMS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'request headers are larger than the server accepts',
  HPE_INVALID_CONTENT_LENGTH: 'invalid Content-Length header',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length together with Transfer-Encoding',
  HPE_INVALID_TRANSFER_ENCODING: 'invalid Transfer-Encoding header',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunk size in a chunked body',
  HPE_INVALID_METHOD: 'unknown HTTP method',
  HPE_INVALID_URL: 'invalid request target',
  HPE_INVALID_HEADER_TOKEN: 'invalid character in a header',
  HPE_INVALID_VERSION: 'invalid HTTP version',
  HPE_LF_EXPECTED: 'malformed line ending',
  ERR_HTTP_REQUEST_TIMEOUT: 'the request took too long to arrive',
};

/**
 * Answers requests that Node's HTTP parser refuses before Express sees them (headers over the size limit, a bad
 * Content-Length or request line) in the API's one error shape. Node's own answer is a bare status line with no
 * body; this listener replaces it, so it must also close the connection as Node would.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A response already under way on this connection (or a peer that is gone) cannot take another one.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  const statusCode = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const requestId = randomUUID();
  const body: ApiErrorBody = {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message: PARSER_PROBLEMS[error.code ?? ''] ?? 'malformed HTTP request',
    details: [],
    requestId,
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${statusCode} ${body.error}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(json)}\r\n` +
      `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      json,
  );
}
