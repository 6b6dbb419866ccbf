import type { INestApplication } from '@nestjs/common';
import type { AccessTokenDto, ApiErrorBody, HealthDto, Page, RecommendationsDto, SongDto } from '@encore/api-contract';
import { DynamoInteractionStore, InteractionStore } from '@encore/interaction-store';
import { DYNALITE_CREDENTIALS, startLocalDynamo, type LocalDynamo } from '@encore/interaction-store/testing';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtPayload } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp } from './testing/test-app';
import { createLambdaHandler, type LambdaHandler } from './lambda';

jest.setTimeout(60_000);

/** An API Gateway HTTP API (payload 2.0) event as recorded, with placeholders replaced. */
function recordedEvent(name: string, replace: Record<string, string> = {}): APIGatewayProxyEventV2 {
  let text = readFileSync(join(__dirname, 'testing/lambda-events', `${name}.json`), 'utf8');
  for (const [placeholder, value] of Object.entries(replace)) text = text.split(placeholder).join(value);
  return JSON.parse(text) as APIGatewayProxyEventV2;
}

const context = { awsRequestId: 'lambda-test', functionName: 'encore-api' } as Context;
const bodyOf = <T>(result: APIGatewayProxyStructuredResultV2): T => JSON.parse(result.body ?? '') as T;

/**
 * The Lambda entry end to end: recorded API Gateway events go through createLambdaHandler into the real app, here
 * with INTERACTION_STORE=dynamodb against dynalite (the serverless deployment's store). Credentials come from the
 * SDK's default chain as in Lambda (environment variables set for this file).
 */
describe('Lambda handler (API Gateway HTTP API events)', () => {
  const fixture = writeFixtureCatalog();
  const savedEnv = { ...process.env };
  let dynamo: LocalDynamo;
  let builds = 0;
  let app: INestApplication | undefined;
  let handler: LambdaHandler;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    process.env['AWS_ACCESS_KEY_ID'] = DYNALITE_CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = DYNALITE_CREDENTIALS.secretAccessKey;
    handler = createLambdaHandler(async () => {
      builds += 1;
      app = await startTestApp({
        env: {
          CATALOG_PATH: fixture.path,
          INTERACTION_STORE: 'dynamodb',
          DYNAMODB_ENDPOINT: dynamo.endpoint,
          DYNAMODB_TABLE_PREFIX: 'lambda-test-',
          AWS_REGION: 'us-east-1',
          ENCORE_ADMIN_USER: 'lambda-admin',
          ENCORE_ADMIN_PASSWORD: 'lambda-password-1',
        },
      });
      return app;
    });
  });

  afterAll(async () => {
    await app?.close();
    await dynamo?.close();
    fixture.remove();
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
  });

  it('builds the app on the cold invocation only; a warm one reuses it', async () => {
    const [cold, concurrent] = await Promise.all([
      handler(recordedEvent('get-health'), context),
      handler(recordedEvent('get-health'), context),
    ]);
    const warm = await handler(recordedEvent('get-health'), context);
    expect(builds).toBe(1);
    for (const result of [cold, concurrent, warm]) {
      expect(result.statusCode).toBe(200);
      expect(result.headers?.['content-type']).toMatch(/^application\/json/);
      expect(result.isBase64Encoded).toBe(false);
    }
    const health = bodyOf<HealthDto>(warm);
    expect(health.status).toBe('ok');
    expect(health.checks['store']).toEqual({ status: 'up', detail: 'dynamodb' });
    expect(app?.get(InteractionStore)).toBeInstanceOf(DynamoInteractionStore);
  });

  it('GET /v1/songs?limit=2 answers a page of two songs', async () => {
    const result = await handler(recordedEvent('get-songs-limit-2'), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-request-id']).toEqual(expect.any(String));
    const page = bodyOf<Page<SongDto>>(result);
    expect(page).toMatchObject({ total: 11, page: 1, limit: 2 });
    expect(page.items).toHaveLength(2);
  });

  it('signs in, then serves recommendations and stores feedback in DynamoDB with the bearer token', async () => {
    const token = await handler(recordedEvent('post-auth-token'), context);
    expect(token.statusCode).toBe(200);
    const { accessToken, tokenType } = bodyOf<AccessTokenDto>(token);
    expect(tokenType).toBe('Bearer');
    const userId = String(jwtPayload(accessToken)['sub']);

    const placeholders = { USER_ID: userId, ACCESS_TOKEN: accessToken };
    const recommended = await handler(recordedEvent('get-user-recommendations', placeholders), context);
    expect(recommended.statusCode).toBe(200);
    const list = bodyOf<RecommendationsDto>(recommended);
    expect(list.provider).toBe('engine');
    expect(list.items).toHaveLength(3);
    expect(list.items.map((song) => song.reason.source)).toEqual(['popularity', 'popularity', 'popularity']);

    // The same recorded request with the body of a feedback batch.
    const feedback = recordedEvent('post-auth-token');
    feedback.rawPath = feedback.requestContext.http.path = `/v1/users/${userId}/interactions`;
    feedback.headers['authorization'] = `Bearer ${accessToken}`;
    feedback.body = JSON.stringify({ events: [{ id: 'lambda-1', songId: 't1', event: 'like' }] });
    feedback.headers['content-length'] = String(Buffer.byteLength(feedback.body));
    const stored = await handler(feedback, context);
    expect(stored.statusCode).toBe(201);
    expect(bodyOf(stored)).toEqual({ accepted: 1, duplicates: 0 });
    expect(await app?.get(InteractionStore).countInteractions(userId)).toBe(1);

    const badToken = await handler(recordedEvent('get-user-recommendations', { USER_ID: userId }), context);
    expect(badToken.statusCode).toBe(401);
  });

  it('answers a malformed JSON body with a 400 in the API error shape', async () => {
    const result = await handler(recordedEvent('post-auth-token-malformed'), context);
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    const error = bodyOf<ApiErrorBody>(result);
    expect(error).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [] });
    expect(error.requestId).toBe(result.headers?.['x-request-id']);
    expect(builds).toBe(1);
  });
});

describe('createLambdaHandler', () => {
  it('forgets a failed build so that the next invocation tries again', async () => {
    let attempts = 0;
    const handler = createLambdaHandler(async () => {
      attempts += 1;
      throw new Error(`store unreachable (attempt ${attempts})`);
    });
    await expect(handler(recordedEvent('get-health'), context)).rejects.toThrow('store unreachable (attempt 1)');
    await expect(handler(recordedEvent('get-health'), context)).rejects.toThrow('store unreachable (attempt 2)');
  });
});
