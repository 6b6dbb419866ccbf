import { AUDIO_FEATURES, type Catalog } from '@encore/catalog';
import { ImplicitAls, ItemKnn } from '@encore/collaborative';
import { ContentRecommender } from '@encore/content';
import { blobOf, InteractionMatrix, type Recommender } from '@encore/features';
import { PopularityRanker } from '@encore/hybrid';
import type { Blob, ModelState } from '@encore/model-artifact';
import { createHash } from 'node:crypto';
import type {
  EngineComponents,
  EngineModel,
  EngineModelOptions,
  EngineModelParts,
  EngineTrainingReport,
  FeedPosition,
} from './engine-model';

/** `kind` of an engine bundle artifact. */
export const ENGINE_ARTIFACT_KIND = 'encore-engine';
/** Layout of the bundle inside the artifact; bumped when it changes, and other values are refused. */
export const ENGINE_BUNDLE_FORMAT = 1;

export type EngineArtifactProblem = 'invalid' | 'catalog-mismatch';

/** A stored state that cannot be served: not an engine bundle, malformed, or trained on another catalog. */
export class EngineArtifactError extends Error {
  constructor(
    readonly problem: EngineArtifactProblem,
    message: string,
  ) {
    super(message);
    this.name = 'EngineArtifactError';
  }
}

type ComponentName = keyof EngineComponents;

/** Each component's blobs are stored as `<name>.<blob>`; restored with its own fromArtifact. */
const COMPONENTS: Readonly<Record<ComponentName, { kind: string; decode: (s: ModelState) => Recommender }>> = {
  als: { kind: 'als', decode: (s) => ImplicitAls.fromArtifact(s) },
  itemKnn: { kind: 'item-knn', decode: (s) => ItemKnn.fromArtifact(s) },
  content: { kind: 'content', decode: (s) => ContentRecommender.fromArtifact(s) },
  popularity: { kind: 'popularity', decode: (s) => PopularityRanker.fromArtifact(s) },
};
const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];

// Id lists are the bulk of the metadata (the catalog's song ids); they are stored once, as blobs, so the
// manifest stays small enough to list many versions quickly, and component metadata refers to them.
const SHARED_USER_IDS = '$userIds';
const SHARED_ITEM_IDS = '$itemIds';

interface StoredComponent {
  kind: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
}

interface BundleMeta {
  bundleFormat: number;
  version: string;
  trainedAt: number;
  trainedThrough: FeedPosition | null;
  report: EngineTrainingReport;
  catalog: { songs: number; fingerprint: string };
  components: Record<string, StoredComponent>;
  /** Component blob name → the bundle blob holding the very same array (the shared interaction matrix). */
  blobAliases: Record<string, string>;
}

/**
 * SHA-256 over every catalog column a model depends on: ids and their order (item index = catalog
 * index), artists, genres, popularity and audio features. Names and albums only label songs, so a
 * corrected title does not invalidate saved models.
 */
