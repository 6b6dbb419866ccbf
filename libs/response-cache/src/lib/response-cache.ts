/** Counters since the cache was created. `size` is only reported where it is cheap and meaningful (in-process). */
export interface ResponseCacheStats {
  hits: number;
  misses: number;
  /** Backend failures swallowed and turned into a miss or a no-op. */
  errors: number;
  size?: number;
}

export interface ResponseCacheHealth {
  ok: boolean;
  detail?: string;
}

/**
 * A best-effort cache for serialisable API responses.
 *
 * Keys are `namespace:rest`; the namespace is everything before the first `:` (e.g. `u42:recs?k=10` belongs to
 * namespace `u42`), so one user's entries can be dropped together. A key without `:` only goes away through
 * `delete`, TTL or `invalidateAll`.
 *
 * Values are stored as JSON, so a hit returns a fresh copy with JSON semantics (no `undefined`, `Date` → string),
 * whichever implementation is behind the token. Backend failures never reach the caller: reads turn into misses,
 * writes into no-ops, and `stats().errors` counts them. Misuse (bad TTL, `undefined` value, malformed namespace)
 * rejects with a `RangeError`/`TypeError` because that is a bug in the caller, not an outage.
 *
 * An abstract class rather than an interface so that it can serve as a dependency-injection token.
 */
export abstract class ResponseCache {
  abstract get<T>(key: string): Promise<T | undefined>;
  /**
   * The stored JSON text itself, for callers that send it on unchanged (no parse, no re-serialisation). With
   * `probe`, a miss is not counted: the caller is a fast path that hands misses to code that looks again.
   */
  abstract getRaw(key: string, options?: { probe?: boolean }): Promise<string | undefined>;
  /**
   * Taken after a miss and before computing the value: a `set` with the ticket stores nothing when the key's
   * namespace (or everything) was invalidated in between, so a value computed from data that feedback has since
   * changed cannot outlive that feedback in the cache.
   */
  abstract reserve(key: string): Promise<CacheWriteTicket>;
  async set(key: string, value: unknown, ttlSeconds: number, ticket?: CacheWriteTicket): Promise<void> {
    const { json, ttlMs } = encodeEntry(key, value, ttlSeconds);
    await this.write(key, json, ttlMs, ticket);
  }

  /** `set` for a value the caller has already serialised (and will send as is): `json` must be `JSON.stringify` output. */
  async setRaw(key: string, json: string, ttlSeconds: number, ticket?: CacheWriteTicket): Promise<void> {
    if (typeof json !== 'string') throw new TypeError(`setRaw needs JSON text (key ${JSON.stringify(key)})`);
    await this.write(key, json, entryTtlMs(key, ttlSeconds), ticket);
  }

  /** Stores validated JSON text; with a ticket, only if nothing invalidated the key since it was taken. */
  protected abstract write(key: string, json: string, ttlMs: number, ticket?: CacheWriteTicket): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** Drops every entry whose key starts with `ns:`. */
  abstract invalidateNamespace(ns: string): Promise<void>;
  /** Drops every entry (e.g. after a new model is activated). */
  abstract invalidateAll(): Promise<void>;
  abstract stats(): ResponseCacheStats;
  abstract health(): Promise<ResponseCacheHealth>;
  abstract close(): Promise<void>;
}

/** Opaque to callers: what `reserve` saw of the key's invalidation state. Only valid for that key and cache. */
export interface CacheWriteTicket {
  readonly key: string;
  readonly generation: string;
}

/** Namespace of a cache key: the part before the first `:`, or `undefined` when the key has none. */
export function namespaceOf(key: string): string | undefined {
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : undefined;
}

/** Builds `ns:rest` and refuses namespaces that would be split differently when read back. */
export function cacheKey(ns: string, rest: string): string {
  assertNamespace(ns);
  return `${ns}:${rest}`;
}

export function assertNamespace(ns: string): void {
  if (typeof ns !== 'string' || ns.length === 0 || ns.includes(':')) {
    throw new RangeError(`cache namespace must be a non-empty string without ':', got ${JSON.stringify(ns)}`);
  }
}

export function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new RangeError(`cache key must be a non-empty string, got ${JSON.stringify(key)}`);
  }
}

/** Validates a write's key and TTL and returns the TTL in whole milliseconds (at least 1). */
export function entryTtlMs(key: string, ttlSeconds: number): number {
  assertKey(key);
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive finite number, got ${ttlSeconds}`);
  }
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/** Validates a write and returns the JSON text to store and the TTL in whole milliseconds (at least 1). */
export function encodeEntry(key: string, value: unknown, ttlSeconds: number): { json: string; ttlMs: number } {
  const ttlMs = entryTtlMs(key, ttlSeconds);
  const json = value === undefined ? undefined : JSON.stringify(value);
  if (json === undefined) {
    // `undefined` (or a function/symbol) would read back as a miss, which silently defeats the cache.
    throw new TypeError(`cannot cache a value that has no JSON form (key ${JSON.stringify(key)})`);
  }
  return { json, ttlMs };
}
