import { DescribeTableCommand, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { interaction } from '../testing';
import { DynamoInteractionStore } from './dynamo-interaction-store';
import { StoreUnavailableError } from './errors';

/** An error shaped like the SDK's service exceptions. */
function awsError(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from the service`), { name, $metadata: { httpStatusCode }, ...extra });
}

const conditionFailed = () => awsError('ConditionalCheckFailedException', 400);

// aws-sdk-client-mock replaces `send` below the store, so these cases see exactly the errors that reach the store
// once the SDK has given up retrying: the ones dynalite never produces.
describe('DynamoInteractionStore error paths (mocked DynamoDB)', () => {
  const docMock = mockClient(DynamoDBDocumentClient);
  let store: DynamoInteractionStore;

  beforeEach(() => {
    docMock.reset();
    store = new DynamoInteractionStore({ client: new DynamoDBClient({ region: 'us-east-1' }), retryAfterSeconds: 9 });
  });

  afterAll(() => docMock.restore());

  it.each([
    ['throttling', awsError('ProvisionedThroughputExceededException', 400)],
    ['request throttling', awsError('ThrottlingException', 400)],
    ['a server fault', awsError('InternalServerError', 500)],
    ['an unknown 503', awsError('SomethingNew', 503)],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' })],
    ['a timeout', awsError('TimeoutError', 0)],
  ])('turns %s into StoreUnavailableError carrying the retry advice', async (_, error) => {
    docMock.on(GetCommand).rejects(error);
    const attempt = store.findUserById('u1');
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toMatchObject({
      retryAfterSeconds: 9,
      message: expect.stringMatching(/^DynamoDB unavailable: /),
      cause: error,
    });
  });

  it('passes client-side faults through unchanged (they are bugs or configuration, not outages)', async () => {
    const invalid = awsError('ValidationException', 400);
    const missingTable = awsError('ResourceNotFoundException', 400);
    docMock.on(GetCommand).rejectsOnce(invalid).rejectsOnce(missingTable);
    await expect(store.findUserById('u1')).rejects.toBe(invalid);
    await expect(store.findUserById('u1')).rejects.toBe(missingTable);
  });

  it('fails an append while throttled without committing anything, and aborts the slot it reserved', async () => {
    docMock.on(GetCommand).resolves({});
    docMock
      .on(PutCommand)
      .callsFake((input: { TableName: string }) =>
        input.TableName === store.tables.feed
          ? Promise.resolve({})
          : Promise.reject(awsError('ProvisionedThroughputExceededException', 400)),
      );
    docMock.on(UpdateCommand).resolves({});
    await expect(store.appendInteractions([interaction('u1', 's1', 1, { id: 'e1' })])).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    const updates = docMock.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates.some((u) => u.UpdateExpression === 'SET st = :a')).toBe(true);
    expect(updates.some((u) => u.UpdateExpression?.startsWith('SET st = :c'))).toBe(false);
  });

  it('gives up reserving a feed slot under endless contention with a 503-class error', async () => {
    docMock.on(GetCommand).resolves({ Item: { h: 7 } });
    docMock.on(PutCommand).rejects(conditionFailed());
    const attempt = store.appendInteractions([interaction('u1', 's1', 1)]);
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/no feed slot reserved after 500 attempts/);
    // Every probe asked for a slot above the hint, never below it.
    const slots = docMock.commandCalls(PutCommand).map((call) => Number(call.args[0].input.Item?.['s']));
    expect(Math.min(...slots)).toBe(8);
  });

  it('re-sends items a batch write left unprocessed, and fails clearly when they never go through', async () => {
    const item = { u: 'u1', k: 'x' };
    docMock
      .on(QueryCommand)
      .resolves({ Items: [{ ...item, sl: 1 }] })
      .on(GetCommand)
      .resolves({})
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [store.tables.interactions]: [{ DeleteRequest: { Key: item } }] } })
      .resolvesOnce({});
    expect(await store.deleteUser('u1')).toBe(false);
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(2);

    docMock.reset();
    docMock
      .on(QueryCommand)
      .resolves({ Items: [{ ...item, sl: 1 }] })
      .on(GetCommand)
      .resolves({})
      .on(BatchWriteCommand)
      .resolves({ UnprocessedItems: { [store.tables.interactions]: [{ DeleteRequest: { Key: item } }] } });
    await expect(store.deleteUser('u1')).rejects.toThrow('DynamoDB kept items of a batch write unprocessed');
  });

  it('reports an unhealthy store with the reason instead of throwing', async () => {
    docMock.on(GetCommand).rejects(awsError('ThrottlingException', 400));
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^dynamodb: DynamoDB unavailable: ThrottlingException/);
  });

  it('stops waiting for a table that never becomes ACTIVE', async () => {
    let clock = 0;
    const waiting = new DynamoInteractionStore({
      client: new DynamoDBClient({ region: 'us-east-1' }),
      tableReadyTimeoutMs: 50,
      now: () => (clock += 20),
    });
    // The document client carries the control-plane commands too, so its stub answers them.
    docMock.on(CreateTableCommand).resolves({});
    docMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'CREATING' } });
    await expect(waiting.init()).rejects.toThrow(/not ACTIVE after 50 ms \(status CREATING\)/);
  });

  it('only describes tables that exist, and creates the missing ones on demand', async () => {
    docMock.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    await store.init();
    expect(docMock.commandCalls(DescribeTableCommand)).toHaveLength(3);
    expect(docMock.commandCalls(CreateTableCommand)).toHaveLength(0);

    docMock.reset();
    docMock
      .on(DescribeTableCommand)
      .rejectsOnce(awsError('ResourceNotFoundException', 400))
      .rejectsOnce(awsError('ResourceNotFoundException', 400))
      .rejectsOnce(awsError('ResourceNotFoundException', 400))
      .resolves({ Table: { TableStatus: 'ACTIVE' } });
    // A replica that lost the race to create a table waits for the winner's.
    docMock.on(CreateTableCommand).resolvesOnce({}).resolvesOnce({}).rejects(awsError('ResourceInUseException', 400));
    await store.init();
    expect(
      docMock
        .commandCalls(CreateTableCommand)
        .map((call) => call.args[0].input.TableName)
        .sort(),
    ).toEqual(Object.values(store.tables).sort());
  });
});

describe('DynamoInteractionStore against a throttling endpoint (real SDK retries)', () => {
  let server: Server;
  let requests: number;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = 0;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets the SDK retry a throttled request, then surfaces StoreUnavailableError', async () => {
    const store = new DynamoInteractionStore({
      clientConfig: {
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        maxAttempts: 3,
      },
    });
    try {
      const attempt = store.findUserByName('ada');
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toThrow(/ProvisionedThroughputExceededException/);
      expect(requests).toBe(3);
    } finally {
      await store.close();
    }
    // The SDK backs off from throttling for up to a few seconds between its attempts.
  }, 20_000);
});
