import { type ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { InvalidInteractionInputError, StoreUnavailableError } from '@encore/interaction-store';
import { ApiExceptionFilter, type ExceptionObserver } from './api-exception.filter';
import { RequestValidationException } from './validation';

interface Captured {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

function run(
  exception: unknown,
  headersSent = false,
  observer?: ExceptionObserver,
): Captured & { parsed: Record<string, unknown> } {
  const captured: Captured = { statusCode: 0, headers: {}, body: '' };
  const req = { method: 'GET', originalUrl: '/v1/x', headers: { 'x-request-id': 'req-1' } };
  const res = {
    headersSent,
    set statusCode(code: number) {
      captured.statusCode = code;
    },
    setHeader: (name: string, value: string) => (captured.headers[name] = value),
    hasHeader: (name: string) => name in captured.headers,
    end: (body: string) => (captured.body = body),
  };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  new ApiExceptionFilter(observer).catch(exception, host);
  return { ...captured, parsed: captured.body ? JSON.parse(captured.body) : {} };
}

describe('ApiExceptionFilter', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => (logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)));
  afterEach(() => logged.mockRestore());

  it('renders HttpExceptions with their status, standard error name and message', () => {
    const out = run(new NotFoundException('song x not found'));
    expect(out.statusCode).toBe(404);
    expect(out.headers['content-type']).toMatch(/^application\/json/);
    expect(out.parsed).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'song x not found',
      details: [],
      requestId: 'req-1',
    });
    expect(run(new HttpException('slow down', 429)).parsed).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'slow down',
    });
    expect(run(new BadRequestException(['a is bad', 'b is bad'])).parsed).toMatchObject({
      message: 'a is bad; b is bad',
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('carries field details of validation failures', () => {
    const out = run(new RequestValidationException([{ field: 'limit', message: 'must not be greater than 100' }]));
    expect(out.parsed).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'limit must not be greater than 100',
      details: [{ field: 'limit', message: 'must not be greater than 100' }],
      requestId: 'req-1',
    });
  });

  it('turns unexpected errors into a generic 500 and logs the stack server-side only', () => {
    const out = run(new TypeError('secret internals at /srv/app.js:12'));
    expect(out.statusCode).toBe(500);
    expect(out.parsed).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      details: [],
      requestId: 'req-1',
    });
    expect(out.body).not.toContain('secret');
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('GET /v1/x failed [req-1]'),
      expect.stringContaining('TypeError: secret internals'),
    );
    expect(run('a thrown string').parsed).toMatchObject({ statusCode: 500, message: 'Internal server error' });
  });

  it('hides the message of 5xx HttpExceptions too', () => {
    expect(run(new HttpException('db password wrong', 503)).parsed).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Internal server error',
    });
  });

  it('writes nothing when the response has already started', () => {
    const out = run(new NotFoundException(), true);
    expect(out.statusCode).toBe(0);
    expect(out.body).toBe('');
  });

  it('maps a store outage to 503 with Retry-After, and tells the observer', () => {
    const seen: unknown[] = [];
    const outage = new StoreUnavailableError('SQLite unavailable (SQLITE_BUSY): database is locked', 7);
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const out = run(outage, false, (e) => seen.push(e));
      expect(out.statusCode).toBe(503);
      expect(out.headers['retry-after']).toBe('7');
      expect(out.parsed).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'storage is temporarily unavailable; retry later',
        details: [],
        requestId: 'req-1',
      });
      expect(out.body).not.toContain('SQLITE_BUSY');
      expect(seen).toEqual([outage]);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('maps invalid store input to 400 and exposed body-parser errors to their own 4xx', () => {
    expect(run(new InvalidInteractionInputError('limit must be an integer in 1…1000, got 0')).parsed).toMatchObject({
      statusCode: 400,
      message: 'limit must be an integer in 1…1000, got 0',
    });
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
      limit: 102400,
    });
    expect(run(tooLarge).parsed).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request body is larger than 102400 bytes',
    });
    // Not marked safe to expose: stays a generic 500.
    expect(run(Object.assign(new Error('db down'), { status: 400 })).parsed).toMatchObject({ statusCode: 500 });
  });

  it('sets x-request-id when no middleware did', () => {
    expect(run(new NotFoundException()).headers['x-request-id']).toBe('req-1');
  });
});
