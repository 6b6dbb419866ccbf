import { songFeatures } from '@encore/content';
import { Rng } from '@encore/linalg';
import { defineBenchCase } from '../bench-case';
import { fullCatalog, simulatedAls } from './bench-data';

const QUERIES = 1_000;

/** Fixed, seeded query targets so every run asks the same questions. */
function targets(n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: QUERIES }, () => rng.int(n));
}

/** "More like this" over the full catalog: one pass over ~90K item vectors per query. */
export const querySimilarSongs = defineBenchCase({
  id: 'query-similar-songs',
  name: 'query: similar songs (full catalog, top 10)',
  unit: 'queries',
  // Each query is timed on its own, so one repetition of 1,000 gives the percentiles.
  repeat: 1,
  setup: async (env) => {
    const catalog = await fullCatalog(env);
    return { features: songFeatures(catalog), seeds: targets(catalog.size, 11) };
  },
  run: ({ features, seeds }) => {
    const latenciesMs: number[] = [];
    for (const seed of seeds) {
      const t0 = performance.now();
      features.mostSimilar(seed, 10);
      latenciesMs.push(performance.now() - t0);
    }
    return { items: seeds.length, latenciesMs };
  },
});

/** A user's top 10 from ALS over the full catalog (scores every song, masks seen ones, heap-selects). */
export const queryUserTop10 = defineBenchCase({
  id: 'query-user-top10',
  name: 'query: user top-10, ALS (full catalog)',
  unit: 'queries',
  // Each query is timed on its own, so one repetition of 1,000 gives the percentiles.
  repeat: 1,
  setup: async (env) => {
    const { model, data } = await simulatedAls(env);
    return { model, users: targets(data.users, 12) };
  },
  run: ({ model, users }) => {
    const latenciesMs: number[] = [];
    for (const u of users) {
      const t0 = performance.now();
      model.recommend(u, 10);
      latenciesMs.push(performance.now() - t0);
    }
    return { items: users.length, latenciesMs };
  },
});
