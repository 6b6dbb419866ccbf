import { Catalog } from '@encore/catalog';
import { runAlsTask, type AlsTaskRunner } from '@encore/collaborative';
import { decodeArtifact, encodeArtifact } from '@encore/model-artifact';
import {
  contractCatalog,
  contractInteractions,
  MemoryEngineArtifactStore,
  MemoryInteractionLog,
  recordingLog,
} from '../testing';
import { catalogFingerprint, EngineArtifactError, ENGINE_ARTIFACT_KIND } from './engine-artifact';
import { publishEngineModel } from './engine-artifact-store';
import { EngineModel, trainEngineModel, type EngineModelOptions } from './engine-model';
import { EngineRecommenderProvider } from './engine-recommender-provider';
import { trainAndEvaluateEngineModel } from './engine-training';

const SMALL: Partial<EngineModelOptions> = { als: { factors: 4, iterations: 5, regularization: 0.1 } };
const NOW = Date.UTC(2026, 10, 25, 12);
const USERS = ['u0', 'u3', 'u7', 'u11', 'newcomer'];

function trained(now = NOW): EngineModel {
  return trainEngineModel({
    catalog: contractCatalog(),
    interactions: contractInteractions(),
    options: SMALL,
    now,
    trainedThrough: { cursor: '42' },
  });
}

/** Through the real file encoding (checksums, little-endian blobs), as a store would keep it. */
function viaFiles(model: EngineModel) {
  const { files } = encodeArtifact(model.toArtifact(), { createdAt: new Date(NOW).toISOString() });
  return decodeArtifact(files).state;
}

/** Every strategy's list for a few users, similar songs and a guest list: what a restored model must reproduce. */
async function answers(p: EngineRecommenderProvider) {
  const out: unknown[] = [];
  for (const userId of USERS)
    for (const strategy of ['hybrid', 'cf', 'content', 'popular'] as const)
      out.push((await p.recommend({ userId, k: 6, strategy })).items);
  out.push((await p.similar({ songId: 's03', k: 5 })).items);
  out.push((await p.recommendForSession({ likedSongIds: ['s16', 's08'], k: 5 })).items);
  return out;
}

function providerServing(model: EngineModel): EngineRecommenderProvider {
  const p = new EngineRecommenderProvider({ catalog: model.catalog, interactions: () => [] });
  p.swapModel(model);
  return p;
}

