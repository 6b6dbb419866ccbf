import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '@encore/catalog';
import { ImplicitAls } from '@encore/collaborative';
import { parseLastfmUserArtists, parseMovieLens100k } from '@encore/datasets';
import type { InteractionMatrix } from '@encore/features';
import { ListenerSimulator, DEMO_SIMULATION } from '@encore/simulator';
import { buildMatrix } from '../../data/interaction-rows';
import { ingestFile } from '../../ingest/ingest-file';
import { BenchSkip, type BenchEnv } from '../bench-case';

// Inputs shared by several cases, built once per process (untimed, in the first setup that needs them).

function dataFile(env: BenchEnv, relative: string): string {
  const file = join(env.dataDir, relative);
  if (!existsSync(file)) throw new BenchSkip(`data not found: ${file}`);
  return file;
}

function memo<T>(build: (env: BenchEnv) => Promise<T>): (env: BenchEnv) => Promise<T> {
  let value: Promise<T> | null = null;
  return (env) => {
    value ??= build(env).catch((error) => {
      value = null;
      throw error;
    });
    return value;
  };
}

export const fullCatalog = memo(async (env): Promise<Catalog> => {
  const file = dataFile(env, 'spotify-tracks-114k/dataset.csv');
  return (await ingestFile(file, { workerScript: env.workerScript })).catalog;
});

/** MovieLens 100K, every rating an implicit play (as `encore evaluate --dataset movielens-100k`). */
export const movieLens = memo(async (env): Promise<InteractionMatrix> => {
  const text = readFileSync(dataFile(env, 'ml-100k/u.data'), 'utf8');
  return buildMatrix(parseMovieLens100k(text, { binary: true }));
});

/** HetRec Last.fm user–artist play counts. */
export const lastfm = memo(async (env): Promise<InteractionMatrix> => {
  const text = readFileSync(dataFile(env, 'hetrec2011-lastfm-2k/user_artists.dat'), 'utf8');
  return buildMatrix(parseLastfmUserArtists(text));
});

export const SIMULATED_USERS = 10_000;

/**
 * About 1M simulated play/like/skip events of 10,000 listeners over the full catalog, streamed
 * user by user into the matrix (item index = catalog index, so every song is a column).
 */
export const simulatedOnFullCatalog = memo(
  async (env): Promise<{ catalog: Catalog; data: InteractionMatrix; events: number }> => {
    const catalog = await fullCatalog(env);
    const sim = new ListenerSimulator(catalog, { ...DEMO_SIMULATION, users: SIMULATED_USERS, seed: 7 });
    let events = 0;
    function* all() {
      for (let u = 0; u < sim.users.length; u++) {
        for (const e of sim.eventsOf(u)) {
          events++;
          yield e;
        }
      }
    }
    const data = buildMatrix(all(), catalog.ids);
    return { catalog, data, events };
  },
);

export const ALS_BENCH_OPTIONS = { factors: 64, iterations: 15 } as const;

let fittedOnSimulated: ImplicitAls | null = null;

/** Remembers the model the training case fitted, so the query case need not fit it again. */
export function keepSimulatedAls(model: ImplicitAls): void {
  fittedOnSimulated = model;
}

export async function simulatedAls(env: BenchEnv): Promise<{ model: ImplicitAls; data: InteractionMatrix }> {
  const { data } = await simulatedOnFullCatalog(env);
  if (!fittedOnSimulated) {
    const model = new ImplicitAls(ALS_BENCH_OPTIONS);
    model.fit(data);
    fittedOnSimulated = model;
  }
  return { model: fittedOnSimulated, data };
}
