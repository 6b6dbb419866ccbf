import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NETWORK_ERROR_CODES, StoreUnavailableError, UsernameTakenError } from './errors';
import {
  InteractionStore,
  type HistoryOptions,
  type HistoryPage,
  type InteractionBatch,
  type InteractionEvent,
  type NewUser,
  type StoreHealth,
  type StoredInteraction,
  type StreamOptions,
  type UserRecord,
  type UserRole,
} from './interaction-store';
import {
  batchSizeOf,
  decodeHistoryCursor,
  decodeStreamCursor,
  encodeHistoryCursor,
  validateHistoryOptions,
  validateInteractions,
  validateNewUser,
} from './validation';

export interface DynamoInteractionStoreOptions {
  /** Prefix of the three table names (`<prefix>users`, `<prefix>interactions`, `<prefix>feed`). Default `encore-`. */
  tablePrefix?: string;
  /** A ready client (tests, custom credentials); the store then leaves it open on `close()`. */
  client?: DynamoDBClient;
  /** Used to build the client when `client` is absent: region, endpoint (dynalite, DynamoDB Local), credentials… */
  clientConfig?: DynamoDBClientConfig;
  /**
   * How long a writer may hold a reserved feed slot before anyone may abort it (a crashed writer must not stall the
   * training feed for ever). Default 30 000 ms: longer than an API Gateway request may run.
   */
  leaseMs?: number;
  /** How long `init()` waits for created tables to become ACTIVE. Default 120 000 ms. */
  tableReadyTimeoutMs?: number;
  /** Suggested client back-off carried by `StoreUnavailableError`. Default 5 s. */
  retryAfterSeconds?: number;
  /** Clock for leases (tests). Default `Date.now`. */
  now?: () => number;
}

/** The table names derived from a prefix. */
export function dynamoTableNames(prefix: string): { users: string; interactions: string; feed: string } {
  return { users: `${prefix}users`, interactions: `${prefix}interactions`, feed: `${prefix}feed` };
}

/** One feed slot holds at most this many events: 250 × the largest valid event (~750 bytes) stays far below 400 KB. */
export const EVENTS_PER_SLOT = 250;
/** Slots per feed partition. Only reads care: one Query walks one bucket. */
const SLOTS_PER_BUCKET = 1000;
/** Stream and history cursors pack (slot, index in slot) as slot × 1000 + index. */
const POSITIONS_PER_SLOT = 1000n;
/** The non-authoritative "highest reserved slot" hint lives in the feed table, outside every bucket. */
const HEAD_KEY = { b: -1, s: 0 };
const HISTORY_PREFIX = 'h#';
const MARKER_PREFIX = 'k#';
const USER_PREFIX = 'u#';
const NAME_PREFIX = 'n#';
const MAX_RESERVE_PROBES = 500;
const MAX_CHUNK_ATTEMPTS = 10;
const BATCH_WRITE_LIMIT = 25;

/** Errors that mean "DynamoDB cannot serve this now" (after the SDK's own retries): the API answers 503. */
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const UNAVAILABLE_CODES = new Set([...NETWORK_ERROR_CODES]);

type SlotState = 'p' | 'c' | 'a';

/** An event as kept inside a feed slot; `x` is its index in the slot, stable even when a deletion removes others. */
interface SlotEvent {
  x: number;
  u: string;
  s: string;
  e: string;
  w: number;
  t: number;
  i?: string;
}

interface SlotItem {
  b: number;
  s: number;
  /** pending (reserved, undecided) | committed | aborted. */
  st: SlotState;
  tk: string;
  /** Lease end, epoch ms: a pending slot older than this may be aborted by anyone. */
  lu: number;
  ev?: SlotEvent[];
  n?: number;
  /** Whether the per-user history items were written (repaired by whoever finds it false after the lease). */
  pj?: boolean;
  /** Bumped by each rewrite of `ev` (account deletion), for optimistic concurrency. */
  v?: number;
}