describe('engine model artifacts', () => {
  it('restores a bundle that answers exactly like the trained model, with its version and report', async () => {
    const model = trained();
    const restored = EngineModel.fromArtifact(viaFiles(model), contractCatalog());
    expect(restored.version).toBe(model.version);
    expect(restored.report).toEqual(model.report);
    expect(restored.trainedAt).toBe(NOW);
    expect(restored.trainedThrough).toEqual({ cursor: '42' });
    expect(restored.options).toEqual(model.options);
    expect(restored.data.userIds).toEqual(model.data.userIds);
    expect(Array.from(restored.als.itemFactors)).toEqual(Array.from(model.als.itemFactors));
    expect(await answers(providerServing(restored))).toEqual(await answers(providerServing(model)));
  });

  it('stores the shared interaction matrix once and the id lists as blobs, keeping the manifest small', () => {
    const state = trained().toArtifact();
    expect(state.kind).toBe(ENGINE_ARTIFACT_KIND);
    // Four components were fitted on one matrix: one copy of its arrays, the rest are aliases.
    expect(Object.keys(state.blobs).filter((b) => b.endsWith('interactions.rowPtr'))).toEqual(['interactions.rowPtr']);
    expect(state.meta['blobAliases']).toMatchObject({
      'als.interactions.rowPtr': 'interactions.rowPtr',
      'itemKnn.interactions.colIdx': 'interactions.colIdx',
      'content.interactions.values': 'interactions.values',
      'popularity.interactions.rowPtr': 'interactions.rowPtr',
    });
    for (const name of [
      'als.itemFactors',
      'itemKnn.neighbours.values',
      'content.features.dense',
      'popularity.popularity',
    ])
      expect(state.blobs[name]).toBeDefined();
    const meta = JSON.stringify(state.meta);
    expect(meta).not.toContain('"s00"');
    expect(meta).not.toContain('"u0"');
  });

  it('refuses a catalog the model was not trained on, but not a renamed song', () => {
    const state = viaFiles(trained());
    const songs = Array.from({ length: contractCatalog().size }, (_, i) => contractCatalog().song(i));
    const retuned = Catalog.fromSongs(
      songs.map((s, i) => (i === 5 ? { ...s, features: { ...s.features, energy: 0.01 } } : s)),
    );
    const shorter = Catalog.fromSongs(songs.slice(0, -1));
    for (const other of [retuned, shorter]) {
      let error: unknown;
      try {
        EngineModel.fromArtifact(state, other);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EngineArtifactError);
      expect(error).toMatchObject({ problem: 'catalog-mismatch' });
      expect((error as Error).message).toMatch(
        /trained on another catalog \(24 songs, fingerprint [0-9a-f]{12}\) than the one loaded \(2[34] songs/,
      );
    }
    const renamed = Catalog.fromSongs(songs.map((s, i) => (i === 5 ? { ...s, name: 'Corrected title' } : s)));
    expect(catalogFingerprint(renamed)).toBe(catalogFingerprint(contractCatalog()));
    expect(EngineModel.fromArtifact(state, renamed).catalog.names[5]).toBe('Corrected title');
  });

  it('refuses other kinds and malformed bundles with a message naming the problem', () => {
    const state = viaFiles(trained());
    const catalog = contractCatalog();
    expect(() => EngineModel.fromArtifact({ ...state, kind: 'als' }, catalog)).toThrow(
      'a "als" artifact is not an Encore engine model (kind "encore-engine")',
    );
    expect(() => EngineModel.fromArtifact({ ...state, meta: { ...state.meta, bundleFormat: 2 } }, catalog)).toThrow(
      'engine bundle format 2 is not supported',
    );
    const { 'als.itemFactors': _gone, ...blobs } = state.blobs;
    expect(() => EngineModel.fromArtifact({ ...state, blobs }, catalog)).toThrow(
      /^malformed engine model: .*itemFactors.*missing/,
    );
  });

  it('evaluates on a held-out split, then trains the served model on everything', async () => {
    const steps: [number, string][] = [];
    const result = await trainAndEvaluateEngineModel({
      catalog: contractCatalog(),
      interactions: contractInteractions(),
      options: SMALL,
      now: NOW,
      onProgress: (progress, step) => steps.push([progress, step]),
    });
    expect(Object.keys(result.metrics).sort()).toEqual(
      [
        'coverage@10',
        'evaluatedUsers',
        'hitRate@10',
        'map@10',
        'ndcg@10',
        'novelty@10',
        'precision@10',
        'recall@10',
      ].sort(),
    );
    for (const name of ['precision@10', 'recall@10', 'ndcg@10', 'map@10']) {
      expect(result.metrics[name]).toBeGreaterThanOrEqual(0);
      expect(result.metrics[name]).toBeLessThanOrEqual(1);
    }
    // Every contract listener has at least 2 events, so each keeps one for the test side.
    expect(result.metrics['evaluatedUsers']).toBeGreaterThan(0);
    expect(result.model.report.events).toBe(contractInteractions().length);
    expect(result.model.version).toBe(trained().version);
    const progress = steps.map(([p]) => p);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(0.95);
    const bare = await trainAndEvaluateEngineModel({ catalog: contractCatalog(), interactions: [], evaluation: false });
    expect(bare.metrics).toEqual({});
    expect(bare.evaluation).toBeNull();
  });

  it('hands both ALS fits to an alsRunner, with the factors and metrics of the calling-thread run', async () => {
    // Three tasks per phase, each phase run last task first: order and split must not change a bit.
    let phases = 0;
    const parts = new Set<number>();
    const reversed: AlsTaskRunner = {
      parallelism: 3,
      shared: false,
      run: async (state, tasks) => {
        phases++;
        parts.add(tasks.length);
        for (const task of [...tasks].reverse()) runAlsTask(state, task);
      },
    };
    const input = { catalog: contractCatalog(), interactions: contractInteractions(), options: SMALL, now: NOW };
    const here = await trainAndEvaluateEngineModel(input);
    const split = await trainAndEvaluateEngineModel({ ...input, alsRunner: reversed });
    // Held-out fit and final fit: 5 iterations × 2 halves × (columns, gram, solve, maybe gram-inverse) each.
    expect(phases).toBeGreaterThanOrEqual(2 * 5 * 2 * 3);
    expect(Math.max(...parts)).toBe(3);
    expect(split.metrics).toEqual(here.metrics);
    expect(split.model.version).toBe(here.model.version);
    expect(Array.from(split.model.als.itemFactors)).toEqual(Array.from(here.model.als.itemFactors));
    expect(Array.from(split.model.als.userFactors)).toEqual(Array.from(here.model.als.userFactors));
  });

  it('publishes under the model version, reusing a sound version of the same name', async () => {
    const store = new MemoryEngineArtifactStore();
    const model = trained();
    expect(await publishEngineModel(store, model, { metrics: { 'ndcg@10': 0.5 } })).toEqual({
      version: model.version,
      reused: false,
    });
    expect(await publishEngineModel(store, trained())).toEqual({ version: model.version, reused: true });
    store.tamper(model.version);
    await expect(publishEngineModel(store, trained())).rejects.toMatchObject({ code: 'corrupt' });
  });
});

describe('EngineRecommenderProvider with an artifact store', () => {
  function provider(store: MemoryEngineArtifactStore, log: MemoryInteractionLog, extra = {}) {
    return new EngineRecommenderProvider({
      catalog: contractCatalog(),
      feed: log.feed,
      artifacts: store,
      model: SMALL,
      now: () => NOW,
      ...extra,
    });
  }

  it('trains, publishes and activates on a first start, then starts from the artifact without training', async () => {
    const store = new MemoryEngineArtifactStore();
    const log = new MemoryInteractionLog(contractInteractions());
    const first = provider(store, log);
    const report = await first.start();
    expect(report).toMatchObject({ loadedFrom: 'training', activeAtStart: null, events: log.events.length });
    expect(first.loadedFrom).toBe('training');
    expect(store.active).toBe(report.version);
    expect(log.reads).toEqual([undefined]);

    const logged = recordingLog();
    const second = provider(store, log, { log: logged });
    const again = await second.start();
    expect(again).toMatchObject({ loadedFrom: 'artifact', version: report.version, activeAtStart: report.version });
    expect(second.loadedFrom).toBe('artifact');
    // The log was only asked for what came after the model's training data: nothing was retrained.
    expect(log.reads).toEqual([undefined, String(log.events.length)]);
    expect(again.replayedEvents).toBe(0);
    expect((await second.health()).detail).toMatch(/; loaded from the artifact store$/);
    expect(await answers(second)).toEqual(await answers(first));
    expect(logged.messages.filter((m) => m.level === 'error')).toEqual([]);
  });

  it('folds in the feedback stored after the artifact was trained', async () => {
    const store = new MemoryEngineArtifactStore();
    const log = new MemoryInteractionLog(contractInteractions());
    await provider(store, log).start();
    // A newcomer likes three pop songs after the model was saved.
    log.append(
      ...['s16', 's17', 's18'].map((songId, i) => ({ userId: 'late', songId, event: 'like', timestamp: NOW + i })),
    );
    const restarted = provider(store, log);
    const report = await restarted.start();
    expect(report).toMatchObject({ loadedFrom: 'artifact', replayedEvents: 3 });
    const recs = await restarted.recommend({ userId: 'late', k: 2 });
    // Without the replay 'late' is a stranger and gets the popularity ranking (s00, s16); with it, more pop songs.
    expect(recs.items.map((i) => i.songId)).toEqual(['s19', 's20']);
    expect(recs.items[1].reason.text).toBe('Sounds like Pop song 2 by pop-artist-a, which you liked');
  });

  it.each([
    [
      'corrupt',
      (store: MemoryEngineArtifactStore, v: string) => void store.tamper(v),
      /has sha256 .* corrupt or was altered/,
    ],
    [
      'foreign',
      async (store: MemoryEngineArtifactStore) => {
        const other = Catalog.fromSongs([contractCatalog().song(0)]);
        const model = trainEngineModel({ catalog: other, interactions: [], now: NOW - 5000 });
        await store.publish(model.toArtifact(), { version: 'foreign' });
        store.active = 'foreign';
      },
      /trained on another catalog/,
    ],
  ])('logs a %s active artifact, trains instead and activates the new model', async (_, spoil, why) => {
    const store = new MemoryEngineArtifactStore();
    const log = new MemoryInteractionLog(contractInteractions());
    const { version } = await provider(store, log).start();
    await spoil(store, version);
    const spoiled = store.active as string;
    const logged = recordingLog();
    const p = provider(store, log, { log: logged, now: () => NOW + 60_000 });
    const report = await p.start();
    expect(report).toMatchObject({ loadedFrom: 'training', activeAtStart: spoiled });
    const errors = logged.messages.filter((m) => m.level === 'error').map((m) => m.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^active model ${spoiled} cannot be served: `));
    expect(errors[0]).toMatch(why);
    expect(store.active).toBe(report.version);
    expect(report.version).not.toBe(spoiled);
    expect((await p.recommend({ userId: 'u0', k: 3 })).items).toHaveLength(3);
  });

  it('still serves when the store cannot be read or written', async () => {
    const log = new MemoryInteractionLog(contractInteractions());
    const broken = new MemoryEngineArtifactStore();
    broken.activeVersion = () => Promise.reject(new Error('disk on fire'));
    broken.publish = () => Promise.reject(new Error('read-only file system'));
    const logged = recordingLog();
    const p = provider(broken, log, { log: logged });
    expect(await p.start()).toMatchObject({ loadedFrom: 'training' });
    expect(logged.messages.filter((m) => m.level === 'error').map((m) => m.message)).toEqual([
      'cannot read the active model version: disk on fire; training a new model instead',
      expect.stringMatching(/^could not save the trained model engine-.*: read-only file system$/),
    ]);
    expect((await p.recommend({ userId: 'u0', k: 2 })).items).toHaveLength(2);
  });

  it('loads a stored version on demand and keeps the served model when one cannot be loaded', async () => {
    const store = new MemoryEngineArtifactStore();
    const log = new MemoryInteractionLog(contractInteractions());
    const p = provider(store, log);
    const { version: first } = await p.start();
    const later = trainEngineModel({ catalog: contractCatalog(), interactions: log.events.slice(5), options: SMALL });
    const { version: second } = await publishEngineModel(store, later);
    await store.publish(later.toArtifact(), { version: 'broken' });
    store.tamper('broken');

    await expect(p.loadVersion(store, 'missing')).rejects.toMatchObject({ code: 'not-found' });
    await expect(p.loadVersion(store, 'broken')).rejects.toMatchObject({ code: 'corrupt' });
    expect(p.model?.version).toBe(first);
    expect((await p.recommend({ userId: 'u0', k: 1 })).modelVersion).toBe(first);

    await p.loadVersion(store, second);
    expect(p.loadedFrom).toBe('artifact');
    expect((await p.recommend({ userId: 'u0', k: 1 })).modelVersion).toBe(second);
  });
});