export function catalogFingerprint(catalog: Catalog): string {
  const h = createHash('sha256');
  const bytes = (a: Int32Array | Float32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(JSON.stringify(catalog.ids));
  h.update(JSON.stringify(catalog.artistNames));
  h.update(JSON.stringify(catalog.genreNames));
  for (const a of [catalog.artistOffsets, catalog.artistIds, catalog.genreOffsets, catalog.genreIds])
    h.update(bytes(a));
  h.update(bytes(catalog.popularity));
  h.update(bytes(catalog.durationMs));
  h.update(bytes(catalog.explicit));
  for (const f of AUDIO_FEATURES) h.update(bytes(catalog.audio[f]));
  return h.digest('hex');
}

/** The model's state: its components' artifacts nested by name, blobs shared between them stored once. */
export function encodeEngineBundle(model: EngineModel): ModelState {
  const data = model.data;
  const own = data.toState();
  const blobs: Record<string, Blob> = {
    ...own.blobs,
    userIds: encodeStrings(data.userIds),
    itemIds: encodeStrings(data.itemIds),
  };
  const stored = new Map<Blob, string>(Object.entries(own.blobs).map(([name, b]) => [b, name]));
  const blobAliases: Record<string, string> = {};
  const components: Record<string, StoredComponent> = {};
  for (const name of COMPONENT_NAMES) {
    const state = model[name].toArtifact();
    for (const [blobName, blob] of Object.entries(state.blobs)) {
      const full = `${name}.${blobName}`;
      const earlier = stored.get(blob);
      if (earlier !== undefined) blobAliases[full] = earlier;
      else {
        blobs[full] = blob;
        stored.set(blob, full);
      }
    }
    components[name] = {
      kind: state.kind,
      params: state.params,
      meta: shareIds(state.meta, data) as StoredComponent['meta'],
    };
  }
  const meta: BundleMeta = {
    bundleFormat: ENGINE_BUNDLE_FORMAT,
    version: model.version,
    trainedAt: model.trainedAt,
    trainedThrough: model.trainedThrough,
    report: model.report,
    catalog: { songs: model.catalog.size, fingerprint: catalogFingerprint(model.catalog) },
    components,
    blobAliases,
  };
  return {
    kind: ENGINE_ARTIFACT_KIND,
    params: { options: model.options, eventWeights: model.eventWeights },
    blobs,
    meta: meta as unknown as Record<string, unknown>,
  };
}

/**
 * The parts of a saved bundle, checked against `catalog`. Every failure is an EngineArtifactError
 * whose message says what is wrong (the component's own message for a malformed component).
 */
export function decodeEngineBundle(state: ModelState, catalog: Catalog): Omit<EngineModelParts, 'catalog'> {
  if (state.kind !== ENGINE_ARTIFACT_KIND) {
    throw new EngineArtifactError(
      'invalid',
      `a "${state.kind}" artifact is not an Encore engine model (kind "${ENGINE_ARTIFACT_KIND}")`,
    );
  }
  const meta = state.meta as Partial<BundleMeta>;
  if (meta.bundleFormat !== ENGINE_BUNDLE_FORMAT) {
    throw new EngineArtifactError(
      'invalid',
      `engine bundle format ${JSON.stringify(meta.bundleFormat)} is not supported (this build reads format ${ENGINE_BUNDLE_FORMAT})`,
    );
  }
  const saved = meta.catalog;
  const fingerprint = catalogFingerprint(catalog);
  if (!saved || saved.songs !== catalog.size || saved.fingerprint !== fingerprint) {
    throw new EngineArtifactError(
      'catalog-mismatch',
      `the model was trained on another catalog (${saved?.songs ?? '?'} songs, fingerprint ${String(saved?.fingerprint).slice(0, 12)}) ` +
        `than the one loaded (${catalog.size} songs, fingerprint ${fingerprint.slice(0, 12)})`,
    );
  }
  try {
    const params = state.params as { options?: EngineModelOptions; eventWeights?: Record<string, number> };
    if (!params.options || !params.eventWeights) throw new Error('params lack options or eventWeights');
    if (typeof meta.version !== 'string' || typeof meta.trainedAt !== 'number' || !meta.report)
      throw new Error('meta lacks version, trainedAt or report');
    const userIds = decodeStrings(blobOf(state.blobs, 'userIds', Uint8Array));
    const itemIds = decodeStrings(blobOf(state.blobs, 'itemIds', Uint8Array));
    const data = InteractionMatrix.fromState(state.blobs, { userIds, itemIds });
    if (data.items !== catalog.size) throw new Error(`${data.items} items for ${catalog.size} catalog songs`);
    const aliases = meta.blobAliases ?? {};
    const restored = {} as Record<ComponentName, Recommender>;
    for (const name of COMPONENT_NAMES) {
      const entry = meta.components?.[name];
      if (!entry) throw new Error(`component ${name} is missing`);
      const { kind, decode } = COMPONENTS[name];
      if (entry.kind !== kind) throw new Error(`component ${name} is a "${entry.kind}" model, expected "${kind}"`);
      const prefix = `${name}.`;
      const blobs: Record<string, Blob> = {};
      for (const [blobName, blob] of Object.entries(state.blobs))
        if (blobName.startsWith(prefix)) blobs[blobName.slice(prefix.length)] = blob;
      for (const [blobName, target] of Object.entries(aliases)) {
        if (!blobName.startsWith(prefix)) continue;
        const blob = state.blobs[target];
        if (!blob) throw new Error(`blob alias ${blobName} points at missing blob ${target}`);
        blobs[blobName.slice(prefix.length)] = blob;
      }
      const componentMeta = restoreIds(entry.meta, data) as Record<string, unknown>;
      restored[name] = decode({ kind, params: entry.params, blobs, meta: componentMeta });
    }
    return {
      version: meta.version,
      data,
      options: params.options,
      eventWeights: params.eventWeights,
      als: restored.als as ImplicitAls,
      itemKnn: restored.itemKnn as ItemKnn,
      content: restored.content as ContentRecommender,
      popularity: restored.popularity as PopularityRanker,
      report: meta.report,
      trainedAt: meta.trainedAt,
      trainedThrough: meta.trainedThrough ?? null,
    };
  } catch (error) {
    throw new EngineArtifactError('invalid', `malformed engine model: ${(error as Error).message}`);
  }
}

function encodeStrings(list: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(list));
}

function decodeStrings(bytes: Uint8Array): string[] {
  const list: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
    throw new Error('an id blob is not a string list');
  return list;
}

function sameIds(value: unknown, ids: readonly string[]): boolean {
  if (!Array.isArray(value) || value.length === 0 || value.length !== ids.length) return false;
  if (value === ids) return true;
  for (let i = 0; i < ids.length; i++) if (value[i] !== ids[i]) return false;
  return true;
}

/** Replaces copies of the shared id lists in component metadata (up to three levels deep) by a marker. */
function shareIds(value: unknown, data: InteractionMatrix, depth = 0): unknown {
  if (sameIds(value, data.itemIds)) return SHARED_ITEM_IDS;
  if (sameIds(value, data.userIds)) return SHARED_USER_IDS;
  if (depth >= 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shareIds(v, data, depth + 1)]));
}

function restoreIds(value: unknown, data: InteractionMatrix, depth = 0): unknown {
  if (value === SHARED_ITEM_IDS) return data.itemIds;
  if (value === SHARED_USER_IDS) return data.userIds;
  if (depth >= 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreIds(v, data, depth + 1)]));
}
