import {
  assertNamespace,
  namespaceOf,
  ResponseCache,
  type ResponseCacheHealth,
  type ResponseCacheStats,
  assertKey,
  type CacheWriteTicket,
} from './response-cache';

export interface MemoryResponseCacheOptions {
  /** Upper bound on live entries; the least recently used entry is evicted first. Default 10 000. */
  maxEntries?: number;
  /** Clock in epoch milliseconds, injectable so TTL behaviour can be tested without sleeping. */
  now?: () => number;
}

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * In-process LRU + TTL cache for a single API instance (or tests). A `Map` keeps insertion order, so re-inserting
 * on every hit makes its first key the least recently used one: O(1) get/set/evict without a linked list.
 * A per-namespace key index makes `invalidateNamespace` cost O(entries in that namespace), not O(all entries).
 */
export class MemoryResponseCache extends ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private hits = 0;
  private misses = 0;
  /**
   * Invalidation sequence numbers: one counter for the whole cache, the last value per invalidated namespace (bounded
   * like the entries; `forgottenUpTo` covers the ones dropped, so an old ticket is refused rather than trusted).
   */
  private invalidationSeq = 0;
  private lastInvalidateAll = 0;
  private readonly lastInvalidated = new Map<string, number>();
  private forgottenUpTo = 0;

  constructor(options: MemoryResponseCacheOptions = {}) {
    super();
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    this.now = options.now ?? Date.now;
  }

  async get<T>(key: string): Promise<T | undefined> {
    assertKey(key);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.now()) {
      if (entry !== undefined) this.remove(key);
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return JSON.parse(entry.json) as T;
  }

  async getRaw(key: string, options: { probe?: boolean } = {}): Promise<string | undefined> {
    assertKey(key);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt <= this.now()) {
      if (entry !== undefined) this.remove(key);
      if (!options.probe) this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.json;
  }

  async reserve(key: string): Promise<CacheWriteTicket> {
    assertKey(key);
    return { key, generation: String(this.invalidationSeq) };
  }

  protected async write(key: string, json: string, ttlMs: number, ticket?: CacheWriteTicket): Promise<void> {
    if (ticket !== undefined && !this.stillValid(key, ticket)) return;
    this.entries.delete(key);
    this.entries.set(key, { json, expiresAt: this.now() + ttlMs });
    const ns = namespaceOf(key);
    if (ns !== undefined) {
      let keys = this.byNamespace.get(ns);
      if (keys === undefined) this.byNamespace.set(ns, (keys = new Set()));
      keys.add(key);
    }
    while (this.entries.size > this.maxEntries) {
      this.remove(this.entries.keys().next().value as string);
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    this.remove(key);
  }

  async invalidateNamespace(ns: string): Promise<void> {
    assertNamespace(ns);
    this.lastInvalidated.delete(ns);
    this.lastInvalidated.set(ns, ++this.invalidationSeq);
    if (this.lastInvalidated.size > this.maxEntries) {
      const [oldest, seq] = this.lastInvalidated.entries().next().value as [string, number];
      this.lastInvalidated.delete(oldest);
      this.forgottenUpTo = seq;
    }
    const keys = this.byNamespace.get(ns);
    if (keys === undefined) return;
    for (const key of keys) this.entries.delete(key);
    this.byNamespace.delete(ns);
  }

  async invalidateAll(): Promise<void> {
    this.lastInvalidateAll = ++this.invalidationSeq;
    this.lastInvalidated.clear();
    this.forgottenUpTo = 0;
    this.entries.clear();
    this.byNamespace.clear();
  }

  stats(): ResponseCacheStats {
    return { hits: this.hits, misses: this.misses, errors: 0, size: this.entries.size };
  }

  async health(): Promise<ResponseCacheHealth> {
    return { ok: true };
  }

  async close(): Promise<void> {
    await this.invalidateAll();
  }

  private stillValid(key: string, ticket: CacheWriteTicket): boolean {
    if (ticket.key !== key)
      throw new RangeError(`ticket for ${JSON.stringify(ticket.key)} used to set ${JSON.stringify(key)}`);
    const taken = Number(ticket.generation);
    if (taken < this.lastInvalidateAll || taken < this.forgottenUpTo) return false;
    const ns = namespaceOf(key);
    return ns === undefined || taken >= (this.lastInvalidated.get(ns) ?? 0);
  }

  private remove(key: string): void {
    if (!this.entries.delete(key)) return;
    const ns = namespaceOf(key);
    if (ns === undefined) return;
    const keys = this.byNamespace.get(ns);
    keys?.delete(key);
    if (keys?.size === 0) this.byNamespace.delete(ns);
  }
}
