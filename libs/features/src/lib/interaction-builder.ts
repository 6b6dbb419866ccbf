import { CsrMatrix } from '@encore/linalg';
import { InteractionMatrix } from './interaction-matrix';

/** One piece of implicit feedback. `weight` multiplies the event's weight (e.g. a play count). */
export interface InteractionEvent {
  userId: string;
  itemId: string;
  /** Event kind; defaults to 'play'. */
  event?: string;
  weight?: number;
  /** Any monotone time unit; `halfLife` and `referenceTime` use the same unit. */
  timestamp?: number;
}

/** The event kind that removes a song for a user for good instead of adding a weight. */
export const DISLIKE_EVENT = 'dislike';

export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({ play: 1, like: 4, skip: -1 });

export interface InteractionMatrixOptions {
  /** Per-event weights, merged over DEFAULT_EVENT_WEIGHTS. 'dislike' cannot be weighted. */
  eventWeights?: Record<string, number>;
  /** Exponential decay: an event `halfLife` older than `referenceTime` counts half. Off when absent. */
  halfLife?: number;
  /** "Now" for the decay; defaults to the latest timestamp among the events. */
  referenceTime?: number;
  /** Fixed item universe (e.g. every catalog id) so items nobody touched still get a column. */
  items?: readonly string[];
  /** Fixed user universe. */
  users?: readonly string[];
  /** What to do with an event whose user or item is outside a fixed universe. Default 'error'. */
  onUnknown?: 'error' | 'ignore';
  /**
   * A (user, item) whose weights sum below zero (skipped more than played):
   * 'clamp' (default) stores 0 — the item counts as seen, so it is not recommended again,
   * but it carries no preference, which is what ALS/EASE/kNN expect of implicit data;
   * 'keep' stores the negative total for models that can use negative evidence.
   */
  negatives?: 'clamp' | 'keep';
}

/**
 * Builds the user × item matrix from a stream of events in one pass over growable typed
 * arrays: value(u,i) = Σ eventWeight(event) · weight · 2^(−age/halfLife). Repeated events
 * accumulate. Users and items get dense indices in order of first appearance unless a
 * universe is given. A dislike wins over any other event for that pair: the pair leaves
 * `matrix` and goes to `dislikes`.
 */
export function buildInteractionMatrix(
  events: Iterable<InteractionEvent>,
  options: InteractionMatrixOptions = {},
): InteractionMatrix {
  const weights: Record<string, number> = { ...DEFAULT_EVENT_WEIGHTS, ...(options.eventWeights ?? {}) };
  if (DISLIKE_EVENT in weights) throw new Error(`"${DISLIKE_EVENT}" is not weighted: it removes the song for the user`);
  for (const [name, w] of Object.entries(weights)) {
    if (!Number.isFinite(w)) throw new Error(`event weight for "${name}" must be a finite number, got ${w}`);
  }
  const halfLife = options.halfLife;
  if (halfLife !== undefined && !(halfLife > 0)) throw new Error(`halfLife must be > 0, got ${halfLife}`);
  const onUnknown = options.onUnknown ?? 'error';

  const users = new IdIndex(options.users);
  const items = new IdIndex(options.items);
  const pos = new Triples();
  const neg = new Triples();
  let latest = -Infinity;

  for (const e of events) {
    const u = users.indexOf(e.userId);
    const i = items.indexOf(e.itemId);
    if (u < 0 || i < 0) {
      if (onUnknown === 'ignore') continue;
      throw new Error(
        `${u < 0 ? `user "${e.userId}"` : `item "${e.itemId}"`} is not in the fixed ${u < 0 ? 'user' : 'item'} universe`,
      );
    }
    const kind = e.event ?? 'play';
    if (kind === DISLIKE_EVENT) {
      neg.push(u, i, 1, NaN);
      continue;
    }
    const w = weights[kind];
    if (w === undefined)
      throw new Error(`unknown event "${kind}" (known: ${[...Object.keys(weights), DISLIKE_EVENT].join(', ')})`);
    const mult = e.weight ?? 1;
    if (!Number.isFinite(mult))
      throw new Error(`event weight must be finite, got ${mult} for user "${e.userId}", item "${e.itemId}"`);
    const t = e.timestamp ?? NaN;
    if (t > latest) latest = t;
    pos.push(u, i, w * mult, t);
  }

  if (halfLife !== undefined) {
    const ref = options.referenceTime ?? latest;
    const ln2 = Math.LN2 / halfLife;
    for (let p = 0; p < pos.length; p++) {
      const t = pos.time[p];
      // Events without a time are not decayed; events after the reference are not boosted.
      if (t === t && ref > t) pos.value[p] *= Math.exp(-(ref - t) * ln2);
    }
  }

  const rows = users.ids.length;
  const cols = items.ids.length;
  const summed = CsrMatrix.fromTriples(rows, cols, pos.rowView(), pos.colView(), pos.valueView());
  const dislikes =
    neg.length > 0
      ? CsrMatrix.fromTriples(rows, cols, neg.rowView(), neg.colView(), neg.valueView()).map(() => 1)
      : null;
  const matrix = finalise(summed, dislikes, options.negatives ?? 'clamp');
  return new InteractionMatrix(users.ids, items.ids, matrix, dislikes);
}

