import { ContentRecommender, type ItemFeatures } from '@encore/content';
import type { DatasetName, Interaction } from '@encore/datasets';
import type { InteractionMatrix, Recommender } from '@encore/features';
import { DEFAULT_HYBRID_OPTIONS, HybridRanker } from '@encore/hybrid';
import {
  bestKnownConfig,
  createBestModel,
  createModel,
  transformValues,
  type BestKnownConfig,
} from '@encore/model-presets';
import { UsageError } from '../args';
import { buildMatrix } from '../data/interaction-rows';

// The CLI's model names over @encore/model-presets, which builds every engine model and knows the
// best configuration per dataset. Only what needs the CLI's data stays here: content features
// (from a catalog or side files) for `content` and the content part of `hybrid`.

export const MODEL_NAMES = [
  'als',
  'item-knn',
  'ease',
  'dlae',
  'rp3beta',
  'popularity',
  'content',
  'hybrid',
  'best',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export type ParamValue = number | string | boolean;
export type ModelParams = Record<string, ParamValue>;

export interface ModelSpec {
  name: ModelName;
  params: ModelParams;
}

/** What building a model may need besides its parameters. */
export interface ModelEnv {
  /** Item vectors for content (and the hybrid's content part); null when the data has none. */
  itemFeatures(): ItemFeatures | null;
  /** The data's format ('movielens-100k', 'lastfm-2k', 'csv', 'simulated'): what `best` is chosen by. */
  format: string;
}

/** The hybrid's blend when no weights are given; content is dropped when the data has no item features. */
export const HYBRID_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  als: 0.4,
  'item-knn': 0.4,
  content: 0.1,
  popularity: 0.1,
});

/**
 * EASE and DLAE invert a dense items × items matrix (n³/2 multiply-adds): past this many items
 * `evaluate --model all` skips them.
 */
export const EASE_DEFAULT_MAX_ITEMS = 3_000;

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

export function assertModelName(name: string, flag = '--model'): ModelName {
  if (!isModelName(name))
    throw new UsageError(`${flag} ${JSON.stringify(name)} is not one of ${MODEL_NAMES.join(', ')}`);
  return name;
}

type Options = Record<string, unknown>;

function requireFeatures(env: ModelEnv, what: string): ItemFeatures {
  const features = env.itemFeatures();
  if (!features) {
    throw new UsageError(
      `${what} needs item features: use --dataset spotify-sim, a --catalog FILE whose song ids match the items, ` +
        'or movielens-100k / lastfm-2k with their item files next to the interactions',
    );
  }
  return features;
}

const BUILDERS: Record<ModelName, (options: Options, env: ModelEnv) => Recommender> = {
  als: (o) => createModel('als', o),
  'item-knn': (o) => createModel('item-knn', o),
  ease: (o) => createModel('ease', o),
  dlae: (o) => createModel('dlae', o),
  rp3beta: (o) => createModel('rp3beta', o),
  popularity: (o) => createModel('popularity', o),
  content: (o, env) => new ContentRecommender(requireFeatures(env, 'the content model'), o),
  hybrid: (o, env) => buildHybrid(o, env),
  best: (_o, env) => createBestModel(presetDataset(env.format)),
};

function buildHybrid(options: Options, env: ModelEnv): HybridRanker {
  const weights: Record<string, number> = {};
  const rest: Options = {};
  for (const [key, value] of Object.entries(options)) {
    if (key in HYBRID_WEIGHTS) weights[key] = value as number;
    else rest[key] = value;
  }
  const features = env.itemFeatures();
  if (!features && (weights['content'] ?? 0) > 0) requireFeatures(env, 'a hybrid with content weight > 0');
  const w = (name: string) => weights[name] ?? (name === 'content' && !features ? 0 : HYBRID_WEIGHTS[name]);
  const components = [
    { name: 'als', model: createModel('als'), weight: w('als') },
    { name: 'item-knn', model: createModel('item-knn'), weight: w('item-knn') },
    ...(features ? [{ name: 'content', model: new ContentRecommender(features), weight: w('content') }] : []),
    { name: 'popularity', model: createModel('popularity'), weight: w('popularity') },
  ];
  return new HybridRanker(components, rest);
}

