import { buildInteractionMatrix } from '@encore/features';
import { UsageError } from '../args';
import {
  bestKnownModel,
  buildModel,
  defaultParams,
  MODEL_NAMES,
  modelInteractions,
  parseParamList,
  resolveParams,
  restoreModel,
} from './model-factory';

const noFeatures = { itemFeatures: () => null };

// Two taste groups of four users and four items each.
const data = buildInteractionMatrix(
  Array.from({ length: 8 }, (_, u) =>
    Array.from({ length: 3 }, (_, j) => ({ userId: `u${u}`, itemId: `i${(u < 4 ? 0 : 4) + ((u + j) % 4)}` })),
  ).flat(),
);

describe('model factory', () => {
  it('types --param values against the defaults', () => {
    expect(resolveParams('als', { factors: '16', scaling: 'log', computeLoss: 'true' }, noFeatures)).toEqual({
      factors: 16,
      scaling: 'log',
      computeLoss: true,
    });
    expect(resolveParams('hybrid', { als: '0.7', normalisation: 'rrf' }, noFeatures)).toEqual({
      als: 0.7,
      normalisation: 'rrf',
    });
    expect(defaultParams('ease', noFeatures)).toEqual({ regularization: 500, maxItems: 10_000, binarize: true });
  });

  it.each([
    [{ factor: '8' }, /^als has no parameter "factor" \(parameters: alpha, cgSteps, computeLoss, epsilon, factors,/],
    [{ factors: '8x' }, 'als parameter factors must be a number, got "8x"'],
    [{ computeLoss: 'yes' }, 'als parameter computeLoss must be true or false, got "yes"'],
  ])('refuses %j as a usage error', (params, message) => {
    expect(() => resolveParams('als', params, noFeatures)).toThrow(message);
    expect(() => resolveParams('als', params, noFeatures)).toThrow(UsageError);
  });

  it('turns an engine range error into a usage error and asks for features for content', () => {
    expect(() => buildModel({ name: 'als', params: { regularization: -1 } }, noFeatures)).toThrow(
      new UsageError('als: regularization must be > 0, got -1'),
    );
    expect(() => buildModel({ name: 'content', params: {} }, noFeatures)).toThrow(
      /the content model needs item features/,
    );
  });

  it('splits --param lists on commas and repeats', () => {
    expect(parseParamList(['factors=8,alpha=2', 'scaling=log'])).toEqual({ factors: '8', alpha: '2', scaling: 'log' });
    expect(() => parseParamList(['factors'])).toThrow('--param "factors": expected NAME=VALUE');
  });

  it('picks the best known model per dataset, else EASE up to 3,000 items, else ALS', () => {
    expect(bestKnownModel('movielens-100k', { items: 1682 })).toEqual({
      name: 'ease',
      params: { regularization: 500 },
    });
    expect(bestKnownModel('lastfm-2k', { items: 17_632 }).name).toBe('rp3beta');
    expect(bestKnownModel('csv', { items: 3_000 }).name).toBe('ease');
    expect(bestKnownModel('csv', { items: 3_001 }).name).toBe('als');
  });

  it.each(MODEL_NAMES.filter((m) => m !== 'content'))(
    'restores a fitted %s from its artifact state with the same lists',
    (name) => {
      const model = buildModel({ name, params: name === 'als' ? { factors: 4 } : {} }, noFeatures);
      model.fit(data);
      const restored = restoreModel(model.toArtifact());
      expect(restored.kind).toBe(model.kind);
      expect(modelInteractions(restored).userIds).toEqual(data.userIds);
      for (let u = 0; u < data.users; u++) expect(restored.recommend(u, 3)).toEqual(model.recommend(u, 3));
    },
  );

  it('names the kinds it can restore', () => {
    expect(() => restoreModel({ kind: 'svd', params: {}, blobs: {}, meta: {} })).toThrow(
      'artifact holds a "svd" model; this CLI restores item-knn, als, ease, content, popularity, rp3beta, hybrid',
    );
  });
});
