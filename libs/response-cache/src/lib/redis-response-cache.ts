import { randomUUID } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import {
  assertKey,
  assertNamespace,
  namespaceOf,
  type CacheWriteTicket,
  ResponseCache,
  type ResponseCacheHealth,
  type ResponseCacheStats,
} from './response-cache';

export interface RedisResponseCacheOptions {
  /** `redis://[user:pass@]host:port[/db]`. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every key and of the invalidation channel, so several deployments can share one Redis. Default `encore:rc:`. */
  keyPrefix?: string;
  /** A command that has not answered after this long counts as failed (the caller sees a miss). Default 250 ms. */
  commandTimeoutMs?: number;
  /** Default 1000 ms. */
  connectTimeoutMs?: number;
  /**
   * How long a locally remembered generation may be used without re-reading it. Pub/sub normally drops it much
   * sooner; this only bounds staleness if an invalidation message is lost. Default 5000 ms.
   */
  generationMaxAgeMs?: number;
  /**
   * Bound on locally remembered namespace generations (least recently used dropped first), and on invalidations kept
   * while Redis is unreachable (beyond it they become one `invalidateAll`). Default 10 000.
   */
  maxLocalGenerations?: number;
  /** Extra ioredis options (TLS, sentinel…); they override the defaults chosen here. */
  redisOptions?: RedisOptions;
  /** Called for every swallowed backend failure, e.g. to log it. */
  onError?: (error: Error, operation: string) => void;
}

interface RememberedGeneration {
  value: string;
  readAt: number;
}

/** QUIT lets the server close the socket; a connection that is not ready has nothing to flush and is just dropped. */
async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    try {
      await connection.quit();
      return;
    } catch {
      // fall through: the connection broke while quitting
    }
  }
  connection.disconnect();
}

/** Stands in for the namespace generation of keys that have no namespace. */
const NO_NAMESPACE = '-';

/**
 * Redis-backed `ResponseCache` shared by every API replica.
 *
 * Invalidation uses generation counters instead of key sets: a value lives at
 * `<prefix>v:<global generation>:<namespace generation>:<key>`, and invalidating a namespace (or everything) is one
 * `INCR`, which makes every older entry unreachable at once; the orphans then expire through their own TTL. That is
 * O(1) with no `SCAN`/`KEYS` and no per-namespace set to keep consistent with expiring members. The price is one
 * small counter key per namespace that was ever invalidated (left without a TTL because a counter that expired and
 * restarted at 0 could resurrect old entries).
 *
 * To keep a read at one round trip, each instance remembers generations locally. Whoever bumps a generation publishes
 * on `<prefix>invalidate`; the other replicas forget the remembered value. While the subscriber connection is down,
 * remembered generations are not trusted, and they are forgotten whenever it (re)subscribes.
 *
 * Redis failures never reach the caller: the offline queue is disabled and commands have a timeout, so with Redis down
 * every call fails fast into a miss or no-op (counted in `stats().errors`), while ioredis keeps reconnecting in the
 * background and caching resumes by itself.
 *
 * An invalidation that cannot reach Redis is not dropped: entries written before the outage are still there when
 * Redis comes back (or was only unreachable from here), and serving them would undo the invalidation. Such
 * invalidations are kept and sent again as soon as the connection is back, and before this instance reads or writes
 * anything else; until then every call is a miss. More of them than `maxLocalGenerations` collapse into one
 * `invalidateAll`. (Another replica can still read the old entry between Redis returning and the replay, and one
 * that dies before replaying leaves it to the TTL.)
 */
export class RedisResponseCache extends ResponseCache {
  readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly instanceId = randomUUID();
  private readonly generationMaxAgeMs: number;
  private readonly maxLocalGenerations: number;
  private readonly onError?: (error: Error, operation: string) => void;
  private globalGeneration: RememberedGeneration | undefined;
  private readonly namespaceGenerations = new Map<string, RememberedGeneration>();
  /** Invalidations Redis has not taken yet (`null`: everything), replayed before the cache is used again. */
  private readonly unsentInvalidations = new Set<string | null>();
  private replaying: Promise<void> | undefined;
  /** Bumped whenever remembered generations may have become stale, so a read that raced with it is not remembered. */
  private epoch = 0;
  private subscribed = false;
  private closed = false;
  private hits = 0;
  private misses = 0;
  private errors = 0;

