import {
  strongestSeed,
  blobOf,
  InteractionMatrix,
  ScoringRecommender,
  assertFitted,
  assertScoreBuffer,
  assertUser,
  type FitReport,
  type Reason,
  type Scored,
} from '@encore/features';
import { InnerProductIndex, TopK, matVec } from '@encore/linalg';
import type { ModelState } from '@encore/model-artifact';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { AlsTraining, gramOf, type AlsTask, type AlsTrainingState } from './als-training';

export interface ImplicitAlsOptions {
  /** Latent dimensions. Default 64. */
  factors: number;
  /** λ on both factor matrices. Default 30 (tuned with alpha on MovieLens 100K as binary plays). */
  regularization: number;
  /** Confidence slope: c = 1 + α·r ('linear') or 1 + α·log(1 + r/ε) ('log', for raw play counts). Default 3. */
  alpha: number;
  scaling: 'linear' | 'log';
  /** ε of the log scaling. Default 1. */
  epsilon: number;
  /** Alternating sweeps (items, then users). Default 15. */
  iterations: number;
  /** Conjugate-gradient steps per row and sweep. Default 3. */
  cgSteps: number;
  seed: number;
  /** Record the full weighted loss after every iteration in the FitReport (≈ 7% extra time). Default false. */
  computeLoss: boolean;
}

/**
 * Runs the tasks of one training phase, e.g. on worker threads (apps/cli's worker pool) with
 * runAlsTask(state, task) in each; the tasks of a phase are independent.
 */
export interface AlsTaskRunner {
  /** How many tasks to split each phase into: the number of threads. */
  readonly parallelism: number;
  /** Whether tasks run on other threads, so the training state must live in shared memory. */
  readonly shared: boolean;
  /** Resolves once every task has finished; rejects if any failed. */
  run(state: AlsTrainingState, tasks: readonly AlsTask[]): Promise<void>;
}

const DEFAULTS: ImplicitAlsOptions = {
  factors: 64,
  regularization: 30,
  alpha: 3,
  scaling: 'linear',
  epsilon: 1,
  iterations: 15,
  cgSteps: 3,
  seed: 42,
  computeLoss: false,
};

/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008): minimise
 * Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all pairs, observed or not.
 * Each row update solves (YᵀY + Yᵀ(Cᵘ − I)Y + λI) x_u = YᵀCᵘp_u approximately with a few
 * conjugate-gradient steps warm-started from the previous x_u (Takács, Pilászy & Tikk 2011,
 * as in the `implicit` library): YᵀY is shared by all rows, so a row costs O(k²) plus O(k)
 * per observed entry. Items are updated before users in each sweep, so user vectors are
 * always fitted to the final item vectors — the same problem foldInUser() solves exactly.
 */
export class ImplicitAls extends ScoringRecommender {
  readonly kind = 'als';
  readonly options: ImplicitAlsOptions;
  private x: Float32Array | null = null;
  private y: Float32Array | null = null;
  private itemGramCache: Float64Array | null = null;
  private itemNormCache: Float32Array | null = null;
  private itemIndexCache: InnerProductIndex | null = null;
  /** Items to leave out of the current query (seen, disliked, excluded); all zero between queries. */
  private skipMask: Uint8Array | null = null;

  constructor(options: Partial<ImplicitAlsOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    const o = this.options;
    if (!(o.factors >= 1) || !Number.isInteger(o.factors))
      throw new Error(`als: factors must be an integer ≥ 1, got ${o.factors}`);
    if (!(o.regularization > 0)) throw new Error(`als: regularization must be > 0, got ${o.regularization}`);
    if (!(o.alpha >= 0)) throw new Error(`als: alpha must be ≥ 0, got ${o.alpha}`);
    if (!(o.cgSteps >= 1) || !(o.iterations >= 0)) throw new Error(`als: need cgSteps ≥ 1 and iterations ≥ 0`);
  }

  /** users × factors, row-major. */
  get userFactors(): Float32Array {
    return assertFitted(this.kind, this.x);
  }

