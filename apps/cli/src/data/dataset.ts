import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Catalog } from '@encore/catalog';
import { attributeFeatures, songFeatures, type ItemFeatures } from '@encore/content';
import {
  datasetPreset,
  type Interaction,
  lastfmArtistTags,
  movieLensGenreAttributes,
  parseLastfmTagAssignments,
  parseLastfmTags,
  parseMovieLensItems,
} from '@encore/datasets';
import { DEMO_SIMULATION, simulateListeners, type SimulationOptions } from '@encore/simulator';
import { type OptionSpec, type ParsedArgs, UsageError } from '../args';
import type { CommandContext } from '../command';
import { defaultDataDir } from '../workspace';
import { defaultCatalogPath, loadCatalogFile, songLabel } from './catalog-file';
import { type InteractionsFormat, parseColumnMapping, readInteractionsFile } from './interactions-file';

export const DATASET_NAMES = ['spotify-sim', 'movielens-100k', 'lastfm-2k', 'interactions'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** The options train, evaluate and recommend share to pick their data. */
export const DATASET_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'dataset',
    type: 'string',
    valueName: 'NAME',
    description: `${DATASET_NAMES.join(' | ')} (default: interactions with --interactions, else spotify-sim)`,
  },
  {
    name: 'interactions',
    type: 'string',
    valueName: 'FILE',
    description:
      'interactions file: CSV/TSV with user_id,item_id[,weight][,event][,timestamp], or a raw u.data / user_artists.dat',
  },
  {
    name: 'columns',
    type: 'string',
    valueName: 'MAP',
    description: 'header names of a generic file, e.g. user=listener,item=song,weight=plays',
  },
  {
    name: 'data-dir',
    type: 'string',
    valueName: 'DIR',
    description: 'where movielens-100k and lastfm-2k live (default <repo>/../shared/data)',
  },
  {
    name: 'catalog',
    type: 'string',
    valueName: 'FILE',
    description:
      'song catalog CSV for spotify-sim, song names and content similarity (default data/sample/catalog.csv)',
  },
  {
    name: 'users',
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: 'spotify-sim: simulated listeners (default 400)',
  },
];

export const SEED_OPTION: OptionSpec = {
  name: 'seed',
  type: 'integer',
  valueName: 'S',
  description: 'seed of the simulated listeners and of the split (default 42)',
};

/**
 * Interaction rows plus what is known about their items: a catalog (songs), or the side files
 * of MovieLens (u.item) and Last.fm (artists.dat, tags) for names and content features. Side
 * files are read only when asked for, and their absence only means ids without names.
 */
export class Dataset {
  private labels: Map<string, string> | null = null;
  private features: ItemFeatures | null | undefined;
  /** The file `catalog` was read from. */
  catalogFile: string | null = null;

  constructor(
    readonly name: DatasetName,
    /** Where the rows came from: a file path, or a description of the simulation. */
    readonly source: string,
    readonly format: InteractionsFormat | 'simulated',
    readonly rows: Interaction[],
    readonly catalog: Catalog | null = null,
    /** Directory holding the dataset's side files. */
    private readonly sideDir: string | null = null,
  ) {}

  /** Display name of an item ("Song — Artist", a film title, an artist), or undefined. */
  label(itemId: string): string | undefined {
    this.labels ??= this.loadLabels();
    return this.labels.get(itemId);
  }

  /** Item vectors for content models (song audio + genres, MovieLens genres, Last.fm tags), or null. */
  itemFeatures(): ItemFeatures | null {
    if (this.features === undefined) this.features = this.loadFeatures();
    return this.features;
  }

  /** One line for reports: "movielens-100k: 100,000 interactions, 943 users, 1,682 items". */
  summary(): { name: DatasetName; source: string; interactions: number; users: number; items: number } {
    const users = new Set<string>();
    const items = new Set<string>();
    for (const r of this.rows) {
      users.add(r.userId);
      items.add(r.itemId);
    }
    return {
      name: this.name,
      source: this.source,
      interactions: this.rows.length,
      users: users.size,
      items: items.size,
    };
  }