  constructor(options: RedisResponseCacheOptions = {}) {
    super();
    this.prefix = options.keyPrefix ?? 'encore:rc:';
    this.channel = `${this.prefix}invalidate`;
    this.generationMaxAgeMs = options.generationMaxAgeMs ?? 5000;
    this.maxLocalGenerations = options.maxLocalGenerations ?? 10_000;
    this.onError = options.onError;
    const url = options.url ?? 'redis://127.0.0.1:6379';
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
      disconnectTimeout: 500,
      ...options.redisOptions,
    });
    // The subscriber queues its SUBSCRIBE until connected and never gives up, so a cache created while Redis is
    // down still starts listening once Redis appears. Resubscription is done by hand to know when it took effect.
    this.subscriber = this.redis.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
      autoResubscribe: false,
    });
    // Without listeners ioredis reports connection errors as unhandled; failures are counted per call instead.
    this.redis.on('error', () => undefined);
    // Replay missed invalidations at once rather than on the next call, so other replicas stop serving what they cover.
    this.redis.on('ready', () => {
      if (this.unsentInvalidations.size > 0) void this.guard('replay invalidations', undefined, async () => undefined);
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => this.subscribe());
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('message', (channel: string, message: string) => this.onInvalidation(channel, message));
  }

  /** Resolves `true` once commands and invalidation messages flow, or `false` after `timeoutMs`. */
  async waitUntilReady(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.redis.status === 'ready' && this.subscribed)) {
      if (this.closed || Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  async get<T>(key: string): Promise<T | undefined> {
    assertKey(key);
    const json = await this.guard('get', undefined, async () => this.redis.get(await this.valueKey(key)));
    if (json === undefined || json === null) {
      this.misses++;
      return undefined;
    }
    try {
      const value = JSON.parse(json) as T;
      this.hits++;
      return value;
    } catch (error) {
      this.fail(error, 'get');
      this.misses++;
      return undefined;
    }
  }

  async getRaw(key: string, options: { probe?: boolean } = {}): Promise<string | undefined> {
    assertKey(key);
    const json = await this.guard('get', undefined, async () => this.redis.get(await this.valueKey(key)));
    if (json === undefined || json === null) {
      if (!options.probe) this.misses++;
      return undefined;
    }
    this.hits++;
    return json;
  }

  /** The generation-qualified key as of now: a later invalidation retires it, so a write to it can never be read. */
  async reserve(key: string): Promise<CacheWriteTicket> {
    assertKey(key);
    // Unreachable Redis: an empty generation makes the matching `set` a no-op (nothing could be stored anyway).
    const generation = await this.guard('reserve', '', async () => this.valueKey(key));
    return { key, generation };
  }

  protected async write(key: string, json: string, ttlMs: number, ticket?: CacheWriteTicket): Promise<void> {
    if (ticket !== undefined && ticket.key !== key) {
      throw new RangeError(`ticket for ${JSON.stringify(ticket.key)} used to set ${JSON.stringify(key)}`);
    }
    if (ticket?.generation === '') return;
    await this.guard('set', undefined, async () => {
      await this.redis.set(ticket?.generation ?? (await this.valueKey(key)), json, 'PX', ttlMs);
    });
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.guard('delete', undefined, async () => {
      await this.redis.del(await this.valueKey(key));
    });
  }

  async invalidateNamespace(ns: string): Promise<void> {
    assertNamespace(ns);
    await this.bump('invalidateNamespace', ns);
  }

  async invalidateAll(): Promise<void> {
    await this.bump('invalidateAll', null);
  }

  stats(): ResponseCacheStats {
    return { hits: this.hits, misses: this.misses, errors: this.errors };
  }

  async health(): Promise<ResponseCacheHealth> {
    try {
      await this.redis.ping();
      return this.subscribed ? { ok: true } : { ok: false, detail: 'invalidation subscriber not connected' };
    } catch (error) {
      return { ok: false, detail: `redis ${this.redis.status}: ${(error as Error).message}` };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribed = false;
    await Promise.all([closeConnection(this.subscriber), closeConnection(this.redis)]);
  }

  private globalKey(): string {
    return `${this.prefix}gen`;
  }

  private namespaceKey(ns: string): string {
    return `${this.prefix}gen:${ns}`;
  }

  private async valueKey(key: string): Promise<string> {
    const ns = namespaceOf(key);
    const now = Date.now();
    const trusted = this.subscribed;
    let global = trusted ? this.fresh(this.globalGeneration, now) : undefined;
    let local =
      ns === undefined ? NO_NAMESPACE : trusted ? this.fresh(this.namespaceGenerations.get(ns), now) : undefined;
    if (global === undefined || local === undefined) {
      const epoch = this.epoch;
      const [g, n] = await this.redis.mget(
        this.globalKey(),
        ns === undefined ? this.globalKey() : this.namespaceKey(ns),
      );
      global = g ?? '0';
      local = ns === undefined ? NO_NAMESPACE : (n ?? '0');
      if (epoch === this.epoch && trusted) {
        this.globalGeneration = { value: global, readAt: now };
        if (ns !== undefined) this.remember(ns, local, now);
      }
    }
    return `${this.prefix}v:${global}:${local}:${key}`;
  }

  private fresh(generation: RememberedGeneration | undefined, now: number): string | undefined {
    return generation !== undefined && now - generation.readAt < this.generationMaxAgeMs ? generation.value : undefined;
  }

  private remember(ns: string, value: string, now: number): void {
    this.namespaceGenerations.delete(ns);
    this.namespaceGenerations.set(ns, { value, readAt: now });
    if (this.namespaceGenerations.size > this.maxLocalGenerations) {
      this.namespaceGenerations.delete(this.namespaceGenerations.keys().next().value as string);
    }
  }

  private async bump(operation: string, ns: string | null): Promise<void> {
    // Forget first: even if Redis is unreachable, this instance must not keep using the old generation.
    this.forget(ns);
    const sent = await this.guard(operation, false, async () => {
      await this.sendBumps([ns]);
      return true;
    });
    if (!sent) this.keepUnsent(ns);
  }

  /** One INCR and one message per namespace (`null`: the global generation), in one round trip. */
  private async sendBumps(namespaces: readonly (string | null)[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const ns of namespaces) {
      pipeline.incr(ns === null ? this.globalKey() : this.namespaceKey(ns));
      pipeline.publish(this.channel, JSON.stringify({ origin: this.instanceId, ns }));
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  }

  private keepUnsent(ns: string | null): void {
    if (ns !== null) this.unsentInvalidations.add(ns);
    // A bump that timed out may have reached Redis after all; sending it again only costs an extra miss.
    if (ns === null || this.unsentInvalidations.size > this.maxLocalGenerations) {
      this.unsentInvalidations.clear();
      this.unsentInvalidations.add(null);
    }
  }

  /** Sends every kept invalidation; rejects (and keeps them) while Redis is still unreachable. */
  private replayUnsent(): Promise<void> {
    this.replaying ??= (async () => {
      const batch = [...this.unsentInvalidations];
      await this.sendBumps(batch);
      for (const ns of batch) {
        this.unsentInvalidations.delete(ns);
        this.forget(ns);
      }
    })().finally(() => {
      this.replaying = undefined;
    });
    return this.replaying;
  }

  private forget(ns: string | null): void {
    this.epoch++;
    if (ns === null) this.globalGeneration = undefined;
    else this.namespaceGenerations.delete(ns);
  }

  private onInvalidation(channel: string, message: string): void {
    if (channel !== this.channel) return;
    try {
      const { origin, ns } = JSON.parse(message) as { origin: string; ns: string | null };
      if (origin !== this.instanceId) this.forget(ns);
    } catch (error) {
      // A message we cannot read may still have been an invalidation: forget everything to stay correct.
      this.fail(error, 'invalidation message');
      this.forgetAll();
    }
  }

  private forgetAll(): void {
    this.epoch++;
    this.globalGeneration = undefined;
    this.namespaceGenerations.clear();
  }

  private subscribe(): void {
    if (this.closed) return;
    this.subscriber.subscribe(this.channel).then(
      () => {
        // Messages published while we were away are lost, so nothing remembered before this point can be trusted.
        this.forgetAll();
        this.subscribed = true;
      },
      (error: unknown) => this.fail(error, 'subscribe'),
    );
  }

  private async guard<T>(operation: string, fallback: T, run: () => Promise<T>): Promise<T> {
    if (this.closed) return fallback;
    try {
      // Nothing is read or written under generations an unsent invalidation would have retired.
      if (this.unsentInvalidations.size > 0) await this.replayUnsent();
      return await run();
    } catch (error) {
      this.fail(error, operation);
      return fallback;
    }
  }

  private fail(error: unknown, operation: string): void {
    this.errors++;
    this.onError?.(error instanceof Error ? error : new Error(String(error)), operation);
  }
}
