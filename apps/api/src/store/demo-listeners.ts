import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InteractionStore, type StoredInteraction } from '@encore/interaction-store';
import { DEMO_SIMULATION, simulateListeners } from '@encore/simulator';
import { CatalogService } from '../catalog/catalog.service';
import type { Environment } from '../config/environment';
import { parseEventWeights } from '../config/platform-settings';

/** Synthetic listener ids are `sim-u0001`…: they can never collide with account ids (UUIDs). */
export const DEMO_USER_PREFIX = 'sim-';

/**
 * DEMO_LISTENERS: fills an empty store with the simulator's seeded listeners so that collaborative filtering has
 * something to learn from on a fresh install. `ensureSeeded` is idempotent and memoised; StoreModule calls it once
 * every module is initialised, and a recommendation provider that trains during its own onModuleInit may call it
 * first (the catalog must be loaded by then: import CatalogModule).
 */
@Injectable()
export class DemoListeners {
  private readonly logger = new Logger(DemoListeners.name);
  private seeding: Promise<number> | undefined;

  constructor(
    private readonly config: ConfigService<Environment, true>,
    @Inject(InteractionStore) private readonly store: InteractionStore,
    private readonly catalogs: CatalogService,
  ) {}

  /** Resolves to the number of events inserted (0 when disabled or the store already had interactions). */
  ensureSeeded(): Promise<number> {
    this.seeding ??= this.seed();
    return this.seeding;
  }

  private async seed(): Promise<number> {
    if (!this.config.get('DEMO_LISTENERS', { infer: true })) return 0;
    if ((await this.store.countInteractions()) > 0) return 0;
    if (!this.catalogs.isLoaded) throw new Error('DemoListeners.ensureSeeded called before the catalog was loaded');
    const started = performance.now();
    const weights = parseEventWeights(this.config.get('EVENT_WEIGHTS', { infer: true }));
    const { users, events } = simulateListeners(this.catalogs.catalog, DEMO_SIMULATION);
    const rows: StoredInteraction[] = events.map((e, i) => ({
      // Deterministic ids make two replicas seeding one PostgreSQL at once insert each event only once.
      id: `demo-${i}`,
      userId: `${DEMO_USER_PREFIX}${e.userId}`,
      songId: e.itemId,
      event: e.event,
      weight: weights[e.event],
      timestamp: e.timestamp,
    }));
    // One call is one transaction: a crash leaves either every demo event or none.
    const inserted = await this.store.appendInteractions(rows);
    this.logger.log(
      `DEMO_LISTENERS: stored ${inserted} simulated events of ${users.length} listeners (${DEMO_USER_PREFIX}u0001…) ` +
        `in ${Math.round(performance.now() - started)} ms; set DEMO_LISTENERS=false to start empty`,
    );
    return inserted;
  }
}
