import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FieldError, RecommendationsDto } from '@encore/api-contract';
import { EngineRecommenderProvider } from '@encore/provider-engine';
import { FallbackRecommenderProvider, PersonalizeRecommenderProvider } from '@encore/provider-personalize';
import { RecommenderProvider, UnknownSongError, type RecommendationResult } from '@encore/recommender-port';
import { cacheKey, ResponseCache } from '@encore/response-cache';
import { createHash } from 'node:crypto';
import { userCacheKey } from '../cache/cache-keys';
import { CatalogService } from '../catalog/catalog.service';
import { RequestValidationException } from '../common/validation';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { toSongDto } from '../songs/song-dto';
import {
  DEFAULT_K,
  type RecommendationsQueryDto,
  type SessionRecommendationsBody,
  type SimilarSongsQueryDto,
} from './recommendations.dto';

/**
 * A response as the JSON text sent (a `RecommendationsDto`, serialised once: the same text is cached and sent) and,
 * when it is in the cache, the key and model version it is cached under.
 */
export interface CachedAnswer {
  json: string;
  cacheKey?: string;
  modelVersion?: string;
}

/**
 * Turns requests into provider calls and provider results into wire responses (SongDto fields,
 * score, reason). Personal lists are cached under the listener's namespace, which feedback drops;
 * similar songs under a namespace per model version, so a new model never serves stale neighbours.
 * Answers that came from the fallback are not cached: the next request should try the primary again.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly config: ConfigService<Environment, true>,
    @Inject(RecommenderProvider) private readonly provider: RecommenderProvider,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly catalogs: CatalogService,
    private readonly metrics: MetricsService,
  ) {}

  async forUser(userId: string, query: RecommendationsQueryDto): Promise<CachedAnswer> {
    const k = this.checkK(query.k);
    const genres = this.checkGenres('genre', query.genre);
    const excludeGenres = this.checkGenres('excludeGenre', query.excludeGenre);
    const request = {
      userId,
      k,
      strategy: query.strategy ?? 'hybrid',
      genres,
      excludeGenres,
      exclude: query.exclude,
      diversity:
        query.maxPerArtist !== undefined || query.mmr !== undefined
          ? { maxPerArtist: query.maxPerArtist, mmrLambda: query.mmr }
          : undefined,
    };
    const { userId: _user, ...params } = request;
    const key = userCacheKey(userId, `recs:${this.modelVersion()}:${digest(params)}`);
    return this.cached(key, () => this.call('recommend', () => this.provider.recommend(request)));
  }

  async similar(songId: string, query: SimilarSongsQueryDto): Promise<CachedAnswer> {
    if (this.catalogs.catalog.indexOf(songId) < 0) throw new NotFoundException(`song ${songId} not found`);
    const k = this.checkK(query.k);
    const request = { songId, k, exclude: query.exclude };
    const key = cacheKey(`similar-${this.modelVersion().replace(/:/g, '_')}`, `${songId}:${digest(request)}`);
    return this.cached(key, () => this.call('similar', () => this.provider.similar(request)));
  }

  async forSession(body: SessionRecommendationsBody): Promise<RecommendationsDto> {
    const catalog = this.catalogs.catalog;
    const problems: FieldError[] = [];
    body.likedSongIds.forEach((id, i) => {
      if (catalog.indexOf(id) < 0) problems.push({ field: `likedSongIds[${i}]`, message: `unknown song id ${id}` });
    });
    if (problems.length > 0) throw new RequestValidationException(problems);
    const request = {
      likedSongIds: body.likedSongIds,
      k: this.checkK(body.k),
      genres: this.checkGenres('genre', body.genre),
      exclude: body.exclude,
    };
    return this.toDto(await this.call('recommendForSession', () => this.provider.recommendForSession(request)));
  }

  /** The version responses are cached under: the served engine model, or the Personalize campaign. */
  modelVersion(): string {
    const p = this.provider;
    if (p instanceof EngineRecommenderProvider) return p.model?.version ?? 'untrained';
    if (p instanceof FallbackRecommenderProvider && p.primary instanceof PersonalizeRecommenderProvider)
      return p.primary.modelVersion;
    return p.name;
  }

  private async cached(key: string, compute: () => Promise<RecommendationResult>): Promise<CachedAnswer> {
    const modelVersion = this.modelVersion();
    const hit = await this.cache.getRaw(key);
    if (hit !== undefined) return { json: hit, cacheKey: key, modelVersion };
    // Taken before computing: feedback that lands meanwhile voids the write instead of being outlived by it.
    const ticket = await this.cache.reserve(key);
    const result = await compute();
    const json = JSON.stringify(this.toDto(result));
    if (result.fallback) return { json };
    await this.cache.setRaw(key, json, this.config.get('CACHE_TTL_SECONDS', { infer: true }), ticket);
    return { json, cacheKey: key, modelVersion };
  }

  /** Provider failures become 503 (and a metric); an unknown song stays a 404. */
  private async call(operation: string, run: () => Promise<RecommendationResult>): Promise<RecommendationResult> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UnknownSongError) throw new NotFoundException(`song ${error.songId} not found`);
      this.metrics.recordProviderError(operation, this.provider.name);
      throw new ServiceUnavailableException(`recommendations are unavailable: ${(error as Error).message}`);
    }
  }

  private toDto(result: RecommendationResult): RecommendationsDto {
    const catalog = this.catalogs.catalog;
    const items: RecommendationsDto['items'] = [];
    for (const item of result.items) {
      const i = catalog.indexOf(item.songId);
      // A provider trained on another catalog may name songs this API cannot describe.
      if (i < 0) continue;
      items.push({ ...toSongDto(catalog, i), score: item.score, reason: item.reason });
    }
    return {
      items,
      provider: result.provider,
      modelVersion: result.modelVersion,
      ...(result.fallback && { fallback: result.fallback }),
    };
  }

  private checkK(k: number | undefined): number {
    const max = this.config.get('MAX_K', { infer: true });
    const value = k ?? Math.min(DEFAULT_K, max);
    if (value > max) throw new RequestValidationException([{ field: 'k', message: `must not be greater than ${max}` }]);
    return value;
  }

  private checkGenres(field: string, names: string[] | undefined): string[] | undefined {
    if (!names || names.length === 0) return undefined;
    const catalog = this.catalogs.catalog;
    const unknown = names.filter((g) => catalog.genreIndex(g) < 0);
    if (unknown.length > 0) {
      throw new RequestValidationException(
        unknown.map((g) => ({ field, message: `unknown genre ${JSON.stringify(g)} (see GET /v1/genres)` })),
      );
    }
    return names;
  }
}

/** A short, stable digest of the request parameters for cache keys (array order of sets does not matter). */
function digest(params: Record<string, unknown>): string {
  const canonical = JSON.stringify(params, (_key, value: unknown) =>
    Array.isArray(value) ? [...value].map(String).sort() : value,
  );
  return createHash('sha1').update(canonical).digest('base64url').slice(0, 16);
}