interface HistoryItem {
  u: string;
  k: string;
  s: string;
  e: string;
  w: number;
  t: number;
  i?: string;
  sl: number;
}

interface MarkerItem {
  u: string;
  k: string;
  sl: number;
}

interface UserItem {
  pk: string;
  id: string;
  un: string;
  ph: string;
  ro: string;
  ca: number;
  tv: number;
}

interface NameClaim {
  pk: string;
  id: string;
  at: number;
}

const pad = (value: number | bigint, width: number) => value.toString().padStart(width, '0');
const bucketOf = (slot: number) => Math.floor(slot / SLOTS_PER_BUCKET);
const historyKey = (timestamp: number, slot: number, x: number) =>
  `${HISTORY_PREFIX}${pad(timestamp, 16)}#${pad(slot, 16)}#${pad(x, 3)}`;
const positionOf = (slot: number, x: number) => BigInt(slot) * POSITIONS_PER_SLOT + BigInt(x);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (attempt: number) => Math.random() * Math.min(1000, 10 * 2 ** attempt);

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

const isConditionFailure = (error: unknown) => errorName(error) === 'ConditionalCheckFailedException';

function toInteraction(e: SlotEvent | HistoryItem, userId: string): StoredInteraction {
  const interaction: StoredInteraction = {
    userId,
    songId: e.s,
    event: e.e as InteractionEvent,
    weight: Number(e.w),
    timestamp: Number(e.t),
  };
  if (e.i !== undefined) interaction.id = e.i;
  return interaction;
}

function toUser(item: UserItem): UserRecord {
  return {
    id: item.id,
    username: item.un,
    passwordHash: item.ph,
    role: item.ro as UserRole,
    createdAt: Number(item.ca),
    tokenVersion: Number(item.tv),
  };
}

/**
 * DynamoDB store for the serverless deployment (Lambda replicas without a connection pool).
 *
 * Tables (on-demand capacity, created by `init()`):
 * - `users` (pk): `u#<id>` holds the account; `n#<username>` is a uniqueness claim naming the owner's id. Names are
 *   claimed with a conditional put before the account is written, so two sign-ups for one name cannot both win.
 * - `interactions` (u, k): per user, `h#<timestamp>#<slot>#<index>` history items (newest first = a descending
 *   Query, cursor = the last key) and `k#<client id>` idempotency markers naming the feed slot of that event.
 * - `feed` (b, s): the global arrival-ordered log, one item ("slot") per appended batch (≤ 250 events), partitioned
 *   by bucket = slot / 1000.
 *
 * How the feed keeps "every committed interaction exactly once, in arrival order, and a cursor never skips one
 * committed later by a concurrent writer" without multi-item transactions:
 * 1. Slot numbers are gapless. A writer reserves slot k with a put conditioned on `attribute_not_exists`, and only
 *    ever tries k when slot k−1 is known to exist (it read k−1 from the head hint, which is written only after a
 *    reservation succeeded, or its own put of k−1 just failed because the slot existed). Slots are never deleted.
 *    So whenever slot k exists, every slot below it exists too. (An atomic `ADD` counter would hand out numbers
 *    just as fast, but a writer that took n and committed after the writer of n+1 would let a reader's cursor pass
 *    n before it appeared; a crashed writer would leave a hole no reader could tell from a slow one.)
 * 2. A batch becomes visible in one single-item write: the slot is reserved `pending`, the events' idempotency
 *    markers are claimed, and the slot is switched to `committed` together with its events by one conditional
 *    update (`st = pending AND tk = <token>`). That update is the commit point, so the batch is all-or-nothing.
 * 3. The reader walks slots in number order with strongly consistent reads and stops at the first missing slot or
 *    at a `pending` one whose lease is still running; its cursor stays before it. A pending slot past its lease is
 *    aborted by a conditional update (the writer's commit, conditioned on `pending`, then fails and it retries in a
 *    new slot); exactly one of commit and abort wins. Aborted slots hold nothing. Hence no skip and no duplicate;
 *    the price is that a writer that stalls holds the feed back for at most `leaseMs`.
 *
 * Guarantees and their bounds:
 * - Appends of up to 250 events are atomic. A larger call is stored as consecutive 250-event slots, each atomic:
 *   if it fails part-way the earlier slots stay stored and the error is raised; retrying it with the same client
 *   ids stores the rest exactly once (events without an id could then be stored twice).
 * - Idempotency markers are claimed before the commit. A marker pointing at an aborted slot is taken over; one
 *   pointing at a pending slot is waited for when that slot is older (wound-wait: a younger one is aborted), so two
 *   concurrent retries of one batch store it once and cannot deadlock.
 * - The per-user history items are written right after the commit, before the call resolves. If the process dies
 *   in between, the feed has the batch and the history misses it until a feed reader or a retried append finds the
 *   slot unprojected after its lease and writes them.
 * - Slot reservation serialises writers on one partition, like PostgreSQL's append lock: one reservation per
 *   round trip (tens of ms), each carrying up to 250 events.
 * - `countInteractions()` without a user scans the feed (one item per batch); with a user it is a COUNT Query.
 * - `deleteUser` removes the user's events from the feed slots, the history and the markers, then the account; it
 *   is idempotent but not atomic, so a crash part-way is completed by calling it again.
 */
