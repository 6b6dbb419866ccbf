import serverlessExpress from '@codegenie/serverless-express';
import type { INestApplication } from '@nestjs/common';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, Handler } from 'aws-lambda';
import type { RequestListener } from 'node:http';
import { createApp } from './app/create-app';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Serves the API to API Gateway HTTP API (payload 2.0) events through the same Nest app `main.ts` listens with.
 *
 * The app (config, catalog, interaction store, model) is built by the first invocation a container receives and
 * reused by every later one, so only a cold start pays for loading the catalog and the active model. Concurrent
 * first invocations share the one build. A build that fails is forgotten, so the next invocation tries again (a
 * store that was briefly unreachable must not leave the container broken until Lambda recycles it).
 */
export function createLambdaHandler(build: () => Promise<INestApplication>): LambdaHandler {
  let proxy: Promise<Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>> | undefined;
  return async (event, context) => {
    proxy ??= build().then(
      (app) => serverlessExpress({ app: app.getHttpAdapter().getInstance() as RequestListener }),
      (error: unknown) => {
        proxy = undefined;
        throw error;
      },
    );
    const serve = await proxy;
    // Promise resolution mode (the library's default): the callback is never called.
    return (await serve(event, context, () => undefined)) as APIGatewayProxyStructuredResultV2;
  };
}

/** The Lambda entry point (`dist/apps/api/lambda.handler`); the sample catalog is found from the bundle's directory. */
export const handler = createLambdaHandler(() => createApp({ searchFrom: [__dirname] }));
