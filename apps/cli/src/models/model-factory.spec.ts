import { buildInteractionMatrix } from '@encore/features';
import { modelFromArtifact } from '@encore/model-presets';
import { UsageError } from '../args';
import {
  bestKnownFor,
  buildModel,
  defaultParams,
  matrixFor,
  MODEL_NAMES,
  modelInteractions,
  parseParamList,
  presetDataset,
  resolveParams,
} from './model-factory';

const noFeatures = { itemFeatures: () => null, format: 'csv' };

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

  it('takes the best model per data format from @encore/model-presets', () => {
    expect(presetDataset('movielens-100k')).toBe('movielens-100k');
    expect(presetDataset('lastfm-2k')).toBe('lastfm-2k');
    expect(presetDataset('csv')).toBe('interactions-csv');
    expect(presetDataset('simulated')).toBe('interactions-csv');
    expect(bestKnownFor('movielens-100k').model).toBe('best-movielens');
    expect(buildModel({ name: 'best', params: {} }, { ...noFeatures, format: 'lastfm-2k' }).kind).toBe('hybrid');
    expect(() => resolveParams('best', { factors: '8' }, noFeatures)).toThrow(
      new UsageError('best takes no parameters (it is als as tuned); give --model NAME to set them'),
    );
  });

  it('transforms the weights only for the best model, as its preset says', () => {
    const rows = [
      { userId: 'a', itemId: 'x', weight: Math.E - 1 },
      { userId: 'b', itemId: 'x', weight: 3 },
    ];
    const lastfm = { format: 'lastfm-2k' };
    expect(matrixFor('best', rows, lastfm).values(0)[0]).toBeCloseTo(1, 6);
    expect(matrixFor('als', rows, lastfm).values(1)[0]).toBe(3);
  });

  it.each(MODEL_NAMES.filter((m) => m !== 'content'))(
    'restores a fitted %s from its artifact state with the same lists',
    (name) => {
      const model = buildModel({ name, params: name === 'als' ? { factors: 4 } : {} }, noFeatures);
      model.fit(data);
      const restored = modelFromArtifact(model.toArtifact());
      expect(restored.kind).toBe(model.kind);
      expect(modelInteractions(restored).userIds).toEqual(data.userIds);
      for (let u = 0; u < data.users; u++) expect(restored.recommend(u, 3)).toEqual(model.recommend(u, 3));
    },
  );
});