export class DynamoInteractionStore extends InteractionStore {
  readonly tables: { users: string; interactions: string; feed: string };
  private readonly client: DynamoDBClient;
  private readonly ownsClient: boolean;
  private readonly doc: DynamoDBDocumentClient;
  private readonly leaseMs: number;
  private readonly tableReadyTimeoutMs: number;
  private readonly retryAfterSeconds: number;
  private readonly now: () => number;
  /** Highest slot this instance knows to exist: a cheaper start than the shared hint. */
  private knownHead = 0;
  private closed = false;

  constructor(options: DynamoInteractionStoreOptions = {}) {
    super();
    const prefix = options.tablePrefix ?? 'encore-';
    if (!/^[A-Za-z0-9_.-]{0,200}$/.test(prefix)) {
      throw new RangeError(
        `tablePrefix must be up to 200 characters of A-Z a-z 0-9 _ . -, got ${JSON.stringify(prefix)}`,
      );
    }
    this.tables = dynamoTableNames(prefix);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new DynamoDBClient(options.clientConfig ?? {});
    this.doc = DynamoDBDocumentClient.from(this.client, { marshallOptions: { removeUndefinedValues: true } });
    this.leaseMs = options.leaseMs ?? 30_000;
    this.tableReadyTimeoutMs = options.tableReadyTimeoutMs ?? 120_000;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
    this.now = options.now ?? Date.now;
  }

