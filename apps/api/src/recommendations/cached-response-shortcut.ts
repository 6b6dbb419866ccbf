import { type CanActivate, Inject, Injectable, type Type } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ResponseCache } from '@encore/response-cache';
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AccessGuard } from '../auth/access.guard';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { REQUEST_ID_HEADER, requestIdOf, type RequestWithId } from '../common/request-id';
import { MetricsService } from '../metrics/metrics.service';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { SimilarSongsController, UserRecommendationsController } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';

/** How many URLs the shortcut remembers (least recently used dropped first), as many as the in-process cache holds answers. */
export const MAX_REMEMBERED_URLS = 10_000;

/** Headers that belong to one response and are never replayed from a remembered one. */
const PER_RESPONSE_HEADERS =
  /^(x-request-id|date|content-length|content-type|etag|retry-after.*|x-ratelimit-.*|connection|keep-alive)$/;

interface ShortcutRoute {
  /** The Express route pattern, as the metrics label it. */
  pattern: string;
  match: RegExp;
  controller: Type<unknown>;
  handler: (...args: never[]) => unknown;
}

/** The two cached GET routes; `match` captures the raw `:id` segment. */
const ROUTES: readonly ShortcutRoute[] = [
  {
    pattern: '/v1/users/:id/recommendations',
    match: /^\/v1\/users\/([^/?#]+)\/recommendations(?:\?|$)/,
    controller: UserRecommendationsController,
    handler: UserRecommendationsController.prototype.recommend,
  },
  {
    pattern: '/v1/songs/:id/similar',
    match: /^\/v1\/songs\/([^/?#]+)\/similar(?:\?|$)/,
    controller: SimilarSongsController,
    handler: SimilarSongsController.prototype.similar,
  },
];

interface RememberedUrl {
  cacheKey: string;
  modelVersion: string;
  /** The response headers Nest sent for this URL and Origin (helmet, CORS), minus the per-response ones. */
  headers: [string, string | number | readonly string[]][];
  /** The last body served and its ETag: the SHA-1 is only recomputed when the cached answer changed. */
  body?: string;
  etag?: string;
}

type ShortcutRequest = RequestWithId & {
  user?: unknown;
  params?: Record<string, string>;
  route?: { path: string };
  baseUrl?: string;
};

/**
 * Answers repeated GETs of recommendation and similar-song URLs straight from the response cache, in front of
 * Express. A hit then skips routing, the middleware chain, query validation, and the JSON parse and re-serialisation
 * of the cached body, which were nine tenths of a cached request's CPU.
 *
 * It knows nothing about query parameters: the first request for a URL goes through Nest, and the controller tells
 * the shortcut which cache key answered it (`remember`). Later requests for the identical URL, Origin and model
 * version look that key up. What a cached answer needs still runs, with the very instances the app uses: the JWT
 * guard (signature, expiry, revocation), the access guard (owner or admin), the response cache and its invalidation,
 * the rate limit, request ids and metrics. Anything else — no token, a failed guard, a miss, a conditional request,
 * an unknown URL — falls through to Nest untouched, which answers it exactly as before.
 */
@Injectable()
export class CachedResponseShortcut {
  private readonly remembered = new Map<string, RememberedUrl>();

  constructor(
    private readonly auth: JwtAuthGuard,
    private readonly access: AccessGuard,
    private readonly rateLimit: RateLimitGuard,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly recommendations: RecommendationsService,
    private readonly metrics: MetricsService,
  ) {}

  /** Puts the shortcut in front of the server's request listeners (Express). */
  install(server: Server): void {
    const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) =>
      this.handle(req, res, () => {
        for (const listener of listeners) listener(req, res);
      }),
    );
  }

  /** Called by the controllers once a cacheable answer for this request is in the cache under `cacheKey`. */
  remember(req: IncomingMessage, res: ServerResponse, cacheKey: string, modelVersion: string): void {
    if (req.method !== 'GET' || req.url === undefined || !ROUTES.some((r) => r.match.test(req.url as string))) return;
    const headers: RememberedUrl['headers'] = [];
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !PER_RESPONSE_HEADERS.test(name)) headers.push([name, value]);
    }
    const key = urlKey(req);
    this.remembered.delete(key);
    this.remembered.set(key, { cacheKey, modelVersion, headers });
    if (this.remembered.size > MAX_REMEMBERED_URLS) {
      this.remembered.delete(this.remembered.keys().next().value as string);
    }
  }

  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || req.headers.authorization === undefined) return next();
    // A conditional request needs Express's freshness rules (304s); they are rare enough to leave to it.
    if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return next();
    const entry = this.remembered.get(urlKey(req));
    if (entry === undefined || entry.modelVersion !== this.recommendations.modelVersion()) return next();
    let route: ShortcutRoute | undefined;
    let id: RegExpExecArray | null = null;
    for (const r of ROUTES) if ((id = r.match.exec(url)) !== null && (route = r)) break;
    if (route === undefined || id === null) return next();
    const started = process.hrtime.bigint();
    this.serve(req as ShortcutRequest, res, route, id[1], entry, started).then(
      (served) => served || next(),
      () => next(),
    );
  }

  private async serve(
    req: ShortcutRequest,
    res: ServerResponse,
    route: ShortcutRoute,
    rawId: string,
    entry: RememberedUrl,
    started: bigint,
  ): Promise<boolean> {
    // What the guards read from an Express request; Express sets them again if the request falls through.
    req.params = { id: decodeURIComponent(rawId) };
    req.route = { path: route.pattern };
    req.baseUrl = '';
    const context = new ExecutionContextHost([req, res, () => undefined], route.controller, route.handler);
    context.setType('http');
    if (!(await passes(this.auth, context)) || req.user === undefined || !(await passes(this.access, context))) {
      return false;
    }
    const body = await this.cache.getRaw(entry.cacheKey, { probe: true });
    if (body === undefined) return false;
    // Counted only now, so a request that falls through is counted once, by Nest.
    if (!(await passes(this.rateLimit, context))) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      return false;
    }
    if (res.headersSent || res.writableEnded) return true;
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    res.setHeader(REQUEST_ID_HEADER, requestIdOf(req));
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    if (entry.body !== body) {
      entry.etag = weakEtag(body);
      entry.body = body;
    }
    res.setHeader('etag', entry.etag as string);
    res.statusCode = 200;
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeRequest('GET', route.pattern, res.statusCode, seconds);
    });
    res.end(body);
    return true;
  }
}

async function passes(guard: CanActivate, context: ExecutionContextHost): Promise<boolean> {
  try {
    return (await guard.canActivate(context)) === true;
  } catch {
    return false;
  }
}

/** CORS answers differ by Origin, so the remembered headers are per URL and Origin. */
function urlKey(req: IncomingMessage): string {
  const origin = req.headers.origin;
  return origin === undefined ? (req.url as string) : `${origin} ${req.url as string}`;
}

/** The ETag Express gives a JSON body (`etag` package, weak): length in hex and 27 characters of base64 SHA-1. */
export function weakEtag(body: string): string {
  const hash = createHash('sha1').update(body, 'utf8').digest('base64').substring(0, 27);
  return `W/"${Buffer.byteLength(body, 'utf8').toString(16)}-${hash}"`;
}
