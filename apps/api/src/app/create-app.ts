import type { INestApplication, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { ApiExceptionFilter } from '../common/api-exception.filter';
import { answerClientError } from '../common/client-error';
import { createValidationPipe } from '../common/validation';
import {
  corsOrigins,
  enabledLogLevels,
  type Environment,
  validateEnvironment,
  withOverrides,
} from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { CachedResponseShortcut } from '../recommendations/cached-response-shortcut';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AppModule, type AppModuleOptions } from './app.module';

export const DOCS_PATH = 'docs';
/** Largest JSON body accepted (a full feedback batch is ~15 kB); larger ones get a 413 in the error shape. */
export const JSON_BODY_LIMIT_BYTES = 100 * 1024;

export interface CreateAppOptions extends AppModuleOptions {
  /** Log levels before LOG_LEVEL applies, or false for silence (tests). Default: buffer until configured. */
  logger?: LogLevel[] | false;
}

/**
 * Builds the whole API (config, catalog, routes, docs, dashboard) without listening, so
 * tests drive exactly what `main.ts` serves. Rejects with a ConfigurationError on bad env.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<INestApplication> {
  // Fail before Nest starts so a bad variable is reported once, without a framework stack trace.
  validateEnvironment(withOverrides(options), options);
  const app = await NestFactory.create(AppModule.forRoot(options), {
    abortOnError: false,
    bufferLogs: options.logger === undefined,
    ...(options.logger !== undefined && { logger: options.logger }),
  });
  configureApp(app, { applyLogLevel: options.logger === undefined });
  await app.init();
  return app;
}

/** Everything about the app that is not a module: logger, pipes, filter, CORS, OpenAPI. Shared with Test.createTestingModule users. */
export function configureApp(app: INestApplication, { applyLogLevel = true } = {}): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  if (applyLogLevel) app.useLogger(enabledLogLevels(config.get('LOG_LEVEL', { infer: true })));
  app.enableShutdownHooks();
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Requests Node's HTTP parser refuses never reach Express: answer those in the error shape too.
  const server = app.getHttpServer() as Server | undefined;
  server?.on('clientError', answerClientError);
  // Repeat GETs of cached recommendation URLs are answered before Express (see CachedResponseShortcut).
  if (server) app.get(CachedResponseShortcut).install(server);
  // Before init, so Nest does not add its default JSON parser (the urlencoded one stays).
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT_BYTES });
  // helmet's defaults, minus upgrade-insecure-requests: the API and dashboard are often served over plain HTTP
  // (localhost, a LAN address, behind a TLS-terminating proxy), where upgrading every asset request to https breaks the page.
  app.use(constantHeaders(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })));
  app.useGlobalPipes(createValidationPipe());
  const metrics = app.get(MetricsService);
  app.useGlobalFilters(new ApiExceptionFilter((exception) => metrics.observeException(exception)));
  const cors = corsOrigins(config.get('CORS_ORIGIN', { infer: true }));
  if (cors) app.enableCors({ origin: cors, exposedHeaders: ['x-request-id', 'retry-after'] });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Encore API')
      .setDescription('Song catalog search and music recommendations. Every error has the ApiErrorBody shape.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json` });
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Runs a middleware that only sets constant headers (helmet with static directives) once, and replays what it set in
 * one loop per request instead of its chain of eleven middlewares. Refuses a middleware that does anything else.
 */
export function constantHeaders(middleware: Middleware): Middleware {
  const headers = new Map<string, string | number | readonly string[]>();
  const removed: string[] = [];
  let finished = false;
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, value),
    removeHeader: (name: string) => removed.push(name),
  };
  middleware(
    { headers: {}, method: 'GET', url: '/' } as IncomingMessage,
    recorder as unknown as ServerResponse,
    (e) => {
      if (e !== undefined) throw e;
      finished = true;
    },
  );
  if (!finished) throw new Error('constantHeaders: the middleware did not finish synchronously');
  const entries = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