  async init(): Promise<void> {
    const definitions: CreateTableCommandInput[] = [
      {
        TableName: this.tables.users,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
      {
        TableName: this.tables.interactions,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'u', AttributeType: 'S' },
          { AttributeName: 'k', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'u', KeyType: 'HASH' },
          { AttributeName: 'k', KeyType: 'RANGE' },
        ],
      },
      {
        TableName: this.tables.feed,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'b', AttributeType: 'N' },
          { AttributeName: 's', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'b', KeyType: 'HASH' },
          { AttributeName: 's', KeyType: 'RANGE' },
        ],
      },
    ];
    await Promise.all(definitions.map((definition) => this.ensureTable(definition)));
  }

  async appendInteractions(events: readonly StoredInteraction[]): Promise<number> {
    validateInteractions(events);
    const seen = new Set<string>();
    const unique = events.filter((e) => {
      if (e.id === undefined) return true;
      const key = JSON.stringify([e.userId, e.id]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    let stored = 0;
    for (let start = 0; start < unique.length; start += EVENTS_PER_SLOT) {
      stored += await this.appendChunk(unique.slice(start, start + EVENTS_PER_SLOT));
    }
    return stored;
  }

  async history(userId: string, options: HistoryOptions): Promise<HistoryPage> {
    validateHistoryOptions(options);
    let upper = `${HISTORY_PREFIX.slice(0, -1)}$`;
    if (options.before !== undefined) {
      const { timestamp, seq } = decodeHistoryCursor(options.before);
      const position = BigInt(seq);
      upper = historyKey(timestamp, Number(position / POSITIONS_PER_SLOT), Number(position % POSITIONS_PER_SLOT));
    }
    const wanted = options.limit + 1;
    const rows: HistoryItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send(
        new QueryCommand({
          TableName: this.tables.interactions,
          KeyConditionExpression: 'u = :u AND k < :upper',
          ExpressionAttributeValues: { ':u': userId, ':upper': upper },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: wanted - rows.length,
          ExclusiveStartKey: startKey,
        }),
      );
      rows.push(...((page.Items ?? []) as HistoryItem[]).filter((item) => item.k.startsWith(HISTORY_PREFIX)));
      startKey = page.LastEvaluatedKey;
    } while (startKey && rows.length < wanted);
    const items = rows.slice(0, options.limit);
    const result: HistoryPage = { items: items.map((row) => toInteraction(row, userId)) };
    if (rows.length > options.limit) {
      const last = items[items.length - 1];
      const [, , slot, x] = last.k.split('#');
      result.nextCursor = encodeHistoryCursor(Number(last.t), positionOf(Number(slot), Number(x)).toString());
    }
    return result;
  }

  async *interactionsSince(cursor: string | undefined, options?: StreamOptions): AsyncIterable<InteractionBatch> {
    const batchSize = batchSizeOf(options);
    const start = BigInt(decodeStreamCursor(cursor));
    const firstSlot = Number(start / POSITIONS_PER_SLOT);
    const afterX = Number(start % POSITIONS_PER_SLOT);
    const buffer: { item: StoredInteraction; position: bigint }[] = [];
    const take = (count: number): InteractionBatch => {
      const taken = buffer.splice(0, count);
      return { items: taken.map((t) => t.item), cursor: taken[taken.length - 1].position.toString() };
    };

    // Slot numbers start at 1: cursor 0 (the beginning) names the virtual slot 0.
    let expected = Math.max(firstSlot, 1);
    walk: for (;;) {
      let startKey: Record<string, unknown> | undefined;
      const bucket = bucketOf(expected);
      do {
        const page = await this.send(
          new QueryCommand({
            TableName: this.tables.feed,
            KeyConditionExpression: 'b = :b AND s >= :s',
            ExpressionAttributeValues: { ':b': bucket, ':s': expected },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const found of (page.Items ?? []) as SlotItem[]) {
          // A missing number is the end of the feed for now: nothing above it can have been committed before it.
          if (Number(found.s) !== expected) break walk;
          const slot = await this.settle(found);
          if (slot.st === 'p') break walk;
          if (slot.st === 'c') {
            for (const event of slot.ev ?? []) {
              if (expected === firstSlot && event.x <= afterX) continue;
              buffer.push({ item: toInteraction(event, event.u), position: positionOf(expected, event.x) });
            }
            while (buffer.length >= batchSize) yield take(batchSize);
          }
          expected += 1;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      // Every slot of the bucket was there: carry on in the next one; otherwise the feed ends here.
      if (bucketOf(expected) === bucket) break;
    }
    while (buffer.length > 0) yield take(batchSize);
  }

  async countInteractions(userId?: string): Promise<number> {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page =
        userId === undefined
          ? await this.send(
              new ScanCommand({
                TableName: this.tables.feed,
                ProjectionExpression: 'n',
                FilterExpression: 'st = :c',
                ExpressionAttributeValues: { ':c': 'c' },
                ConsistentRead: true,
                ExclusiveStartKey: startKey,
              }),
            )
          : await this.send(
              new QueryCommand({
                TableName: this.tables.interactions,
                KeyConditionExpression: 'u = :u AND begins_with(k, :h)',
                ExpressionAttributeValues: { ':u': userId, ':h': HISTORY_PREFIX },
                Select: 'COUNT',
                ConsistentRead: true,
                ExclusiveStartKey: startKey,
              }),
            );
      total +=
        userId === undefined
          ? ((page.Items ?? []) as { n?: number }[]).reduce((sum, item) => sum + Number(item.n ?? 0), 0)
          : (page.Count ?? 0);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    validateNewUser(user);
    const record: UserRecord = {
      id: user.id ?? randomUUID(),
      username: user.username,
      passwordHash: user.passwordHash,
      role: user.role,
      createdAt: user.createdAt ?? this.now(),
      tokenVersion: 0,
    };
    await this.claimName(record.username, record.id);
    const item: UserItem = {
      pk: USER_PREFIX + record.id,
      id: record.id,
      un: record.username,
      ph: record.passwordHash,
      ro: record.role,
      ca: record.createdAt,
      tv: 0,
    };
    try {
      await this.send(
        new PutCommand({
          TableName: this.tables.users,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      await this.releaseName(record.username, record.id).catch(() => undefined);
      if (isConditionFailure(error)) throw new Error(`user id ${JSON.stringify(record.id)} already exists`);
      throw error;
    }
    return record;
  }

  async findUserByName(username: string): Promise<UserRecord | undefined> {
    const claim = await this.getItem<NameClaim>(this.tables.users, { pk: NAME_PREFIX + username });
    if (!claim) return undefined;
    const user = await this.findUserById(claim.id);
    // A claim left by a sign-up that died before writing its account names nobody.
    return user?.username === username ? user : undefined;
  }

  async findUserById(id: string): Promise<UserRecord | undefined> {
    const item = await this.getItem<UserItem>(this.tables.users, { pk: USER_PREFIX + id });
    return item ? toUser(item) : undefined;
  }

  async deleteUser(id: string): Promise<boolean> {
    const keys: { u: string; k: string }[] = [];
    const slots = new Set<number>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send(
        new QueryCommand({
          TableName: this.tables.interactions,
          KeyConditionExpression: 'u = :u',
          ExpressionAttributeValues: { ':u': id },
          ProjectionExpression: 'u, k, sl',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (page.Items ?? []) as (MarkerItem | HistoryItem)[]) {
        keys.push({ u: item.u, k: item.k });
        slots.add(Number(item.sl));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // The feed first: once the history is gone, nothing would lead back to these slots.
    for (const slot of slots) await this.removeUserFromSlot(slot, id);
    await this.batchWrite(
      this.tables.interactions,
      keys.map((key) => ({ DeleteRequest: { Key: key } })),
    );
    const user = await this.getItem<UserItem>(this.tables.users, { pk: USER_PREFIX + id });
    if (!user) return false;
    await this.releaseName(user.un, id);
    const deleted = await this.send(
      new DeleteCommand({ TableName: this.tables.users, Key: { pk: USER_PREFIX + id }, ReturnValues: 'ALL_OLD' }),
    );
    return deleted.Attributes !== undefined;
  }

  bumpTokenVersion(id: string): Promise<number | undefined> {
    return this.updateUser(id, 'ADD tv :one', { ':one': 1 });
  }

  updatePasswordHash(id: string, passwordHash: string): Promise<number | undefined> {
    return this.updateUser(id, 'SET ph = :ph ADD tv :one', { ':ph': passwordHash, ':one': 1 });
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, detail: 'dynamodb: store closed' };
    try {
      await this.send(new GetCommand({ TableName: this.tables.feed, Key: HEAD_KEY }));
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: `dynamodb: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) this.client.destroy();
  }

  // ---- appends ----

  /** Stores one ≤ 250-event chunk in one slot; retried in a new slot when the slot was aborted under it. */
  private async appendChunk(events: readonly StoredInteraction[]): Promise<number> {
    for (let attempt = 0; attempt < MAX_CHUNK_ATTEMPTS; attempt++) {
      const token = randomUUID();
      const slot = await this.reserveSlot(token);
      let committed: SlotEvent[];
      try {
        const claimed = await Promise.all(events.map((event, x) => this.claimMarker(event, slot, x)));
        committed = events
          .map((e, x): SlotEvent | undefined =>
            claimed[x]
              ? {
                  x,
                  u: e.userId,
                  s: e.songId,
                  e: e.event,
                  w: e.weight,
                  t: e.timestamp,
                  ...(e.id !== undefined && { i: e.id }),
                }
              : undefined,
          )
          .filter((e): e is SlotEvent => e !== undefined);
        if (committed.length === 0) {
          await this.abortSlot(slot, token);
          return 0;
        }
      } catch (error) {
        await this.abortSlot(slot, token).catch(() => undefined);
        throw error;
      }
      try {
        await this.send(
          new UpdateCommand({
            TableName: this.tables.feed,
            Key: { b: bucketOf(slot), s: slot },
            UpdateExpression: 'SET st = :c, ev = :ev, n = :n, v = :zero',
            ConditionExpression: 'st = :p AND tk = :tk',
            ExpressionAttributeValues: {
              ':c': 'c',
              ':p': 'p',
              ':tk': token,
              ':ev': committed,
              ':n': committed.length,
              ':zero': 0,
            },
          }),
        );
      } catch (error) {
        // Our lease ran out and someone aborted the slot: nothing of it is visible; start over in a new slot.
        if (isConditionFailure(error)) continue;
        throw error;
      }
      await this.project(slot, committed);
      return committed.length;
    }
    throw new StoreUnavailableError(
      `DynamoDB: could not commit a batch after ${MAX_CHUNK_ATTEMPTS} attempts (slots kept being aborted)`,
      this.retryAfterSeconds,
    );
  }

  /** Reserves the lowest free slot above the known head; see the class comment for why the feed stays gapless. */
  private async reserveSlot(token: string): Promise<number> {
    let slot = (this.knownHead > 0 ? this.knownHead : await this.readHeadHint()) + 1;
    for (let probe = 0; probe < MAX_RESERVE_PROBES; probe++) {
      const item: SlotItem = { b: bucketOf(slot), s: slot, st: 'p', tk: token, lu: this.now() + this.leaseMs };
      try {
        await this.send(
          new PutCommand({ TableName: this.tables.feed, Item: item, ConditionExpression: 'attribute_not_exists(s)' }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Slot `slot` exists, so `slot + 1` may be tried; the hint lets a far-behind instance jump ahead.
        this.knownHead = Math.max(this.knownHead, slot);
        slot += 1;
        if (probe % 4 === 0) slot = Math.max(slot, (await this.readHeadHint()) + 1);
        continue;
      }
      this.knownHead = Math.max(this.knownHead, slot);
      await this.send(
        new UpdateCommand({
          TableName: this.tables.feed,
          Key: HEAD_KEY,
          UpdateExpression: 'SET h = :h',
          ConditionExpression: 'attribute_not_exists(h) OR h < :h',
          ExpressionAttributeValues: { ':h': slot },
        }),
      ).catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
      return slot;
    }
    throw new StoreUnavailableError(
      `DynamoDB: no feed slot reserved after ${MAX_RESERVE_PROBES} attempts (too many concurrent writers)`,
      this.retryAfterSeconds,
    );
  }

  private async readHeadHint(): Promise<number> {
    const hint = await this.getItem<{ h?: number }>(this.tables.feed, HEAD_KEY);
    return Number(hint?.h ?? 0);
  }

  /** `true` when the event is ours to store in `slot`, `false` when its client id is already stored. */
  private async claimMarker(event: StoredInteraction, slot: number, x: number): Promise<boolean> {
    if (event.id === undefined) return true;
    const key = { u: event.userId, k: MARKER_PREFIX + event.id };
    const deadline = this.now() + this.leaseMs * 2;
    for (let attempt = 0; ; attempt++) {
      // The first try assumes the id is new (the common case) and reads nothing.
      const marker = attempt === 0 ? undefined : await this.getItem<MarkerItem>(this.tables.interactions, key);
      if (marker) {
        const owner = await this.getItem<SlotItem>(this.tables.feed, {
          b: bucketOf(Number(marker.sl)),
          s: Number(marker.sl),
        });
        if (owner?.st === 'c') {
          if (!owner.pj && owner.lu < this.now()) await this.project(Number(owner.s), owner.ev ?? []);
          return false;
        }
        if (owner?.st === 'p') {
          // Wound-wait: an older pending slot is waited for (until its lease ends), a younger one is aborted.
          if (Number(owner.s) < slot && owner.lu >= this.now()) {
            if (this.now() > deadline) {
              throw new StoreUnavailableError(
                'DynamoDB: a concurrent write of the same event is still pending',
                this.retryAfterSeconds,
              );
            }
            await sleep(jitter(attempt));
            continue;
          }
          await this.abortSlot(Number(owner.s), owner.tk);
          continue;
        }
      }
      try {
        await this.send(
          new PutCommand({
            TableName: this.tables.interactions,
            Item: { ...key, sl: slot, x },
            ConditionExpression: marker ? 'sl = :old' : 'attribute_not_exists(k)',
            ...(marker && { ExpressionAttributeValues: { ':old': marker.sl } }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  /** Writes the history items of a committed slot (idempotent: their keys derive from the slot). */
  private async project(slot: number, events: readonly SlotEvent[]): Promise<void> {
    await this.batchWrite(
      this.tables.interactions,
      events.map((e) => {
        const item: HistoryItem = { u: e.u, k: historyKey(e.t, slot, e.x), s: e.s, e: e.e, w: e.w, t: e.t, sl: slot };
        if (e.i !== undefined) item.i = e.i;
        return { PutRequest: { Item: item } };
      }),
    );
    await this.send(
      new UpdateCommand({
        TableName: this.tables.feed,
        Key: { b: bucketOf(slot), s: slot },
        UpdateExpression: 'SET pj = :t',
        ConditionExpression: 'st = :c',
        ExpressionAttributeValues: { ':t': true, ':c': 'c' },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /** Aborts a pending slot unless it was committed first; exactly one of the two conditional updates wins. */
  private async abortSlot(slot: number, token: string): Promise<void> {
    await this.send(
      new UpdateCommand({
        TableName: this.tables.feed,
        Key: { b: bucketOf(slot), s: slot },
        UpdateExpression: 'SET st = :a',
        ConditionExpression: 'st = :p AND tk = :tk',
        ExpressionAttributeValues: { ':a': 'a', ':p': 'p', ':tk': token },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  /** A slot as the feed must see it: an expired pending slot is aborted, an unprojected committed one repaired. */
  private async settle(slot: SlotItem): Promise<SlotItem> {
    const number = Number(slot.s);
    if (slot.st === 'p' && slot.lu < this.now()) {
      await this.abortSlot(number, slot.tk);
      const fresh = await this.getItem<SlotItem>(this.tables.feed, { b: bucketOf(number), s: number });
      return fresh ?? slot;
    }
    if (slot.st === 'c' && !slot.pj && slot.lu < this.now()) await this.project(number, slot.ev ?? []);
    return slot;
  }

  private async removeUserFromSlot(slot: number, userId: string): Promise<void> {
    for (;;) {
      const item = await this.getItem<SlotItem>(this.tables.feed, { b: bucketOf(slot), s: slot });
      if (item?.st !== 'c') return;
      const kept = (item.ev ?? []).filter((e) => e.u !== userId);
      if (kept.length === (item.ev ?? []).length) return;
      try {
        await this.send(
          new UpdateCommand({
            TableName: this.tables.feed,
            Key: { b: bucketOf(slot), s: slot },
            UpdateExpression: 'SET ev = :ev, n = :n, v = :next',
            ConditionExpression: 'v = :v',
            ExpressionAttributeValues: {
              ':ev': kept,
              ':n': kept.length,
              ':v': item.v ?? 0,
              ':next': (item.v ?? 0) + 1,
            },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  // ---- users ----

  private async claimName(username: string, id: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.send(
          new PutCommand({
            TableName: this.tables.users,
            Item: { pk: NAME_PREFIX + username, id, at: this.now() } satisfies NameClaim,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const claim = await this.getItem<NameClaim>(this.tables.users, { pk: NAME_PREFIX + username });
      if (!claim) continue;
      const owner = await this.findUserById(claim.id);
      // A claim without its account after the lease is a sign-up that died half-way: the name is free.
      const orphaned = owner?.username !== username && Number(claim.at) + this.leaseMs < this.now();
      if (!orphaned) throw new UsernameTakenError(username);
      await this.send(
        new DeleteCommand({
          TableName: this.tables.users,
          Key: { pk: NAME_PREFIX + username },
          ConditionExpression: 'id = :id AND #at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':id': claim.id, ':at': claim.at },
        }),
      ).catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    }
    throw new UsernameTakenError(username);
  }

  private async releaseName(username: string, id: string): Promise<void> {
    await this.send(
      new DeleteCommand({
        TableName: this.tables.users,
        Key: { pk: NAME_PREFIX + username },
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': id },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  private async updateUser(
    id: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<number | undefined> {
    try {
      const result = await this.send(
        new UpdateCommand({
          TableName: this.tables.users,
          Key: { pk: USER_PREFIX + id },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.['tv']);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  // ---- plumbing ----

  /**
   * Describes first: when the table exists (the deployment created it) start-up costs one request and needs no
   * CreateTable permission. A table another replica is creating right now is waited for like our own.
   */
  private async ensureTable(definition: CreateTableCommandInput): Promise<void> {
    const deadline = this.now() + this.tableReadyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      let status: string | undefined;
      try {
        const { Table } = await this.send(new DescribeTableCommand({ TableName: definition.TableName }));
        status = Table?.TableStatus;
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw error;
        try {
          await this.send(new CreateTableCommand(definition));
        } catch (createError) {
          if (errorName(createError) !== 'ResourceInUseException') throw createError;
        }
        status = 'CREATING';
      }
      // UPDATING tables (capacity or stream changes) serve reads and writes as usual.
      if (status === 'ACTIVE' || status === 'UPDATING') return;
      if (this.now() > deadline) {
        throw new StoreUnavailableError(
          `DynamoDB table ${definition.TableName} not ACTIVE after ${this.tableReadyTimeoutMs} ms (status ${status})`,
          this.retryAfterSeconds,
        );
      }
      await sleep(Math.min(1000, 20 * 2 ** attempt));
    }
  }

  private async getItem<T>(table: string, key: Record<string, unknown>): Promise<T | undefined> {
    const { Item } = await this.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item as T | undefined;
  }

  /** BatchWriteItem in groups of 25, re-sending what DynamoDB returns unprocessed (it does so under throttling). */
  private async batchWrite(table: string, requests: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 8) {
          throw new StoreUnavailableError('DynamoDB kept items of a batch write unprocessed', this.retryAfterSeconds);
        }
        if (attempt > 0) await sleep(jitter(attempt));
        const result = await this.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (result.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
      }
    }
  }

  /** Every call goes through here so that outages become `StoreUnavailableError` (→ 503 with Retry-After). */
  private readonly send = (async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
    if (this.closed) throw new Error('DynamoInteractionStore is closed');
    try {
      return await this.doc.send(command);
    } catch (error) {
      throw this.translate(error);
    }
  }) as DynamoDBDocumentClient['send'];

  private translate(error: unknown): unknown {
    const name = errorName(error);
    const { code, $metadata } = (error ?? {}) as { code?: unknown; $metadata?: { httpStatusCode?: number } };
    const unavailable =
      (name !== undefined && UNAVAILABLE_NAMES.has(name)) ||
      (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
      ($metadata?.httpStatusCode !== undefined && $metadata.httpStatusCode >= 500);
    return unavailable
      ? new StoreUnavailableError(
          `DynamoDB unavailable: ${name ?? ''} ${(error as Error).message}`.trim(),
          this.retryAfterSeconds,
          {
            cause: error,
          },
        )
      : error;
  }
}
