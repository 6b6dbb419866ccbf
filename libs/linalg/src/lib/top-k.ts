/**
 * Top-k selection with a bounded min-heap: O(n log k) over a score array instead of
 * an O(n log n) sort of the whole catalog. Ties break towards the lower index so
 * results are deterministic.
 */
export interface ScoredIndex {
  index: number;
  score: number;
}

// Module constants and `x !== x` rather than globals: under Jest's vm sandbox every read of a global
// (`Infinity`, `Number.isNaN`) is a slow property lookup, which made a 114K-item scan ~50× slower in tests.
const NEGATIVE_INFINITY = -Infinity;

export class TopK {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.idx = new Int32Array(Math.max(k, 0));
    this.val = new Float64Array(Math.max(k, 0));
  }

  get length(): number {
    return this.size;
  }

  /** Lowest score currently kept, -Infinity until the heap is full. */
  get threshold(): number {
    return this.size < this.k ? NEGATIVE_INFINITY : this.val[0];
  }

  push(index: number, score: number): void {
    if (this.k <= 0 || score !== score) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.idx[i] = index;
      this.val[i] = score;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    // Replace the root only when the candidate beats it.
    if (score < this.val[0] || (score === this.val[0] && index > this.idx[0])) return;
    this.idx[0] = index;
    this.val[0] = score;
    this.siftDown(0);
  }

  /** Best first. */
  toSorted(): ScoredIndex[] {
    const out: ScoredIndex[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.idx[i], score: this.val[i] });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  /** "a ranks below b": lower score, or equal score with a higher index. */
  private worse(a: number, b: number): boolean {
    return this.val[a] < this.val[b] || (this.val[a] === this.val[b] && this.idx[a] > this.idx[b]);
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const ti = this.idx[a];
    this.idx[a] = this.idx[b];
    this.idx[b] = ti;
    const tv = this.val[a];
    this.val[a] = this.val[b];
    this.val[b] = tv;
  }
}

/**
 * The k best entries of `scores`, best first, skipping indices for which `skip(i)` is true
 * and non-finite scores (-Infinity marks "excluded" across the engine).
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (index: number) => boolean): ScoredIndex[] {
  const heap = new TopK(k);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s === NEGATIVE_INFINITY || s !== s) continue;
    if (s < heap.threshold) continue;
    if (skip && skip(i)) continue;
    heap.push(i, s);
  }
  return heap.toSorted();
}
