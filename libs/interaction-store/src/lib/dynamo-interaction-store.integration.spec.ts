import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import {
  collectBatches,
  describeInteractionStoreContract,
  interaction,
  startLocalDynamo,
  type LocalDynamo,
} from '../testing';
import { DynamoInteractionStore, dynamoTableNames, EVENTS_PER_SLOT } from './dynamo-interaction-store';
import { UsernameTakenError } from './errors';

// dynalite answers each request in milliseconds and the concurrency cases send several hundred of them (one
// conditional put per event id): far above Jest's 5 s default on a busy machine. A limit, not a speed check.
jest.setTimeout(120_000);

// One in-memory dynalite for the file; every harness works under its own table prefix and drops its tables.
let dynamo: LocalDynamo;
let admin: DynamoDBClient;
let doc: DynamoDBDocumentClient;

const uniquePrefix = () => `t${randomBytes(5).toString('hex')}-`;
const dropTables = async (prefix: string) => {
  for (const table of Object.values(dynamoTableNames(prefix))) {
    await admin.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  }
};

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  admin = new DynamoDBClient(dynamo.clientConfig);
  doc = DynamoDBDocumentClient.from(admin);
});

afterAll(async () => {
  admin.destroy();
  await dynamo.close();
});

describeInteractionStoreContract('dynamodb (dynalite)', () => {
  const tablePrefix = uniquePrefix();
  return {
    open: async () => new DynamoInteractionStore({ tablePrefix, clientConfig: dynamo.clientConfig }),
    dispose: () => dropTables(tablePrefix),
  };
});

