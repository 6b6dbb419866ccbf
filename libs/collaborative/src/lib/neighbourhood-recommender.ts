import {
  strongestSeed,
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  type FitReport,
  type Reason,
  type Scored,
} from '@encore/features';
import { CsrMatrix, TopK, type ScoredIndex } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';

/**
 * An item-item model that keeps each item's top neighbours as a sparse items × items CSR
 * matrix. A user's score for item j is Σ_{i seen} scoreValue(value_ui) · W[i, j] over the
 * neighbour rows of the items they have seen; the reason is the seen item contributing most.
 * Subclasses only fit W (with NeighbourRowsBuilder) and say how a stored value votes.
 */
export abstract class NeighbourhoodRecommender extends ScoringRecommender {
  /** Saved as the artifact's params. */
  abstract readonly options: object;
  private nbrs: CsrMatrix | null = null;

  /** items × items: row i holds i's kept neighbours (ascending index) and their weights. */
  get neighbours(): CsrMatrix {
    return assertFitted(this.kind, this.nbrs);
  }

  /** How much a seen interaction value votes, in scoring and explanations alike. */
  protected abstract scoreValue(v: number): number;

  protected setNeighbours(neighbours: CsrMatrix, data: InteractionMatrix): void {
    this.nbrs = neighbours;
    this.setInteractions(data);
  }

  /** Installs freshly fitted neighbours; `start` is the performance.now() at which fit() began. */
  protected fitted(neighbours: CsrMatrix, data: InteractionMatrix, start: number): FitReport {
    this.setNeighbours(neighbours, data);
    return {
      kind: this.kind,
      users: data.users,
      items: data.items,
      nnz: data.nnz,
      elapsedMs: performance.now() - start,
      details: { neighbourEntries: neighbours.nnz },
    };
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const data = this.interactions;
    return this.scoreInteractions(data.seen(user), data.values(user), out);
  }

  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    const nb = this.neighbours;
    assertScoreBuffer(this.kind, out, nb.rows);
    out.fill(0, 0, nb.rows);
    for (let p = 0; p < items.length; p++) {
      const x = this.scoreValue(values[p]);
      if (x === 0) continue;
      const i = items[p];
      for (let q = nb.rowPtr[i]; q < nb.rowPtr[i + 1]; q++) out[nb.colIdx[q]] += x * nb.values[q];
    }
    return out;
  }

  protected explain(user: number, item: number): Reason {
    const nb = this.neighbours;
    const data = this.interactions;
    return strongestSeed(
      this.kind,
      data.seen(user),
      data.values(user),
      (seed, v) => this.scoreValue(v) * nb.get(seed, item),
    );
  }

  /** The item's kept neighbours, heaviest first. */
  similarItems(item: number, k: number): Scored[] {
    const nb = this.neighbours;
    const heap = new TopK(k);
    for (let q = nb.rowPtr[item]; q < nb.rowPtr[item + 1]; q++) heap.push(nb.colIdx[q], nb.values[q]);
    return heap
      .toSorted()
      .map((s) => ({ index: s.index, score: s.score, reason: { source: this.kind, seedItem: item } }));
  }

  toArtifact(): ModelState {
    const nb = this.neighbours;
    const { blobs, meta } = this.interactions.toState();
    return {
      kind: this.kind,
      params: { ...this.options },
      blobs: {
        ...blobs,
        'neighbours.rowPtr': nb.rowPtr,
        'neighbours.colIdx': nb.colIdx,
        'neighbours.values': nb.values,
      },
      meta,
    };
  }

  /** Checks the artifact's kind, builds the model from its params and restores interactions and neighbours. */
  protected static restore<T extends NeighbourhoodRecommender>(
    state: ModelState,
    kind: string,
    create: (params: ModelState['params']) => T,
  ): T {
    if (state.kind !== kind) throw new Error(`expected an "${kind}" artifact, got "${state.kind}"`);
    const model = create(state.params);
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const neighbours = new CsrMatrix(
      data.items,
      data.items,
      blobOf(state.blobs, 'neighbours.rowPtr', Int32Array),
      blobOf(state.blobs, 'neighbours.colIdx', Int32Array),
      blobOf(state.blobs, 'neighbours.values', Float32Array),
    );
    model.setNeighbours(neighbours, data);
    return model;
  }
}

/** Assembles items' kept-neighbour rows, one item after another, into an items × items CSR matrix. */
export class NeighbourRowsBuilder {
  private readonly rowPtr: Int32Array;
  private colIdx: Int32Array;
  private values: Float32Array;
  private readonly order: Int32Array;
  private readonly weight: Float64Array;
  private nnz = 0;
  private row = 0;

  constructor(
    readonly items: number,
    readonly neighbours: number,
  ) {
    this.rowPtr = new Int32Array(items + 1);
    this.colIdx = new Int32Array(Math.min(items * neighbours, 1 << 20) || 1);
    this.values = new Float32Array(this.colIdx.length);
    this.order = new Int32Array(neighbours);
    this.weight = new Float64Array(items);
  }

  /** Appends the next item's row: `kept` (any order, at most `neighbours`), each weight times `scale`. */
  push(kept: readonly ScoredIndex[], scale = 1): void {
    this.rowPtr[this.row++] = this.nnz;
    for (let t = 0; t < kept.length; t++) {
      this.order[t] = kept[t].index;
      this.weight[kept[t].index] = kept[t].score;
    }
    // CSR rows keep ascending columns so that a (seed, item) weight is a binary search.
    const row = this.order.subarray(0, kept.length).sort();
    if (this.nnz + row.length > this.colIdx.length) {
      const size = Math.max(this.colIdx.length * 2, this.nnz + row.length);
      this.colIdx = grow(this.colIdx, new Int32Array(size));
      this.values = grow(this.values, new Float32Array(size));
    }
    for (let t = 0; t < row.length; t++) {
      this.colIdx[this.nnz] = row[t];
      this.values[this.nnz++] = this.weight[row[t]] * scale;
    }
  }

  build(): CsrMatrix {
    if (this.row !== this.items) throw new Error(`neighbour rows: ${this.row} of ${this.items} rows pushed`);
    this.rowPtr[this.items] = this.nnz;
    const n = this.items;
    return new CsrMatrix(n, n, this.rowPtr, this.colIdx.slice(0, this.nnz), this.values.slice(0, this.nnz));
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
