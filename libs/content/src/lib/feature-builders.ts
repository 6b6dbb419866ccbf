import type { Catalog } from '@encore/catalog';
import type { ItemAttribute } from '@encore/datasets';
import { SongFeatureEncoder, type SongExtraColumns, type SongFeatureEncoderOptions } from '@encore/features';
import { ItemFeatures } from './item-features';

export interface AttributeFeatureOptions {
  /** Term frequency from the attribute weight: 'raw', 'log' (1 + ln w, the usual damping of tag counts) or 'binary'. Default 'log'. */
  tf: 'raw' | 'log' | 'binary';
  /** Multiply by idf = ln(N / df), N = items with any kept attribute. Default true. */
  idf: boolean;
  /** Drop attributes carried by fewer items (one-off tags are noise and cost memory). Default 2. */
  minItems: number;
  /** Fixed item universe and row order (e.g. an interaction matrix's item ids); other items' rows are ignored. */
  items?: readonly string[];
}

const ATTRIBUTE_DEFAULTS: AttributeFeatureOptions = { tf: 'log', idf: true, minItems: 2 };

/**
 * Sparse tf-idf item vectors from attribute rows (Last.fm tag counts, MovieLens genre flags):
 * weight(item, attr) = tf(w) · ln(N / df(attr)). Rows for the same (item, attribute) add up.
 * Items come in order of first appearance unless `items` fixes them.
 */
export function attributeFeatures(
  rows: Iterable<ItemAttribute>,
  options: Partial<AttributeFeatureOptions> = {},
): ItemFeatures {
  const o = { ...ATTRIBUTE_DEFAULTS, ...options };
  if (!(o.minItems >= 1)) throw new Error(`attribute features: minItems must be ≥ 1, got ${o.minItems}`);
  const itemIds: string[] = o.items ? [...o.items] : [];
  const itemIndex = new Map<string, number>(itemIds.map((id, i) => [id, i]));
  if (itemIndex.size !== itemIds.length) throw new Error('attribute features: the item universe lists an id twice');
  const attrIndex = new Map<string, number>();
  const attrNames: string[] = [];
  const perItem: Map<number, number>[] = itemIds.map(() => new Map());
  for (const row of rows) {
    let i = itemIndex.get(row.itemId);
    if (i === undefined) {
      if (o.items) continue;
      i = itemIds.length;
      itemIds.push(row.itemId);
      itemIndex.set(row.itemId, i);
      perItem.push(new Map());
    }
    const w = row.weight ?? 1;
    if (!(Number.isFinite(w) && w >= 0))
      throw new Error(
        `attribute features: weight of "${row.attribute}" on item ${row.itemId} must be finite and ≥ 0, got ${w}`,
      );
    if (w === 0) continue;
    let a = attrIndex.get(row.attribute);
    if (a === undefined) {
      a = attrNames.length;
      attrNames.push(row.attribute);
      attrIndex.set(row.attribute, a);
    }
    perItem[i].set(a, (perItem[i].get(a) ?? 0) + w);
  }

  const df = new Int32Array(attrNames.length);
  for (const attrs of perItem) for (const a of attrs.keys()) df[a]++;
  // Keep attributes shared by enough items, renumbered densely in first-seen order.
  const keep = new Int32Array(attrNames.length).fill(-1);
  const vocabulary: string[] = [];
  for (let a = 0; a < attrNames.length; a++) {
    if (df[a] >= o.minItems) {
      keep[a] = vocabulary.length;
      vocabulary.push(attrNames[a]);
    }
  }
  let described = 0;
  for (const attrs of perItem) {
    for (const a of attrs.keys()) {
      if (keep[a] >= 0) {
        described++;
        break;
      }
    }
  }
  const offsets = new Int32Array(itemIds.length + 1);
  const ids: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < perItem.length; i++) {
    for (const [a, w] of perItem[i]) {
      if (keep[a] < 0) continue;
      const tf = o.tf === 'binary' ? 1 : o.tf === 'log' ? 1 + Math.log(w) : w;
      const idf = o.idf ? Math.log(described / df[a]) : 1;
      // An attribute every item has (idf 0) carries no information; leaving it out keeps rows sparse.
      if (tf * idf > 0) {
        ids.push(keep[a]);
        values.push(tf * idf);
      }
    }
    offsets[i + 1] = ids.length;
  }
  return ItemFeatures.build({
    ids: itemIds,
    sparse: { offsets, ids: Int32Array.from(ids), values: Float32Array.from(values), vocabulary },
  });
}

/**
 * Song vectors from a catalog through SongFeatureEncoder: its audio block stays dense (≈ 12
 * standardised features) and every one-hot block (genres, popularity and year buckets) becomes
 * sparse entries named "genre:rock", "popularity:7", "year:3". The vectors are exactly the
 * encoder's rows, group weights included, without the dense items × vocabulary pass at query time.
 */
export function songFeatures(
  catalog: Catalog,
  encoder: SongFeatureEncoder | SongFeatureEncoderOptions = {},
  extra: SongExtraColumns = {},
): ItemFeatures {
  const enc = encoder instanceof SongFeatureEncoder ? encoder : SongFeatureEncoder.fit(catalog, encoder, extra);
  const n = catalog.size;
  const dim = enc.dim;
  const encoded = enc.encode(catalog, extra);
  const audio = enc.groups.find((g) => g.name === 'audio');
  const denseDim = audio ? audio.size : 0;
  const dense = new Float32Array(n * denseDim);
  const vocabulary: string[] = [];
  const column = new Int32Array(dim).fill(-1);
  for (const g of enc.groups) {
    if (g.name === 'audio') continue;
    for (let c = 0; c < g.size; c++) {
      column[g.offset + c] = vocabulary.length;
      vocabulary.push(g.name === 'genre' ? `genre:${enc.genres.categories[c]}` : `${g.name}:${c}`);
    }
  }
  const offsets = new Int32Array(n + 1);
  let nnz = 0;
  for (let p = 0; p < encoded.length; p++) if (encoded[p] !== 0 && column[p % dim] >= 0) nnz++;
  const ids = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let q = 0;
  for (let r = 0, base = 0; r < n; r++, base += dim) {
    if (audio) dense.set(encoded.subarray(base + audio.offset, base + audio.offset + denseDim), r * denseDim);
    for (let j = 0; j < dim; j++) {
      const v = encoded[base + j];
      if (v !== 0 && column[j] >= 0) {
        ids[q] = column[j];
        values[q++] = v;
      }
    }
    offsets[r + 1] = q;
  }
  return ItemFeatures.build({
    ids: catalog.ids,
    dense: denseDim > 0 ? { dim: denseDim, values: dense } : undefined,
    sparse: { offsets, ids, values, vocabulary },
    normalizeBlocks: false,
  });
}