/** Every option of a model with its default; the hybrid's also include the component weights. */
function defaultsOf(name: ModelName, env: ModelEnv): Options {
  if (name === 'hybrid') return { ...DEFAULT_HYBRID_OPTIONS, ...HYBRID_WEIGHTS };
  // The preset's parameters are nested (blend components); tune a single model by name instead.
  if (name === 'best') return {};
  return (BUILDERS[name]({}, env) as unknown as { options: Options }).options;
}

/** A parameter's value from text, typed like its default (number, boolean or string). */
function coerce(model: ModelName, key: string, raw: ParamValue, defaults: Options): ParamValue {
  const known = Object.keys(defaults).filter((k) => ['number', 'string', 'boolean'].includes(typeof defaults[k]));
  if (!known.includes(key)) {
    throw new UsageError(`${model} has no parameter "${key}" (parameters: ${known.sort().join(', ')})`);
  }
  const kind = typeof defaults[key];
  if (typeof raw === kind) return raw;
  const text = String(raw).trim();
  if (kind === 'number') {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n))
      throw new UsageError(`${model} parameter ${key} must be a number, got "${raw}"`);
    return n;
  }
  if (kind === 'boolean') {
    if (text !== 'true' && text !== 'false')
      throw new UsageError(`${model} parameter ${key} must be true or false, got "${raw}"`);
    return text === 'true';
  }
  return text;
}

/** The default value of every scalar parameter of a model (what `--param` may set). */
export function defaultParams(name: ModelName, env: ModelEnv): ModelParams {
  const defaults = defaultsOf(name, env);
  return Object.fromEntries(
    Object.entries(defaults).filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v)),
  ) as ModelParams;
}

/** Checks and types parameters against the model's defaults; unknown names are usage errors. */
export function resolveParams(
  name: ModelName,
  params: Readonly<Record<string, ParamValue>>,
  env: ModelEnv,
): ModelParams {
  if (name === 'best' && Object.keys(params).length > 0)
    throw new UsageError(
      `best takes no parameters (it is ${bestKnownFor(env.format).model} as tuned); give --model NAME to set them`,
    );
  const defaults = defaultsOf(name, env);
  const out: ModelParams = {};
  for (const [key, raw] of Object.entries(params)) out[key] = coerce(name, key, raw, defaults);
  return out;
}

/** A fresh, unfitted model. Engine constructors validate ranges (e.g. factors ≥ 1) and their errors are usage errors. */
export function buildModel(spec: ModelSpec, env: ModelEnv): Recommender {
  const params = resolveParams(spec.name, spec.params, env);
  try {
    return BUILDERS[spec.name](params, env);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** `["factors=32", "alpha=2"]` → { factors: '32', alpha: '2' } (typed later against the model). */
export function parseParamList(list: readonly string[], flag = '--param'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list.flatMap((p) => p.split(','))) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${JSON.stringify(item)}: expected NAME=VALUE`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** The @encore/model-presets dataset a CLI data format stands for: a known benchmark, else generic interactions. */
export function presetDataset(format: string): DatasetName {
  return format === 'movielens-100k' || format === 'lastfm-2k' ? format : 'interactions-csv';
}

/** The best configuration Encore knows for data of this format (BEST_KNOWN of @encore/model-presets). */
export function bestKnownFor(format: string): BestKnownConfig {
  return bestKnownConfig(presetDataset(format));
}

/** "best-movielens" for `best` on MovieLens, else the name itself: what a report calls the model. */
export function modelLabel(name: ModelName, env: Pick<ModelEnv, 'format'>): string {
  return name === 'best' ? `best (${bestKnownFor(env.format).model})` : name;
}

/** The matrix a model fits: `best` transforms the weights as its preset says (e.g. log1p plays), others take them as is. */
export function matrixFor(
  name: ModelName,
  rows: readonly Interaction[],
  env: Pick<ModelEnv, 'format'>,
): InteractionMatrix {
  return buildMatrix(name === 'best' ? transformValues(rows, bestKnownFor(env.format).values) : rows);
}

/** The interactions a fitted model was trained on (every engine model keeps them to leave out seen items). */
export function modelInteractions(model: Recommender): InteractionMatrix {
  const data = (model as unknown as { interactions?: InteractionMatrix }).interactions;
  if (!data) throw new Error(`${model.kind}: the model does not expose its training interactions`);
  return data;
}
