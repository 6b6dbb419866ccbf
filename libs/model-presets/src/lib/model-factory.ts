import {
  Dlae,
  Ease,
  ImplicitAls,
  ItemKnn,
  Rp3Beta,
  type DlaeOptions,
  type EaseOptions,
  type ImplicitAlsOptions,
  type ItemKnnOptions,
  type Rp3BetaOptions,
} from '@encore/collaborative';
import type { Recommender } from '@encore/features';
import {
  DEFAULT_COMPONENT_DECODERS,
  HybridRanker,
  PopularityRanker,
  type ComponentDecoder,
  type HybridRankerOptions,
  type PopularityRankerOptions,
} from '@encore/hybrid';
import type { ModelState } from '@encore/model-artifact';

/** Every model the factory builds by name. */
export const MODEL_NAMES = [
  'popularity',
  'item-knn',
  'als',
  'ease',
  'dlae',
  'rp3beta',
  'blend',
  'best-movielens',
] as const;

export type ModelName = (typeof MODEL_NAMES)[number];

/** The single models a blend can be made of. */
export type SingleModelName = Exclude<ModelName, 'blend' | 'best-movielens'>;

export interface BlendComponentSpec {
  model: SingleModelName;
  params?: Record<string, unknown>;
  /** Only the ratio between weights matters for ranking. */
  weight: number;
  /** Component name in the HybridRanker and its artifact; defaults to `model`. */
  name?: string;
}

/**
 * A HybridRanker over single models. Normalisation defaults to 'zscore' (each component's scores
 * for a user standardised over its top `candidates` unseen items): the blends here were tuned so,
 * with `candidates` at least the number of items.
 */
export interface BlendParams {
  components: BlendComponentSpec[];
  hybrid?: Partial<HybridRankerOptions>;
}

/** Overrides of the tuned MovieLens blend, part by part. */
export interface BestMovielensParams {
  als?: Partial<ImplicitAlsOptions>;
  dlae?: Partial<DlaeOptions>;
  weights?: { als?: number; dlae?: number };
  hybrid?: Partial<HybridRankerOptions>;
}

export interface ModelParams {
  popularity: Partial<PopularityRankerOptions>;
  'item-knn': Partial<ItemKnnOptions>;
  als: Partial<ImplicitAlsOptions>;
  ease: Partial<EaseOptions>;
  dlae: Partial<DlaeOptions>;
  rp3beta: Partial<Rp3BetaOptions>;
  blend: BlendParams;
  'best-movielens': BestMovielensParams;
}

/**
 * The configuration that scored best on MovieLens 100K (selected by 10-, 20- and 40-fold
 * cross-validation inside the 75% training part of the Recommenders split, see BEST_KNOWN): ALS on
 * ratings as confidences (c = 1 + 4·rating, λ 80, 64 factors) blended 0.7 : 0.3 with DLAE on the
 * ratings (λ 1000, dropout 0.5, users weighted by |I_u|^−0.25).
 */
export const BEST_MOVIELENS_PARAMS: Readonly<{
  als: Readonly<Partial<ImplicitAlsOptions>>;
  dlae: Readonly<Partial<DlaeOptions>>;
  weights: Readonly<{ als: number; dlae: number }>;
  hybrid: Readonly<Partial<HybridRankerOptions>>;
}> = Object.freeze({
  als: Object.freeze({ factors: 64, alpha: 4, regularization: 80, iterations: 15, scaling: 'linear', seed: 42 }),
  dlae: Object.freeze({
    regularization: 1000,
    dropout: 0.5,
    zeroDiagonal: false,
    userWeightExponent: 0.25,
    binarize: false,
  }),
  weights: Object.freeze({ als: 0.7, dlae: 0.3 }),
  hybrid: Object.freeze({ normalisation: 'zscore', candidates: 2000 }),
});

const SINGLE_MODELS: ReadonlySet<string> = new Set(MODEL_NAMES.filter((n) => n !== 'blend' && n !== 'best-movielens'));

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh, unfitted model by name. `params` override the model's defaults ('best-movielens':
 * the tuned values in BEST_MOVIELENS_PARAMS; each part merges separately).
 */
export function createModel<N extends ModelName>(name: N, params?: ModelParams[N]): Recommender;
export function createModel(name: string, params?: object): Recommender;
export function createModel(name: string, params: object = {}): Recommender {
  switch (name) {
    case 'popularity':
      return new PopularityRanker(params as ModelParams['popularity']);
    case 'item-knn':
      return new ItemKnn(params as ModelParams['item-knn']);
    case 'als':
      return new ImplicitAls(params as ModelParams['als']);
    case 'ease':
      return new Ease(params as ModelParams['ease']);
    case 'dlae':
      return new Dlae(params as ModelParams['dlae']);
    case 'rp3beta':
      return new Rp3Beta(params as ModelParams['rp3beta']);
    case 'blend':
      return blend(params as Partial<BlendParams>);
    case 'best-movielens':
      return bestMovielens(params as BestMovielensParams);
    default:
      throw new Error(`unknown model "${name}"; expected one of ${MODEL_NAMES.join(', ')}`);
  }
}

function blend(params: Partial<BlendParams>): HybridRanker {
  const components = params.components;
  if (!Array.isArray(components) || components.length === 0)
    throw new Error('blend: params.components must list at least one { model, weight }');
  return new HybridRanker(
    components.map((c) => {
      if (!SINGLE_MODELS.has(c.model))
        throw new Error(`blend: component model "${c.model}" is not one of ${[...SINGLE_MODELS].join(', ')}`);
      return { name: c.name ?? c.model, model: createModel(c.model, c.params), weight: c.weight };
    }),
    { normalisation: 'zscore', ...params.hybrid },
  );
}

function bestMovielens(params: BestMovielensParams): HybridRanker {
  const base = BEST_MOVIELENS_PARAMS;
  const weights = { ...base.weights, ...params.weights };
  return blend({
    components: [
      { model: 'als', params: { ...base.als, ...params.als }, weight: weights.als },
      { model: 'dlae', params: { ...base.dlae, ...params.dlae }, weight: weights.dlae },
    ],
    hybrid: { ...base.hybrid, ...params.hybrid },
  });
}

/** fromArtifact of every model the factory can build, by artifact kind (HybridRanker's nested components included). */
export const MODEL_DECODERS: Readonly<Record<string, ComponentDecoder>> = Object.freeze({
  ...DEFAULT_COMPONENT_DECODERS,
  rp3beta: (s: ModelState) => Rp3Beta.fromArtifact(s),
  dlae: (s: ModelState) => Dlae.fromArtifact(s),
  hybrid: (s: ModelState) => HybridRanker.fromArtifact(s, MODEL_DECODERS),
});

/** Restores any model this library can create (or a hybrid nesting them) from its artifact. */
export function modelFromArtifact(state: ModelState): Recommender {
  const decode = MODEL_DECODERS[state.kind];
  if (!decode)
    throw new Error(`no decoder for a "${state.kind}" artifact (known: ${Object.keys(MODEL_DECODERS).join(', ')})`);
  return decode(state);
}