  private loadLabels(): Map<string, string> {
    const out = new Map<string, string>();
    if (this.catalog) {
      for (let i = 0; i < this.catalog.size; i++) out.set(this.catalog.ids[i], songLabel(this.catalog, i));
    } else if (this.format === 'movielens-100k' && this.side('u.item')) {
      for (const item of parseMovieLensItems(this.read('u.item', 'latin1'))) out.set(item.itemId, item.title);
    } else if (this.format === 'lastfm-2k' && this.side('artists.dat')) {
      for (const line of this.read('artists.dat', 'utf8').split('\n').slice(1)) {
        const [id, name] = line.split('\t');
        if (id && name) out.set(id.trim(), name.trim());
      }
    }
    return out;
  }

  private loadFeatures(): ItemFeatures | null {
    if (this.catalog) return songFeatures(this.catalog);
    if (this.format === 'movielens-100k' && this.side('u.item')) {
      return attributeFeatures(movieLensGenreAttributes(parseMovieLensItems(this.read('u.item', 'latin1'))), {
        minItems: 1,
      });
    }
    if (this.format === 'lastfm-2k' && this.side('tags.dat') && this.side('user_taggedartists.dat')) {
      const tags = parseLastfmTags(this.read('tags.dat', 'latin1'));
      return attributeFeatures(
        lastfmArtistTags(parseLastfmTagAssignments(this.read('user_taggedartists.dat', 'utf8')), tags),
      );
    }
    return null;
  }

  private side(file: string): boolean {
    return this.sideDir !== null && existsSync(join(this.sideDir, file));
  }

  private read(file: string, encoding: BufferEncoding): string {
    return readFileSync(join(this.sideDir as string, file), encoding);
  }
}

/** Simulated listeners over a catalog: the API's demo settings unless users/seed are given. */
export function simulationOptions(users?: number, seed?: number): SimulationOptions {
  return { ...DEMO_SIMULATION, ...(users !== undefined && { users }), ...(seed !== undefined && { seed }) };
}

/** Loads the dataset the shared options describe (see DATASET_OPTIONS). */
export async function loadDataset(args: ParsedArgs, ctx: CommandContext): Promise<Dataset> {
  const cwd = ctx.io.cwd;
  const interactionsArg = args.string('interactions');
  const name = (args.string('dataset') ?? (interactionsArg ? 'interactions' : 'spotify-sim')) as DatasetName;
  if (!DATASET_NAMES.includes(name)) {
    throw new UsageError(`--dataset ${JSON.stringify(name)} is not one of ${DATASET_NAMES.join(', ')}`);
  }
  const columnsArg = args.string('columns');
  const columns = columnsArg ? parseColumnMapping(columnsArg) : undefined;
  const catalogArg = args.string('catalog');
  const catalogFile = catalogArg ? resolve(cwd, catalogArg) : undefined;

  if (name === 'spotify-sim') {
    if (interactionsArg) throw new UsageError('--interactions cannot be used with --dataset spotify-sim');
    const file = catalogFile ?? defaultCatalogPath(cwd);
    const catalog = await loadCatalogFile(file, ctx);
    const options = simulationOptions(args.number('users'), args.number('seed'));
    const { events } = simulateListeners(catalog, options);
    const source = `${options.users} simulated listeners (seed ${options.seed}) over ${file}`;
    return Object.assign(new Dataset(name, source, 'simulated', events, catalog), { catalogFile: file });
  }
  if (args.has('users')) throw new UsageError(`--users applies to --dataset spotify-sim only`);

  let file: string;
  let format: InteractionsFormat | undefined;
  if (name === 'interactions') {
    if (!interactionsArg) throw new UsageError('--dataset interactions needs --interactions FILE');
    file = resolve(cwd, interactionsArg);
  } else {
    format = name;
    const dataDir = resolve(cwd, args.string('data-dir') ?? defaultDataDir(cwd));
    file = interactionsArg ? resolve(cwd, interactionsArg) : join(dataDir, datasetPreset(name).file);
    if (!existsSync(file)) {
      throw new Error(
        `${name} not found at ${file}; pass --data-dir DIR (the folder holding ${datasetPreset(name).file})`,
      );
    }
  }
  const read = await readInteractionsFile(file, { format, columns });
  if (read.format !== 'csv' && columns) throw new UsageError(`--columns applies to CSV/TSV files with a header only`);
  if (read.format !== 'csv' && name === 'interactions') ctx.warn(`reading ${file} as ${read.format} (detected)`);
  const catalog = catalogFile ? await loadCatalogFile(catalogFile, ctx) : null;
  const dataset = new Dataset(name, file, read.format, read.rows, catalog, dirname(file));
  dataset.catalogFile = catalog ? (catalogFile as string) : null;
  return dataset;
}
