import { Dlae, Ease, ImplicitAls, ItemKnn, Rp3Beta } from '@encore/collaborative';
import { cloneModelState, contractInteractions, describeRecommenderContract } from '@encore/features/testing';
import { HybridRanker, PopularityRanker } from '@encore/hybrid';
import {
  BEST_MOVIELENS_PARAMS,
  MODEL_NAMES,
  createModel,
  isModelName,
  modelFromArtifact,
  type ModelName,
} from './model-factory';

const EXPECTED_KIND: Record<ModelName, string> = {
  popularity: 'popularity',
  'item-knn': 'item-knn',
  als: 'als',
  ease: 'ease',
  dlae: 'dlae',
  rp3beta: 'rp3beta',
  blend: 'hybrid',
  'best-movielens': 'hybrid',
};

/** Small enough for the 8 × 13 contract matrix; a blend needs its components. */
const PARAMS: Partial<Record<ModelName, object>> = {
  als: { factors: 4 },
  'best-movielens': { als: { factors: 4 } },
  blend: {
    components: [
      { model: 'rp3beta', weight: 1 },
      { model: 'item-knn', weight: 1 },
    ],
  },
};

describe('createModel', () => {
  describeRecommenderContract('best-movielens preset', {
    create: () => createModel('best-movielens'),
    fromArtifact: (s) => modelFromArtifact(s),
  });

  it.each(MODEL_NAMES.map((n) => [n]))('builds "%s" as an unfitted model of the right kind', (name) => {
    const model = createModel(name, PARAMS[name]);
    expect(model.kind).toBe(EXPECTED_KIND[name]);
    expect(() => model.recommend(0, 3)).toThrow();
    expect(isModelName(name)).toBe(true);
  });

  it('passes params to the model it builds', () => {
    expect((createModel('als', { factors: 8, alpha: 2 }) as ImplicitAls).options).toMatchObject({
      factors: 8,
      alpha: 2,
    });
    expect((createModel('ease', { regularization: 50 }) as Ease).options.regularization).toBe(50);
    expect((createModel('dlae', { dropout: 0.2 }) as Dlae).options).toMatchObject({
      dropout: 0.2,
      regularization: 150,
    });
    expect((createModel('item-knn', { neighbours: 7 }) as ItemKnn).options.neighbours).toBe(7);
    expect((createModel('rp3beta', { beta: 0.1 }) as Rp3Beta).options.beta).toBe(0.1);
    expect((createModel('popularity', { measure: 'weight' }) as PopularityRanker).options.measure).toBe('weight');
  });

  it('builds best-movielens from the tuned parameters, overridable part by part', () => {
    const best = createModel('best-movielens') as HybridRanker;
    expect(best.options).toMatchObject({ normalisation: 'zscore', candidates: 2000 });
    expect(best.weights).toMatchObject({ als: 0.7, dlae: 0.3 });
    const [als, dlae] = best.components;
    expect((als.model as ImplicitAls).options).toMatchObject({
      factors: 64,
      alpha: 4,
      regularization: 80,
      iterations: 15,
    });
    expect((dlae.model as Dlae).options).toMatchObject({
      regularization: 1000,
      dropout: 0.5,
      zeroDiagonal: false,
      userWeightExponent: 0.25,
      binarize: false,
    });

    const tweaked = createModel('best-movielens', {
      weights: { dlae: 0.5 },
      als: { factors: 16 },
      dlae: { dropout: 0.2 },
    }) as HybridRanker;
    expect(tweaked.weights).toMatchObject({ als: 0.7, dlae: 0.5 });
    expect((tweaked.components[0].model as ImplicitAls).options).toMatchObject({ factors: 16, alpha: 4 });
    expect((tweaked.components[1].model as Dlae).options).toMatchObject({ dropout: 0.2, regularization: 1000 });
    // The shared constant is not mutated by an override.
    expect(BEST_MOVIELENS_PARAMS.weights.dlae).toBe(0.3);
    expect(Object.isFrozen(BEST_MOVIELENS_PARAMS.als)).toBe(true);
  });

  it('builds a blend of named single models, z-scored unless told otherwise', () => {
    const blend = createModel('blend', {
      components: [
        { model: 'als', params: { factors: 4 }, weight: 0.7 },
        { model: 'rp3beta', params: { beta: 0.2 }, weight: 0.3, name: 'walk' },
      ],
    }) as HybridRanker;
    expect(blend.weights).toMatchObject({ als: 0.7, walk: 0.3 });
    expect(blend.options.normalisation).toBe('zscore');
    expect((blend.components[0].model as ImplicitAls).options.factors).toBe(4);
    expect((blend.components[1].model as Rp3Beta).options.beta).toBe(0.2);
    const rrf = createModel('blend', { components: [{ model: 'ease', weight: 1 }], hybrid: { normalisation: 'rrf' } });
    expect((rrf as HybridRanker).options.normalisation).toBe('rrf');
  });

  it('rejects a blend without components or with a component that is not a single model', () => {
    expect(() => createModel('blend')).toThrow('blend: params.components must list at least one { model, weight }');
    expect(() => createModel('blend', { components: [{ model: 'best-movielens', weight: 1 }] })).toThrow(
      'blend: component model "best-movielens" is not one of popularity, item-knn, als, ease, dlae, rp3beta',
    );
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(isModelName('svd')).toBe(false);
    expect(() => createModel('svd')).toThrow(
      'unknown model "svd"; expected one of popularity, item-knn, als, ease, dlae, rp3beta, blend, best-movielens',
    );
  });
});

describe('modelFromArtifact', () => {
  it.each(MODEL_NAMES.map((n) => [n]))('restores a fitted "%s" with identical recommendations', (name) => {
    const data = contractInteractions();
    const model = createModel(name, PARAMS[name]);
    model.fit(data);
    const restored = modelFromArtifact(cloneModelState(model.toArtifact()));
    expect(restored.kind).toBe(model.kind);
    for (let u = 0; u < data.users; u++) expect(restored.recommend(u, 4)).toEqual(model.recommend(u, 4));
  });

  it('names the unknown kind and the known ones', () => {
    expect(() => modelFromArtifact({ kind: 'svd', params: {}, blobs: {}, meta: {} })).toThrow(
      /no decoder for a "svd" artifact \(known: .*rp3beta.*hybrid/,
    );
  });
});
