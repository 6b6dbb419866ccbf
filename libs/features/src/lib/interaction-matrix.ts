import { CsrMatrix } from '@encore/linalg';
import type { Blob } from '@encore/model-artifact';

const EMPTY = new Int32Array(0);

/** The serialisable form of an InteractionMatrix, merged into a model's ModelState. */
export interface InteractionMatrixState {
  blobs: Record<string, Blob>;
  meta: { userIds: string[]; itemIds: string[] };
}

/**
 * The user × item implicit-feedback matrix every collaborative model trains on, with
 * the id ↔ dense index maps both ways. Values are confidences/preferences (already
 * weighted per event kind); `matrix` rows are users, columns items.
 *
 * A stored entry may hold 0 (e.g. one play then one skip, clamped at 0): the user has
 * seen the item, so it is excluded from their recommendations, but it carries no preference.
 * Disliked items live in `dislikes` (users × items, value 1), not in `matrix`: models never
 * use them as seeds and never recommend them again.
 */
export class InteractionMatrix {
  private userLookup: Map<string, number> | null = null;
  private itemLookup: Map<string, number> | null = null;
  private itemUsersCache: CsrMatrix | null = null;

  constructor(
    readonly userIds: string[],
    readonly itemIds: string[],
    readonly matrix: CsrMatrix,
    readonly dislikes: CsrMatrix | null = null,
  ) {
    if (matrix.rows !== userIds.length || matrix.cols !== itemIds.length) {
      throw new Error(
        `matrix is ${matrix.rows}×${matrix.cols} but there are ${userIds.length} users and ${itemIds.length} items`,
      );
    }
    if (dislikes && (dislikes.rows !== matrix.rows || dislikes.cols !== matrix.cols)) {
      throw new Error(`dislikes are ${dislikes.rows}×${dislikes.cols} but the matrix is ${matrix.rows}×${matrix.cols}`);
    }
  }

  get users(): number {
    return this.userIds.length;
  }

  get items(): number {
    return this.itemIds.length;
  }

  get nnz(): number {
    return this.matrix.nnz;
  }

  userIndex(id: string): number {
    this.userLookup ??= new Map(this.userIds.map((u, i) => [u, i]));
    return this.userLookup.get(id) ?? -1;
  }

  itemIndex(id: string): number {
    this.itemLookup ??= new Map(this.itemIds.map((u, i) => [u, i]));
    return this.itemLookup.get(id) ?? -1;
  }

  /** items × users, computed once. */
  get itemUsers(): CsrMatrix {
    this.itemUsersCache ??= this.matrix.transpose();
    return this.itemUsersCache;
  }

  /** Dense item indices user u has interacted with (ascending; includes zero-valued entries). */
  seen(u: number): Int32Array {
    const m = this.matrix;
    return m.colIdx.subarray(m.rowPtr[u], m.rowPtr[u + 1]);
  }

  /** The values matching `seen(u)`, position for position. */
  values(u: number): Float32Array {
    const m = this.matrix;
    return m.values.subarray(m.rowPtr[u], m.rowPtr[u + 1]);
  }

  /** Dense item indices user u disliked (ascending); never recommended to them. */
  disliked(u: number): Int32Array {
    const d = this.dislikes;
    return d ? d.colIdx.subarray(d.rowPtr[u], d.rowPtr[u + 1]) : EMPTY;
  }

  /** Blobs (`interactions.*`) and id lists for a model's artifact, so a restored model still knows who saw what. */
  toState(): InteractionMatrixState {
    const m = this.matrix;
    const blobs: Record<string, Blob> = {
      'interactions.rowPtr': m.rowPtr,
      'interactions.colIdx': m.colIdx,
      'interactions.values': m.values,
    };
    if (this.dislikes) {
      blobs['dislikes.rowPtr'] = this.dislikes.rowPtr;
      blobs['dislikes.colIdx'] = this.dislikes.colIdx;
    }
    return { blobs, meta: { userIds: this.userIds, itemIds: this.itemIds } };
  }

  static fromState(blobs: Record<string, Blob>, meta: Record<string, unknown>): InteractionMatrix {
    const userIds = meta['userIds'];
    const itemIds = meta['itemIds'];
    if (!isStringArray(userIds) || !isStringArray(itemIds))
      throw new Error('artifact meta lacks the userIds/itemIds string arrays');
    const rows = userIds.length;
    const cols = itemIds.length;
    const matrix = new CsrMatrix(
      rows,
      cols,
      blobOf(blobs, 'interactions.rowPtr', Int32Array),
      blobOf(blobs, 'interactions.colIdx', Int32Array),
      blobOf(blobs, 'interactions.values', Float32Array),
    );
    let dislikes: CsrMatrix | null = null;
    if (blobs['dislikes.rowPtr']) {
      const colIdx = blobOf(blobs, 'dislikes.colIdx', Int32Array);
      dislikes = new CsrMatrix(
        rows,
        cols,
        blobOf(blobs, 'dislikes.rowPtr', Int32Array),
        colIdx,
        new Float32Array(colIdx.length).fill(1),
      );
    }
    return new InteractionMatrix(userIds, itemIds, matrix, dislikes);
  }
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A named blob of the expected typed-array class, or a clear error naming what is missing. */
export function blobOf<T extends Blob>(
  blobs: Record<string, Blob>,
  name: string,
  type: { new (n: number): T; name: string },
): T {
  const b = blobs[name];
  if (!(b instanceof type)) {
    throw new Error(
      `artifact blob "${name}" is ${b === undefined ? 'missing' : b.constructor.name}, expected ${type.name}`,
    );
  }
  return b;
}
