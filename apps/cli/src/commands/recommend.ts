import { createWriteStream, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { ArtifactStoreError } from '@encore/artifact-store';
import type { InteractionMatrix, Reason, Recommender } from '@encore/features';
import type { ModelState } from '@encore/model-artifact';
import { modelFromArtifact } from '@encore/model-presets';
import { UsageError } from '../args';
import type { Command, CommandContext } from '../command';
import { loadCatalogFile } from '../data/catalog-file';
import { DATASET_OPTIONS, Dataset, loadDataset, SEED_OPTION } from '../data/dataset';
import type { InteractionsFormat } from '../data/interactions-file';
import { count, formatTable, seconds } from '../format-table';
import {
  assertModelName,
  bestKnownFor,
  buildModel,
  matrixFor,
  MODEL_NAMES,
  modelInteractions,
  modelLabel,
  parseParamList,
  resolveParams,
  type ModelEnv,
  type ModelSpec,
} from '../models/model-factory';
import { artifactStoreArg, loadNamedVersion, S3_ARG_HELP, versionUrl } from '../models/artifact-store-arg';
import { defaultRecommendThreads, recommendAllUsers, type UserLists } from '../recommend/recommend-users';
import { PARAM_OPTION } from './evaluate';
import type { TrainingMeta } from './train';

/** A model ready to rank, and where it came from. */
interface LoadedModel {
  model: Recommender;
  data: InteractionMatrix;
  /** e.g. "ease (regularization=500) fitted in 2.31 s" or "artifact /models/v3 (ease)". */
  description: string;
  kind: string;
  version: string | null;
  fitMs: number | null;
  state: (() => ModelState) | null;
  /** Names for items, when known. */
  label: (itemId: string) => string | undefined;
}

export interface RecommendItem {
  item: string;
  name?: string;
  score: number;
  reason: string;
}

const ARTIFACT_EXCLUDES = ['dataset', 'interactions', 'users', 'model', 'param', 'columns', 'data-dir', 'seed'];

export const recommendCommand: Command = {
  name: 'recommend',
  summary: 'top-k items per user from a model trained on the spot or loaded from a model directory or S3 prefix',
  usage:
    'recommend (--all-users [--output FILE] | --user ID) [--interactions FILE | --dataset NAME | --artifact DIR|s3://…] ' +
    '[--model NAME] [--param k=v …] [--k K] [--threads N] [--json]',
  positionals: [],
  options: [
    { name: 'all-users', type: 'boolean', description: 'one JSON line per user: {"user": ID, "items": [ID, …]}' },
    { name: 'user', type: 'string', valueName: 'ID', description: 'one user: a table with scores and reasons' },
    {
      name: 'output',
      type: 'string',
      valueName: 'FILE',
      description: 'where --all-users writes its JSONL (default stdout)',
    },
    { name: 'k', type: 'integer', min: 1, valueName: 'K', description: 'items per user (default 10)' },
    ...DATASET_OPTIONS,
    { ...SEED_OPTION, description: 'spotify-sim: seed of the simulated listeners (default 42)' },
    {
      name: 'model',
      type: 'string',
      valueName: 'NAME',
      description: `${MODEL_NAMES.join(' | ')} (default: the best known for the data)`,
    },
    PARAM_OPTION,
    {
      name: 'artifact',
      type: 'string',
      valueName: 'DIR',
      description:
        'use a trained model: a model directory (its active version) or one version directory; ' +
        `or the same in S3: ${S3_ARG_HELP}`,
    },
    {
      name: 'threads',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'threads for --all-users (default: by size)',
    },
  ],
  async run(args, ctx) {
    const all = args.flag('all-users');
    const userId = args.string('user');
    if (all === (userId !== undefined)) throw new UsageError('give exactly one of --all-users and --user ID');
    if (args.has('output') && !all) throw new UsageError('--output applies to --all-users');
    if (all && !args.has('output') && ctx.json)
      throw new UsageError('--all-users --json needs --output FILE (stdout carries the JSON)');
    const k = args.number('k') ?? 10;
    const loaded = args.has('artifact')
      ? await fromArtifact(args.requiredString('artifact', 'DIR'), args, ctx)
      : await fitHere(args, ctx);
    return all ? recommendAll(loaded, k, args, ctx) : recommendOne(loaded, userId as string, k, ctx);
  },
};

async function fitHere(args: Parameters<Command['run']>[0], ctx: CommandContext): Promise<LoadedModel> {
  const dataset = await loadDataset(args, ctx);
  const env: ModelEnv = { itemFeatures: () => dataset.itemFeatures(), format: dataset.format };
  const modelArg = args.string('model');
  const name = modelArg ? assertModelName(modelArg) : 'best';
  const spec: ModelSpec = { name, params: resolveParams(name, parseParamList(args.strings('param')), env) };
  const matrix = matrixFor(name, dataset.rows, env);
  const model = buildModel(spec, env);
  const progress = ctx.progress(`fit ${spec.name}`, 1);
  const fit = model.fit(matrix);
  progress.finish();
  const params = Object.entries(spec.params)
    .map(([key, v]) => `${key}=${v}`)
    .join(' ');
  return {
    model,
    data: matrix,
    description: `${modelLabel(spec.name, env)}${params ? ` (${params})` : ''}${modelArg ? '' : ' [best known for the data]'} fitted in ${seconds(fit.elapsedMs)} s`,
    kind: name === 'best' ? bestKnownFor(env.format).model : name,
    version: null,
    fitMs: fit.elapsedMs,
    state: () => model.toArtifact(),
    label: (id) => dataset.label(id),
  };
}

async function fromArtifact(
  dirArg: string,
  args: Parameters<Command['run']>[0],
  ctx: CommandContext,
): Promise<LoadedModel> {
  for (const flag of ARTIFACT_EXCLUDES)
    if (args.has(flag))
      throw new UsageError(`--${flag} cannot be combined with --artifact (the model is already trained)`);
  const target = artifactStoreArg(dirArg, 'artifact', ctx);
  const { store, url } = target;
  let state: ModelState;
  let version: string;
  let source: string;
  try {
    const single = await loadNamedVersion(target);
    if (single) {
      ({ state, version } = single);
      source = url.replace(/\/$/, '');
    } else {
      if (store.location.kind === 'local' && !existsSync(url)) throw new Error(`model directory not found: ${url}`);
      const active = await store.activeVersion();
      if (active === null) {
        const versions = (await store.list()).map((a) => a.version);
        throw new Error(
          `${url} has no active model version (${versions.length > 0 ? `versions: ${versions.join(', ')}` : 'no versions'}); ` +
            'run "train --activate" or pass a version directory',
        );
      }
      ({ state } = await store.load(active));
      version = active;
      source = versionUrl(target, active);
    }
  } catch (error) {
    // A corrupt or missing artifact is a failure (exit 1), never a usage error.
    if (error instanceof ArtifactStoreError) throw new Error(error.message);
    throw error;
  }
  const model = modelFromArtifact(state);
  const training = state.meta['training'] as TrainingMeta | undefined;
  const label = await artifactLabels(training, args.string('catalog'), ctx);
  return {
    model,
    data: modelInteractions(model),
    description: `${state.kind} from ${source}`,
    kind: state.kind,
    version,
    fitMs: null,
    state: () => state,
    label,
  };
}

/** Item names for a loaded model: from --catalog, or the catalog / side files the training data came from. */
async function artifactLabels(
  training: TrainingMeta | undefined,
  catalogArg: string | undefined,
  ctx: CommandContext,
): Promise<(id: string) => string | undefined> {
  const catalogFile = catalogArg ? resolve(ctx.io.cwd, catalogArg) : training?.catalog;
  if (catalogFile && (catalogArg || existsSync(catalogFile))) {
    const catalog = await loadCatalogFile(catalogFile, ctx);
    const dataset = new Dataset('interactions', catalogFile, 'csv', [], catalog);
    return (id) => dataset.label(id);
  }
  if (
    training &&
    (training.format === 'movielens-100k' || training.format === 'lastfm-2k') &&
    existsSync(training.source)
  ) {
    const dataset = new Dataset(
      'interactions',
      training.source,
      training.format as InteractionsFormat,
      [],
      null,
      dirname(training.source),
    );
    return (id) => dataset.label(id);
  }
  return () => undefined;
}

async function recommendAll(
  loaded: LoadedModel,
  k: number,
  args: Parameters<Command['run']>[0],
  ctx: CommandContext,
): Promise<object> {
  const started = performance.now();
  const { data } = loaded;
  const threads = args.number('threads') ?? defaultRecommendThreads(data.users, data.items);
  const progress = ctx.progress('recommend', data.users);
  let lists: UserLists[];
  try {
    lists = await recommendAllUsers(loaded.model, data.users, {
      k,
      threads,
      workerScript: ctx.io.workerScript,
      state: loaded.state ?? undefined,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.finish();
  }
  const outputArg = args.string('output');
  const output = outputArg ? resolve(ctx.io.cwd, outputArg) : null;
  await writeJsonl(output, lists, data, ctx);
  const elapsedMs = performance.now() - started;
  const result = {
    output: output ?? '-',
    users: data.users,
    items: data.items,
    k,
    threads,
    model: loaded.kind,
    version: loaded.version,
    fitMs: loaded.fitMs === null ? null : Math.round(loaded.fitMs),
    recommendMs: Math.round(elapsedMs),
  };
  // With the lists on stdout, the summary goes to stderr.
  (output ? ctx.print.bind(ctx) : ctx.warn.bind(ctx))(
    `${loaded.description}; ${count(data.users)} lists of ${k} over ${count(data.items)} items in ${seconds(elapsedMs)} s` +
      `${threads > 1 ? ` on ${threads} threads` : ''}${output ? ` → ${output}` : ''}`,
  );
  return result;
}

async function writeJsonl(
  output: string | null,
  lists: UserLists[],
  data: InteractionMatrix,
  ctx: CommandContext,
): Promise<void> {
  const stream = output ? createWriteStream(output) : null;
  const failed = stream ? once(stream, 'error').then(([e]) => Promise.reject(e as Error)) : null;
  failed?.catch(() => undefined);
  const write = async (text: string) => {
    if (!stream) {
      ctx.io.stdout.write(text);
      return;
    }
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  for (const chunk of lists) {
    const users = chunk.items.length / chunk.k;
    let text = '';
    for (let r = 0; r < users; r++) {
      const items: string[] = [];
      for (let j = r * chunk.k; j < (r + 1) * chunk.k && chunk.items[j] >= 0; j++)
        items.push(data.itemIds[chunk.items[j]]);
      text += JSON.stringify({ user: data.userIds[chunk.from + r], items }) + '\n';
    }
    await write(text);
  }
  if (stream) {
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
  }
}

function describeReason(reason: Reason | undefined, data: InteractionMatrix, label: LoadedModel['label']): string {
  if (!reason) return '';
  if (reason.seedItem !== undefined && reason.seedItem >= 0 && reason.seedItem < data.items) {
    const id = data.itemIds[reason.seedItem];
    return `${reason.source}: because of ${label(id) ?? id}`;
  }
  if (reason.genre) return `${reason.source}: popular in ${reason.genre}`;
  return reason.source;
}

function recommendOne(loaded: LoadedModel, userId: string, k: number, ctx: CommandContext): object {
  const { data } = loaded;
  const u = data.userIndex(userId);
  if (u < 0) {
    throw new Error(
      `user ${JSON.stringify(userId)} is not in the training data (${count(data.users)} users, e.g. ${data.userIds
        .slice(0, 3)
        .join(', ')})`,
    );
  }
  const recs = loaded.model.recommend(u, k);
  const items: RecommendItem[] = recs.map((s) => {
    const id = data.itemIds[s.index];
    const name = loaded.label(id);
    return {
      item: id,
      ...(name !== undefined && { name }),
      score: Math.round(s.score * 1e6) / 1e6,
      reason: describeReason(s.reason, data, loaded.label),
    };
  });
  ctx.print(
    `Top ${k} for user ${userId} (${data.seen(u).length} seen items left out) — ${loaded.description}\n` +
      formatTable(
        ['#', 'item', 'name', 'score', 'reason'],
        items.map((it, i) => [String(i + 1), it.item, it.name ?? '', it.score.toFixed(4), it.reason]),
        [0, 3],
      ),
  );
  return { user: userId, model: loaded.kind, version: loaded.version, k, items };
}
