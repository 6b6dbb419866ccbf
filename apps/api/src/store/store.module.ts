import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InteractionStore, PostgresInteractionStore, SqliteInteractionStore } from '@encore/interaction-store';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogModule } from '../catalog/catalog.module';
import type { Environment } from '../config/environment';
import { DemoListeners } from './demo-listeners';

export const SQLITE_FILE = 'encore.db';

/**
 * The interaction store (users + feedback log), chosen by config in one factory: PostgreSQL when DATABASE_URL is
 * set, else one SQLite file in ENCORE_DATA_DIR. The factory runs the migrations, so whoever injects the store gets
 * a ready one. Global: auth, feedback, admin and the recommendation provider all read it.
 */
export const interactionStoreProvider = {
  provide: InteractionStore,
  inject: [ConfigService],
  useFactory: async (config: ConfigService<Environment, true>): Promise<InteractionStore> => {
    const url = config.get('DATABASE_URL', { infer: true });
    let store: InteractionStore;
    if (url) {
      store = new PostgresInteractionStore({
        connectionString: url,
        schema: config.get('DATABASE_SCHEMA', { infer: true }),
      });
    } else {
      const dir = config.get('ENCORE_DATA_DIR', { infer: true });
      mkdirSync(dir, { recursive: true });
      store = new SqliteInteractionStore({ path: join(dir, SQLITE_FILE) });
    }
    try {
      await store.init();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  },
};

@Global()
@Module({
  imports: [CatalogModule],
  providers: [interactionStoreProvider, DemoListeners],
  exports: [InteractionStore, DemoListeners],
})
export class StoreModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(InteractionStore) private readonly store: InteractionStore,
    private readonly demo: DemoListeners,
  ) {}

  /** After every onModuleInit, so the catalog is loaded; a provider that trains earlier calls `ensureSeeded` itself. */
  async onApplicationBootstrap(): Promise<void> {
    await this.demo.ensureSeeded();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
