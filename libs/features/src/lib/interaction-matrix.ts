import { CsrMatrix } from '@encore/linalg';

/**
 * The user × item implicit-feedback matrix every collaborative model trains on, with
 * the id ↔ dense index maps both ways. Values are confidences/preferences (already
 * weighted per event kind); `matrix` rows are users, columns items.
 */
export class InteractionMatrix {
  private userLookup: Map<string, number> | null = null;
  private itemLookup: Map<string, number> | null = null;
  private itemUsersCache: CsrMatrix | null = null;

  constructor(
    readonly userIds: string[],
    readonly itemIds: string[],
    readonly matrix: CsrMatrix,
  ) {
    if (matrix.rows !== userIds.length || matrix.cols !== itemIds.length) {
      throw new Error(`matrix is ${matrix.rows}×${matrix.cols} but there are ${userIds.length} users and ${itemIds.length} items`);
    }
  }

  get users(): number {
    return this.userIds.length;
  }

  get items(): number {
    return this.itemIds.length;
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

  /** Dense item indices user u has interacted with (positive or negative). */
  seen(u: number): Int32Array {
    const m = this.matrix;
    return m.colIdx.subarray(m.rowPtr[u], m.rowPtr[u + 1]);
  }
}
