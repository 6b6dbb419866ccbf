import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatInteractionsCsv, simulateListeners } from '@encore/simulator';
import type { Command } from '../command';
import { defaultCatalogPath, loadCatalogFile } from '../data/catalog-file';
import { simulationOptions } from '../data/dataset';

/** The JSON result of `simulate --json`. */
export interface SimulateResult {
  catalog: string;
  out: string;
  songs: number;
  users: number;
  seed: number;
  events: number;
  byEvent: Record<string, number>;
  distinctSongs: number;
  elapsedMs: number;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'generate seeded listeners over a catalog and write their play/like/skip events as an interactions CSV',
  usage: 'simulate --out FILE [--catalog FILE] [--users N] [--seed S] [--events-per-user N] [--json]',
  positionals: [],
  options: [
    {
      name: 'out',
      type: 'string',
      valueName: 'FILE',
      description: 'where to write user_id,item_id,event,weight,timestamp',
    },
    {
      name: 'catalog',
      type: 'string',
      valueName: 'FILE',
      description: 'catalog CSV (default data/sample/catalog.csv)',
    },
    { name: 'users', type: 'integer', min: 1, valueName: 'N', description: 'listeners (default 400)' },
    {
      name: 'seed',
      type: 'integer',
      valueName: 'S',
      description: 'seed: the same seed and catalog give the same file (default 42)',
    },
    {
      name: 'events-per-user',
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'mean events per listener (default 100; min and max scale with it)',
    },
  ],
  async run(args, ctx) {
    const started = performance.now();
    const out = resolve(ctx.io.cwd, args.requiredString('out', 'FILE'));
    const catalogFile = resolve(ctx.io.cwd, args.string('catalog') ?? defaultCatalogPath(ctx.io.cwd));
    const catalog = await loadCatalogFile(catalogFile, ctx);
    const options = simulationOptions(args.number('users'), args.number('seed'));
    const mean = args.number('events-per-user');
    if (mean !== undefined) {
      const base = options.eventsPerUser;
      const scale = mean / base.mean;
      options.eventsPerUser = {
        min: Math.max(1, Math.round(base.min * scale)),
        mean,
        max: Math.max(mean, Math.round(base.max * scale)),
      };
    }
    const progress = ctx.progress('simulate', 1);
    const { events } = simulateListeners(catalog, options);
    progress.finish();
    await writeFile(out, formatInteractionsCsv(events));
    const byEvent: Record<string, number> = {};
    const songs = new Set<string>();
    for (const e of events) {
      byEvent[e.event] = (byEvent[e.event] ?? 0) + 1;
      songs.add(e.itemId);
    }
    const result: SimulateResult = {
      catalog: catalogFile,
      out,
      songs: catalog.size,
      users: options.users,
      seed: options.seed,
      events: events.length,
      byEvent,
      distinctSongs: songs.size,
      elapsedMs: Math.round(performance.now() - started),
    };
    const count = (n: number) => n.toLocaleString('en-US');
    ctx.print(
      `Simulated ${count(result.users)} listeners (seed ${result.seed}) over ${count(result.songs)} songs: ` +
        `${count(result.events)} events (${Object.entries(byEvent)
          .map(([k, n]) => `${k} ${count(n)}`)
          .join(', ')}) on ${count(result.distinctSongs)} songs\nWrote ${out}`,
    );
    return result;
  },
};
