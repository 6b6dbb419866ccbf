import { Global, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RecommenderProvider } from '@encore/recommender-port';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../app/app.module';
import { configureApp, createApp, type CreateAppOptions } from '../app/create-app';
import { validateEnvironment, withOverrides } from '../config/environment';

export interface TestAppOptions extends CreateAppOptions {
  /** Binds this object as the RecommenderProvider (replacing any real binding), as a test double. */
  recommender?: RecommenderProvider;
  /** Other providers to replace by value (e.g. the TrainingRunner), keyed by their DI token. */
  overrides?: readonly { provide: unknown; useValue: unknown }[];
}

/** Makes the token resolvable app-wide when no recommendations module binds it yet; overridden in every case. */
@Global()
@Module({ providers: [{ provide: RecommenderProvider, useValue: null }], exports: [RecommenderProvider] })
class RecommenderStandInModule {}

/** The repository root, for tests that use the embedded sample catalog. */
export const WORKSPACE_ROOT = join(__dirname, '../../../..');

/**
 * The real application (createApp, as main.ts builds it), initialised but not listening;
 * supertest drives it through `app.getHttpServer()`. DASHBOARD_DIR defaults to a path that
 * does not exist so a locally built dashboard cannot change results, and process.env is left
 * as it was (ConfigModule copies validated values into it).
 *
 * Unless the test sets them: ENCORE_DATA_DIR is a fresh temporary directory (SQLite file, JWT key),
 * removed when the app is closed, DEMO_LISTENERS is off so stores start empty, and PASSWORD_HASH_COST is 10.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<INestApplication> {
  const saved = { ...process.env };
  const ownDataDir =
    options.env?.['ENCORE_DATA_DIR'] === undefined ? mkdtempSync(join(tmpdir(), 'encore-data-')) : undefined;
  try {
    const { recommender, overrides = [], ...rest } = options;
    const appOptions: CreateAppOptions = {
      logger: ['fatal', 'error'],
      ...rest,
      env: {
        DASHBOARD_DIR: join(WORKSPACE_ROOT, 'tmp/no-dashboard'),
        DEMO_LISTENERS: 'false',
        // Cheap password hashes keep sign-up-heavy suites fast; the default cost is covered by password-hasher.spec.
        PASSWORD_HASH_COST: '10',
        ...(ownDataDir && { ENCORE_DATA_DIR: ownDataDir }),
        ...options.env,
      },
    };
    const app =
      recommender || overrides.length > 0
        ? await createAppWithOverrides(appOptions, recommender, overrides)
        : await createApp(appOptions);
    if (ownDataDir) {
      const close = app.close.bind(app);
      app.close = async () => {
        await close();
        rmSync(ownDataDir, { recursive: true, force: true });
      };
    }
    return app;
  } catch (error) {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    throw error;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  }
}

/** What createApp does, through Nest's testing module so that providers can be overridden. */
async function createAppWithOverrides(
  options: CreateAppOptions,
  recommender: RecommenderProvider | undefined,
  overrides: readonly { provide: unknown; useValue: unknown }[],
): Promise<INestApplication> {
  validateEnvironment(withOverrides(options), options);
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(options), ...(recommender ? [RecommenderStandInModule] : [])],
  });
  if (recommender) builder = builder.overrideProvider(RecommenderProvider).useValue(recommender);
  for (const { provide, useValue } of overrides) builder = builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: options.logger ?? false, abortOnError: false });
  configureApp(app, { applyLogLevel: false });
  await app.init();
  return app;
}

/** A fresh temporary directory for ENCORE_DATA_DIR when a test needs it to outlive one app (restart tests). */
export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'encore-data-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