  /** items × factors, row-major. */
  get itemFactors(): Float32Array {
    return assertFitted(this.kind, this.y);
  }

  fit(data: InteractionMatrix): FitReport {
    const start = performance.now();
    const training = new AlsTraining(data, this.options);
    training.runHere();
    return this.adopt(data, training, start);
  }

  /**
   * The same fit with each phase's tasks handed to `runner`, which may run them on worker threads
   * (the state then lives in shared memory). Every task writes disjoint rows, so the factors are
   * bit-for-bit those of fit().
   */
  async fitWith(data: InteractionMatrix, runner: AlsTaskRunner): Promise<FitReport> {
    const start = performance.now();
    const training = new AlsTraining(data, this.options, { parts: runner.parallelism, shared: runner.shared });
    for (const tasks of training.phases()) await runner.run(training.state, tasks);
    return this.adopt(data, training, start);
  }

  private adopt(data: InteractionMatrix, training: AlsTraining, start: number): FitReport {
    this.x = Float32Array.from(training.state.x);
    this.y = Float32Array.from(training.state.y);
    this.itemGramCache = null;
    this.itemNormCache = null;
    this.itemIndexCache = null;
    this.skipMask = null;
    this.setInteractions(data);
    return {
      kind: this.kind,
      users: data.users,
      items: data.items,
      nnz: data.nnz,
      elapsedMs: performance.now() - start,
      details: {
        loss: training.loss,
        iterations: this.options.iterations,
        factors: this.options.factors,
        // Tasks per phase: the threads of a fitWith runner, 1 for fit (the factors are the same either way).
        parallelism: training.parts,
      },
    };
  }

  private confidenceExtra(v: number): number {
    const { alpha, scaling, epsilon } = this.options;
    const r = Math.abs(v);
    return scaling === 'log' ? alpha * Math.log1p(r / epsilon) : alpha * r;
  }

  /** YᵀY + λI for the current item factors (fold-in), computed once. */
  private get itemGram(): Float64Array {
    this.itemGramCache ??= gramOf(
      this.itemFactors,
      this.interactions.items,
      this.options.factors,
      this.options.regularization,
    );
    return this.itemGramCache;
  }

  /**
   * A user vector from interactions alone, without retraining: the exact least-squares
   * solution of the user step, (YᵀY + Yᵀ(Cᵘ − I)Y + λI) x = YᵀCᵘp, by a k×k Cholesky solve.
   */
  foldInUser(items: ArrayLike<number>, values: ArrayLike<number>): Float32Array {
    const y = this.itemFactors;
    const k = this.options.factors;
    const a = this.itemGram.slice();
    const b = new Float64Array(k);
    for (let p = 0; p < items.length; p++) {
      const v = values[p];
      const extra = this.confidenceExtra(v);
      const off = items[p] * k;
      if (extra !== 0) {
        for (let r = 0; r < k; r++) {
          const yr = extra * y[off + r];
          for (let c = 0; c < k; c++) a[r * k + c] += yr * y[off + c];
        }
      }
      if (v > 0) for (let r = 0; r < k; r++) b[r] += (1 + extra) * y[off + r];
    }
    const chol = new CholeskyDecomposition(Matrix.from1DArray(k, k, a));
    if (!chol.isPositiveDefinite()) throw new Error('als: fold-in system is not positive definite');
    return Float32Array.from(chol.solve(Matrix.columnVector(b)).getColumn(0));
  }