/** Drops disliked pairs and applies the negative-total policy, keeping CSR order. */
function finalise(m: CsrMatrix, dislikes: CsrMatrix | null, negatives: 'clamp' | 'keep'): CsrMatrix {
  const rowPtr = new Int32Array(m.rows + 1);
  const colIdx = new Int32Array(m.nnz);
  const values = new Float32Array(m.nnz);
  let out = 0;
  for (let r = 0; r < m.rows; r++) {
    rowPtr[r] = out;
    let d = dislikes ? dislikes.rowPtr[r] : 0;
    const dEnd = dislikes ? dislikes.rowPtr[r + 1] : 0;
    for (let p = m.rowPtr[r]; p < m.rowPtr[r + 1]; p++) {
      const c = m.colIdx[p];
      // Both rows are sorted by column: walk the dislike row alongside.
      while (d < dEnd && (dislikes as CsrMatrix).colIdx[d] < c) d++;
      if (d < dEnd && (dislikes as CsrMatrix).colIdx[d] === c) continue;
      const v = m.values[p];
      colIdx[out] = c;
      values[out] = negatives === 'clamp' && v < 0 ? 0 : v;
      out++;
    }
  }
  rowPtr[m.rows] = out;
  return new CsrMatrix(m.rows, m.cols, rowPtr, colIdx.slice(0, out), values.slice(0, out));
}

class IdIndex {
  readonly ids: string[];
  private readonly lookup = new Map<string, number>();
  private readonly fixed: boolean;

  constructor(universe: readonly string[] | undefined) {
    this.fixed = universe !== undefined;
    this.ids = universe ? universe.slice() : [];
    for (let i = 0; i < this.ids.length; i++) {
      if (this.lookup.has(this.ids[i])) throw new Error(`id "${this.ids[i]}" appears twice in the fixed universe`);
      this.lookup.set(this.ids[i], i);
    }
  }

  indexOf(id: string): number {
    let i = this.lookup.get(id);
    if (i === undefined) {
      if (this.fixed) return -1;
      i = this.ids.length;
      this.ids.push(id);
      this.lookup.set(id, i);
    }
    return i;
  }
}

/** Growable coordinate arrays (doubling typed arrays, no per-event objects). */
class Triples {
  length = 0;
  row = new Int32Array(1024);
  col = new Int32Array(1024);
  value = new Float64Array(1024);
  time = new Float64Array(1024);

  push(r: number, c: number, v: number, t: number): void {
    if (this.length === this.row.length) {
      const n = this.row.length * 2;
      this.row = grow(this.row, new Int32Array(n));
      this.col = grow(this.col, new Int32Array(n));
      this.value = grow(this.value, new Float64Array(n));
      this.time = grow(this.time, new Float64Array(n));
    }
    const p = this.length++;
    this.row[p] = r;
    this.col[p] = c;
    this.value[p] = v;
    this.time[p] = t;
  }

  rowView(): Int32Array {
    return this.row.subarray(0, this.length);
  }

  colView(): Int32Array {
    return this.col.subarray(0, this.length);
  }

  valueView(): Float64Array {
    return this.value.subarray(0, this.length);
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