describe('DynamoInteractionStore', () => {
  let tablePrefix: string;
  let clock: number;
  const opened: DynamoInteractionStore[] = [];
  const open = async (leaseMs = 30_000) => {
    const store = new DynamoInteractionStore({
      tablePrefix,
      clientConfig: dynamo.clientConfig,
      leaseMs,
      now: () => clock,
    });
    opened.push(store);
    await store.init();
    return store;
  };
  const feedKey = (slot: number) => ({ b: Math.floor(slot / 1000), s: slot });
  const songsOf = async (store: DynamoInteractionStore, cursor?: string) =>
    (await collectBatches(store.interactionsSince(cursor))).flatMap((b) => b.items.map((i) => i.songId));

  beforeEach(() => {
    tablePrefix = uniquePrefix();
    clock = 1_000_000;
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await dropTables(tablePrefix);
  });

  it('creates its three tables under the configured prefix', async () => {
    await open();
    const { TableNames = [] } = await admin.send(new ListTablesCommand({}));
    expect(TableNames.filter((name) => name.startsWith(tablePrefix)).sort()).toEqual([
      `${tablePrefix}feed`,
      `${tablePrefix}interactions`,
      `${tablePrefix}users`,
    ]);
  });

  it('holds the feed back at a slot still being written, then yields it before anything after it', async () => {
    const store = await open();
    await store.appendInteractions([interaction('u1', 'first', 1)]);
    // A writer that reserved slot 2 and has not committed yet (the state between reservation and commit).
    await doc.send(
      new PutCommand({
        TableName: store.tables.feed,
        Item: { ...feedKey(2), st: 'p', tk: 'slow-writer', lu: clock + 30_000 },
      }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: store.tables.feed,
        Key: { b: -1, s: 0 },
        UpdateExpression: 'SET h = :h',
        ExpressionAttributeValues: { ':h': 2 },
      }),
    );
    await store.appendInteractions([interaction('u1', 'third', 3)]);
    const [firstBatch] = await collectBatches(store.allInteractions());
    expect(firstBatch.items.map((i) => i.songId)).toEqual(['first']);

    // The slow writer commits: a reader resuming from its cursor gets it, in slot order, and nothing is skipped.
    await doc.send(
      new UpdateCommand({
        TableName: store.tables.feed,
        Key: feedKey(2),
        UpdateExpression: 'SET st = :c, ev = :ev, n = :n, v = :zero',
        ExpressionAttributeValues: {
          ':c': 'c',
          ':ev': [{ x: 0, u: 'u2', s: 'second', e: 'play', w: 1, t: 2 }],
          ':n': 1,
          ':zero': 0,
        },
      }),
    );
    expect(await songsOf(store, firstBatch.cursor)).toEqual(['second', 'third']);
  });

  it('aborts a slot whose writer died once its lease is over, and the feed moves on', async () => {
    const store = await open(1000);
    await doc.send(
      new PutCommand({ TableName: store.tables.feed, Item: { ...feedKey(1), st: 'p', tk: 'dead', lu: clock + 1000 } }),
    );
    await store.appendInteractions([interaction('u1', 'after', 1)]);
    expect(await songsOf(store)).toEqual([]);
    clock += 1001;
    expect(await songsOf(store)).toEqual(['after']);
    const { Item } = await doc.send(new GetCommand({ TableName: store.tables.feed, Key: feedKey(1) }));
    expect(Item?.['st']).toBe('a');
  });

  it('writes the history of a batch committed by a writer that died before projecting it', async () => {
    const store = await open(1000);
    await doc.send(
      new PutCommand({
        TableName: store.tables.feed,
        Item: {
          ...feedKey(1),
          st: 'c',
          tk: 'died',
          lu: clock + 1000,
          ev: [{ x: 0, u: 'u1', s: 'orphan', e: 'like', w: 4, t: 5, i: 'e1' }],
          n: 1,
          v: 0,
        },
      }),
    );
    await doc.send(new PutCommand({ TableName: store.tables.interactions, Item: { u: 'u1', k: 'k#e1', sl: 1, x: 0 } }));
    expect(await store.countInteractions('u1')).toBe(0);
    clock += 1001;
    // The client's retry finds its event already stored, and repairs the history on the way.
    expect(
      await store.appendInteractions([interaction('u1', 'orphan', 5, { id: 'e1', event: 'like', weight: 4 })]),
    ).toBe(0);
    expect((await store.history('u1', { limit: 5 })).items).toEqual([
      { id: 'e1', userId: 'u1', songId: 'orphan', event: 'like', weight: 4, timestamp: 5 },
    ]);
    expect(await songsOf(store)).toEqual(['orphan']);
  });

  it('takes over the idempotency key of an aborted batch instead of losing the event', async () => {
    const store = await open();
    await doc.send(
      new PutCommand({ TableName: store.tables.feed, Item: { ...feedKey(1), st: 'a', tk: 'gone', lu: 0 } }),
    );
    await doc.send(new PutCommand({ TableName: store.tables.interactions, Item: { u: 'u1', k: 'k#e1', sl: 1, x: 0 } }));
    await doc.send(
      new UpdateCommand({
        TableName: store.tables.feed,
        Key: { b: -1, s: 0 },
        UpdateExpression: 'SET h = :h',
        ExpressionAttributeValues: { ':h': 1 },
      }),
    );
    expect(await store.appendInteractions([interaction('u1', 's1', 1, { id: 'e1' })])).toBe(1);
    expect(await store.appendInteractions([interaction('u1', 's1', 1, { id: 'e1' })])).toBe(0);
    expect(await songsOf(store)).toEqual(['s1']);
  });

  it('stores two concurrent retries of one batch once, in whichever order they race', async () => {
    const store = await open();
    const other = await open();
    const batch = Array.from({ length: 30 }, (_, i) => interaction('u1', `s${i}`, i, { id: `e${i}` }));
    const reversed = [...batch].reverse();
    const counts = await Promise.all([store.appendInteractions(batch), other.appendInteractions(reversed)]);
    expect(counts[0] + counts[1]).toBe(30);
    expect((await songsOf(store)).sort()).toEqual(batch.map((e) => e.songId).sort());
    expect(await store.countInteractions('u1')).toBe(30);
  });

  it(`splits a call above ${EVENTS_PER_SLOT} events into consecutive slots, keeping arrival order`, async () => {
    const store = await open();
    const events = Array.from({ length: EVENTS_PER_SLOT * 2 + 3 }, (_, i) => interaction(`u${i % 3}`, `s${i}`, i));
    expect(await store.appendInteractions(events)).toBe(events.length);
    expect(await songsOf(store)).toEqual(events.map((e) => e.songId));
    expect(await store.countInteractions()).toBe(events.length);
    const page = await store.history('u0', { limit: 2 });
    const newestOfU0 = events.length - 1 - ((events.length - 1) % 3);
    expect(page.items.map((i) => i.songId)).toEqual([`s${newestOfU0}`, `s${newestOfU0 - 3}`]);
  });

  it('removes a deleted user from the training feed too, keeping the cursor positions of the others', async () => {
    const store = await open();
    await store.appendInteractions([
      interaction('gone', 'a', 1),
      interaction('kept', 'b', 2),
      interaction('gone', 'c', 3),
    ]);
    const [head] = await collectBatches(store.allInteractions({ batchSize: 2 }));
    await store.appendInteractions([interaction('kept', 'd', 4)]);
    await store.deleteUser('gone');
    expect(await songsOf(store)).toEqual(['b', 'd']);
    expect(await songsOf(store, head.cursor)).toEqual(['d']);
    expect(await store.countInteractions()).toBe(2);
  });

  it('frees a username whose sign-up died before the account was written, once the lease is over', async () => {
    const store = await open(1000);
    await doc.send(
      new PutCommand({ TableName: store.tables.users, Item: { pk: 'n#ada', id: 'never-written', at: clock } }),
    );
    expect(await store.findUserByName('ada')).toBeUndefined();
    await expect(store.createUser({ username: 'ada', passwordHash: 'h', role: 'listener' })).rejects.toBeInstanceOf(
      UsernameTakenError,
    );
    clock += 1001;
    const ada = await store.createUser({ username: 'ada', passwordHash: 'h', role: 'listener' });
    expect(await store.findUserByName('ada')).toEqual(ada);
  });

  it('refuses an account id that exists and leaves the name free', async () => {
    const store = await open();
    await store.createUser({ id: 'u-1', username: 'ada', passwordHash: 'h', role: 'listener' });
    await expect(store.createUser({ id: 'u-1', username: 'bob', passwordHash: 'h', role: 'listener' })).rejects.toThrow(
      'user id "u-1" already exists',
    );
    expect((await store.createUser({ username: 'bob', passwordHash: 'h', role: 'listener' })).username).toBe('bob');
  });

  it('reports health and refuses a table prefix DynamoDB would reject', async () => {
    const store = await open();
    expect(await store.health()).toEqual({ ok: true });
    await store.close();
    expect(await store.health()).toEqual({ ok: false, detail: 'dynamodb: store closed' });
    expect(() => new DynamoInteractionStore({ tablePrefix: 'bad prefix' })).toThrow(/tablePrefix must be/);
  });
});