  /**
   * Same result as scoring every item and heap-selecting (the ScoringRecommender path), but through
   * the norm-ordered item index, which stops once no remaining item can make the top k.
   */
  override recommend(user: number, k: number, exclude?: ReadonlySet<number>): Scored[] {
    const data = this.interactions;
    assertUser(this.kind, user, data.users);
    if (k <= 0) return [];
    const f = this.options.factors;
    this.itemIndexCache ??= new InnerProductIndex(this.itemFactors, f);
    const skip = (this.skipMask ??= new Uint8Array(data.items));
    const seen = data.seen(user);
    const disliked = data.disliked(user);
    for (let p = 0; p < seen.length; p++) skip[seen[p]] = 1;
    for (let p = 0; p < disliked.length; p++) skip[disliked[p]] = 1;
    if (exclude) for (const i of exclude) if (i >= 0 && i < data.items) skip[i] = 1;
    let top;
    try {
      top = this.itemIndexCache.search(this.userFactors.subarray(user * f, (user + 1) * f), k, skip);
    } finally {
      skip.fill(0);
    }
    return top.map((s) => ({ index: s.index, score: s.score, reason: this.explain(user, s.index) }));
  }

  scoreAll(user: number, out: Float32Array): Float32Array {
    const k = this.options.factors;
    return this.scoreVector(this.userFactors.subarray(user * k, (user + 1) * k), out);
  }

  scoreInteractions(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): Float32Array {
    return this.scoreVector(this.foldInUser(items, values), out);
  }

  private scoreVector(xu: Float32Array, out: Float32Array): Float32Array {
    const n = this.interactions.items;
    assertScoreBuffer(this.kind, out, n);
    return matVec(this.itemFactors, this.options.factors, xu, out);
  }

  /** The seen item with the largest c_ui·(y_i·y_j): a cheap stand-in for Hu et al.'s exact attribution. */
  protected explain(user: number, item: number): Reason {
    const y = this.itemFactors;
    const k = this.options.factors;
    const data = this.interactions;
    const oj = item * k;
    return strongestSeed(this.kind, data.seen(user), data.values(user), (seed, value) => {
      if (!(value > 0)) return 0;
      const oi = seed * k;
      let s = 0;
      for (let f = 0; f < k; f++) s += y[oi + f] * y[oj + f];
      return s * (1 + this.confidenceExtra(value));
    });
  }

  /** Items whose factor vectors have the highest cosine with `item`'s. */
  similarItems(item: number, k: number): Scored[] {
    const y = this.itemFactors;
    const f = this.options.factors;
    const n = this.interactions.items;
    if (!this.itemNormCache) {
      const norms = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < f; j++) s += y[i * f + j] * y[i * f + j];
        norms[i] = Math.sqrt(s);
      }
      this.itemNormCache = norms;
    }
    const norms = this.itemNormCache;
    const heap = new TopK(k);
    const oi = item * f;
    if (norms[item] === 0) return [];
    for (let j = 0; j < n; j++) {
      if (j === item || norms[j] === 0) continue;
      let s = 0;
      for (let d = 0; d < f; d++) s += y[oi + d] * y[j * f + d];
      heap.push(j, s / (norms[item] * norms[j]));
    }
    return heap
      .toSorted()
      .map((s) => ({ index: s.index, score: s.score, reason: { source: this.kind, seedItem: item } }));
  }

  toArtifact(): ModelState {
    const { blobs, meta } = this.interactions.toState();
    return {
      kind: this.kind,
      params: { ...this.options },
      blobs: { ...blobs, userFactors: this.userFactors, itemFactors: this.itemFactors },
      meta,
    };
  }

  static fromArtifact(state: ModelState): ImplicitAls {
    if (state.kind !== 'als') throw new Error(`expected an "als" artifact, got "${state.kind}"`);
    const model = new ImplicitAls(state.params as Partial<ImplicitAlsOptions>);
    const data = InteractionMatrix.fromState(state.blobs, state.meta);
    const k = model.options.factors;
    const x = blobOf(state.blobs, 'userFactors', Float32Array);
    const y = blobOf(state.blobs, 'itemFactors', Float32Array);
    if (x.length !== data.users * k || y.length !== data.items * k) {
      throw new Error(
        `als: factor blobs hold ${x.length} and ${y.length} values for ${data.users} users, ${data.items} items × ${k} factors`,
      );
    }
    model.x = x;
    model.y = y;
    model.setInteractions(data);
    return model;
  }
}
