import {
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ActivateModelResponse, ModelListDto } from '@encore/api-contract';
import { ArtifactStore, ArtifactStoreError } from '@encore/artifact-store';
import { EngineArtifactError, EngineRecommenderProvider, type EngineModel } from '@encore/provider-engine';
import { RecommenderProvider } from '@encore/recommender-port';
import { ResponseCache } from '@encore/response-cache';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { RecommendationsService } from '../recommendations/recommendations.service';

/**
 * Saved engine models: listing, activation (this replica swaps at once and writes ACTIVE), and
 * following activations made elsewhere by polling ACTIVE every MODEL_POLL_SECONDS. Activations and
 * polls run one at a time, so two swaps never interleave.
 */
@Injectable()
export class ModelsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Models');
  /** The ACTIVE value this replica last acted on; a poll only acts when ACTIVE names something else. */
  private lastActive: string | null = null;
  /** Feedback sequence number each version trained here had read up to (see EngineRecommenderProvider.swapModel). */
  private readonly trainedThrough = new Map<string, number>();
  private serial: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private pollFailureLogged = false;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    @Inject(ArtifactStore) private readonly store: ArtifactStore,
    private readonly engine: EngineRecommenderProvider,
    @Inject(RecommenderProvider) private readonly provider: RecommenderProvider,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly metrics: MetricsService,
    private readonly recommendations: RecommendationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // start() has finished (RecommendationsModule.onModuleInit): it served, or trained and activated, ACTIVE.
    await this.engine.start();
    this.lastActive = this.engine.model?.version ?? null;
    const seconds = this.config.get('MODEL_POLL_SECONDS', { infer: true });
    if (seconds > 0) {
      this.timer = setInterval(() => void this.followActive(), seconds * 1000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async list(): Promise<ModelListDto> {
    const [items, active] = await Promise.all([this.store.list(), this.store.activeVersion().catch(() => null)]);
    const served = this.engine.model;
    return {
      active,
      served: served ? { version: served.version, loadedFrom: this.engine.loadedFrom ?? 'training' } : null,
      items: items.map(({ version, manifest }) => ({
        version,
        kind: manifest.kind,
        createdAt: manifest.createdAt,
        metrics: manifest.metrics,
        trainingFingerprint: manifest.trainingFingerprint,
        params: manifest.params,
        active: version === active,
      })),
    };
  }

  /** Remembers how much live feedback a version trained here already includes. */
  rememberTraining(version: string, feedbackSequence: number): void {
    this.trainedThrough.set(version, feedbackSequence);
  }

  /**
   * Loads and verifies `version`, writes ACTIVE, then swaps it in, drops every cached response
   * (on every replica with a shared cache) and updates the model gauge. Nothing changes when the
   * version is missing (404) or cannot be served (422: corrupt, or trained on another catalog).
   */
  activate(version: string): Promise<ActivateModelResponse> {
    return this.exclusive(async () => {
      const previous = this.engine.model?.version ?? null;
      const model = await this.engine.prepareVersion(this.store, version).catch((error: unknown) => {
        throw httpError(version, error);
      });
      await this.store.activate(version).catch((error: unknown) => {
        throw httpError(version, error);
      });
      this.lastActive = version;
      await this.serve(model);
      this.logger.log(`activated model ${version} (was ${previous ?? 'none'})`);
      return { active: version, previous };
    });
  }

  /**
   * Serves the version ACTIVE names when it changed since this replica last acted on it: an activation
   * made by another replica (or by hand). Runs every MODEL_POLL_SECONDS; a version that cannot be
   * served is logged once and the current model stays.
   */
  followActive(): Promise<void> {
    return this.exclusive(() => this.poll());
  }

  private async poll(): Promise<void> {
    let active: string | null;
    try {
      active = await this.store.activeVersion();
      this.pollFailureLogged = false;
    } catch (error) {
      if (!this.pollFailureLogged) this.logger.warn(`cannot read the active model: ${(error as Error).message}`);
      this.pollFailureLogged = true;
      return;
    }
    if (active === null || active === this.lastActive) return;
    this.lastActive = active;
    if (active === this.engine.model?.version) return;
    try {
      await this.serve(await this.engine.prepareVersion(this.store, active));
      this.logger.log(`now serving model ${active}, activated elsewhere`);
    } catch (error) {
      this.logger.error(
        `the active model ${active} cannot be served here: ${(error as Error).message}; ` +
          `still serving ${this.engine.model?.version ?? 'nothing'}`,
      );
    }
  }

  private async serve(model: EngineModel): Promise<void> {
    this.engine.swapModel(model, {
      includesEventsThrough: this.trainedThrough.get(model.version),
      source: 'artifact',
    });
    await this.cache.invalidateAll();
    this.metrics.setModelVersion(this.provider.name, this.recommendations.modelVersion());
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.serial.then(task, task);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

/** Store and engine refusals as HTTP errors; anything else stays a 500. */
function httpError(version: string, error: unknown): unknown {
  if (error instanceof ArtifactStoreError) {
    if (error.code === 'not-found' || error.code === 'invalid-version')
      return new NotFoundException(`model version ${version} not found`);
    if (error.code === 'corrupt') {
      // The store names its directory; the detail (which file, which checksum) is what an admin needs.
      const detail = error.message.replace(/^model artifact .* is unusable: /, '');
      return new UnprocessableEntityException(`model version ${version} is corrupt: ${detail}`);
    }
  }
  if (error instanceof EngineArtifactError)
    return new UnprocessableEntityException(`model version ${version} cannot be served: ${error.message}`);
  return error;
}
