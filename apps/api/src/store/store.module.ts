import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  DynamoInteractionStore,
  InteractionStore,
  PostgresInteractionStore,
  SqliteInteractionStore,
} from '@encore/interaction-store';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogModule } from '../catalog/catalog.module';
import type { Environment } from '../config/environment';
import { DemoListeners } from './demo-listeners';

export const SQLITE_FILE = 'encore.db';

/**
 * The interaction store (users + feedback log), chosen by INTERACTION_STORE in one factory: PostgreSQL
 * (DATABASE_URL), DynamoDB (the serverless deployment) or one SQLite file in ENCORE_DATA_DIR. The factory runs the
 * migrations (creates the DynamoDB tables), so whoever injects the store gets a ready one. Global: auth, feedback,
 * admin and the recommendation provider all read it.
 */
export const interactionStoreProvider = {
  provide: InteractionStore,
  inject: [ConfigService],
  useFactory: async (config: ConfigService<Environment, true>): Promise<InteractionStore> => {
    const store = openInteractionStore(config);
    try {
      await store.init();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  },
};

function openInteractionStore(config: ConfigService<Environment, true>): InteractionStore {
  switch (config.get('INTERACTION_STORE', { infer: true })) {
    case 'postgres':
      return new PostgresInteractionStore({
        connectionString: config.get('DATABASE_URL', { infer: true }) as string,
        schema: config.get('DATABASE_SCHEMA', { infer: true }),
      });
    case 'dynamodb': {
      const endpoint = config.get('DYNAMODB_ENDPOINT', { infer: true });
      const region = config.get('AWS_REGION', { infer: true });
      return new DynamoInteractionStore({
        tablePrefix: config.get('DYNAMODB_TABLE_PREFIX', { infer: true }),
        // Region and credentials otherwise come from the SDK's default chain (Lambda sets AWS_REGION itself).
        clientConfig: { ...(endpoint && { endpoint }), ...(region && { region }) },
      });
    }
    default: {
      const dir = config.get('ENCORE_DATA_DIR', { infer: true });
      mkdirSync(dir, { recursive: true });
      return new SqliteInteractionStore({ path: join(dir, SQLITE_FILE) });
    }
  }
}

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
