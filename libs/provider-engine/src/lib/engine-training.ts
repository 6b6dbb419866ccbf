import {
  evaluateRecommender,
  METRIC_NAMES,
  positiveFeedback,
  stratifiedSplit,
  type EvaluationResult,
} from '@encore/evaluation';
import type { AlsTaskRunner } from '@encore/collaborative';
import type { Strategy } from '@encore/recommender-port';
import {
  trainEngineModel,
  trainEngineModelWith,
  type EngineInteraction,
  type EngineModel,
  type TrainEngineModelInput,
} from './engine-model';

export interface EngineEvaluationOptions {
  /** List length the metrics are computed at. Default 10. */
  k?: number;
  /** Share of each listener's events kept for training the held-out model. Default 0.8. */
  ratio?: number;
  seed?: number;
  /** The strategy whose lists are scored. Default 'hybrid'. */
  strategy?: Strategy;
}

export interface EngineTrainingInput extends TrainEngineModelInput {
  /** Held-out evaluation before the final fit; false skips it (no metrics). */
  evaluation?: EngineEvaluationOptions | false;
  /** Called between phases with the share done (0…1) and what comes next. */
  onProgress?: (progress: number, step: string) => void;
  /**
   * Runs the ALS phases of both fits (e.g. on worker threads); absent: on the calling thread.
   * Either way the factors, metrics and model are the same, bit for bit.
   */
  alsRunner?: AlsTaskRunner;
}

export interface EngineTrainingResult {
  /** Trained on every interaction: the model to publish and serve. */
  model: EngineModel;
  /** `<metric>@<k>` (precision, recall, ndcg, map, hitRate, coverage, novelty) plus evaluatedUsers; {} without evaluation. */
  metrics: Record<string, number>;
  evaluation: EvaluationResult | null;
}

/**
 * The offline protocol of the CLI's `train --evaluate`, for the engine bundle: fit on a per-listener
 * stratified split (Recommenders' python_stratified_split), score the held-out events that are not
 * skips or dislikes, then fit the served model on everything. The published metrics therefore
 * describe a model trained on 80% of the data; the served one has seen all of it.
 */
export async function trainAndEvaluateEngineModel(input: EngineTrainingInput): Promise<EngineTrainingResult> {
  const progress = input.onProgress ?? (() => undefined);
  const { alsRunner } = input;
  const train = (what: TrainEngineModelInput) =>
    alsRunner ? trainEngineModelWith(what, alsRunner) : Promise.resolve(trainEngineModel(what));
  let evaluation: EvaluationResult | null = null;
  let metrics: Record<string, number> = {};
  if (input.evaluation !== false) {
    const o = input.evaluation ?? {};
    const k = o.k ?? 10;
    progress(0.05, 'splitting the interactions for evaluation');
    const rows = input.interactions.map((e) => ({
      userId: e.userId,
      itemId: e.songId,
      event: e.event,
      timestamp: e.timestamp,
      weight: e.weight,
      row: e,
    }));
    const split = stratifiedSplit(rows, { ratio: o.ratio ?? 0.8, seed: o.seed ?? 42 });
    progress(0.1, 'training on the training split');
    const heldOut = await train({ ...input, interactions: split.train.map((r): EngineInteraction => r.row) });
    progress(0.45, 'evaluating on the held-out split');
    evaluation = evaluateRecommender(heldOut.rankers[o.strategy ?? 'hybrid'], heldOut.data, split.test, {
      k,
      relevance: positiveFeedback,
    });
    metrics = { evaluatedUsers: evaluation.users };
    for (const name of METRIC_NAMES) {
      const value = (evaluation as EvaluationResult)[name];
      // The manifest only takes finite numbers (novelty of an empty list set is undefined).
      if (Number.isFinite(value)) metrics[`${name}@${k}`] = value;
    }
  }
  progress(0.55, 'training on all interactions');
  const model = await train(input);
  progress(0.95, 'trained');
  return { model, metrics, evaluation };
}
