import type { RecommendationStrategy } from './recommendations';

/** Blend weights of the engine's hybrid, per component (each ≥ 0). */
export interface EngineWeightsDto {
  als?: number;
  itemKnn?: number;
  content?: number;
  popularity?: number;
}

/** Engine model options a training job may override; anything left out keeps the server's settings. */
export interface TrainModelParams {
  weights?: EngineWeightsDto;
  als?: { factors?: number; iterations?: number; regularization?: number; alpha?: number };
  itemKnn?: { neighbours?: number; shrinkage?: number };
  /** Depth of each component's candidate list in the blend. */
  candidates?: number;
}

/** Body of POST /v1/models/train. */
export interface TrainModelRequest {
  params?: TrainModelParams;
  /** The strategy whose lists are scored on the held-out split (default 'hybrid'). */
  strategy?: RecommendationStrategy;
  /** Activate the new version as soon as it is published (default false). */
  activate?: boolean;
}

export type TrainingJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** 202 answer of POST /v1/models/train; poll GET /v1/jobs/:jobId. */
export interface TrainModelAccepted {
  jobId: string;
  status: TrainingJobStatus;
}

/** GET /v1/jobs/:id. Times are ISO 8601; `progress` goes from 0 to 1. */
export interface TrainingJobDto {
  id: string;
  kind: 'train';
  status: TrainingJobStatus;
  progress: number;
  /** What the job is doing now, e.g. "training on all interactions". */
  step: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  request: TrainModelRequest;
  /** The published version (status succeeded). */
  version?: string;
  /** Held-out metrics of the new version, e.g. `ndcg@10`. */
  metrics?: Record<string, number>;
  /** Whether the new version was activated (request.activate). */
  activated?: boolean;
  /** Why the job failed (status failed). */
  error?: string;
}

/** One saved model version, newest first in ModelListDto. */
export interface ModelVersionDto {
  version: string;
  /** 'encore-engine' for the API's own models. */
  kind: string;
  createdAt: string;
  /** Held-out metrics at training time: `precision@10`, `recall@10`, `ndcg@10`, `map@10`, `hitRate@10`, `coverage@10`, `novelty@10`, `evaluatedUsers`. */
  metrics: Record<string, number>;
  /** SHA-256 of the training interactions, or null. */
  trainingFingerprint: string | null;
  /** The options it was trained with. */
  params: Record<string, unknown>;
  /** Whether the ACTIVE pointer names this version. */
  active: boolean;
}

/** GET /v1/models. */
export interface ModelListDto {
  /** The version named by the ACTIVE pointer (what every replica serves), or null. */
  active: string | null;
  /** The model this replica serves and where it came from. */
  served: { version: string; loadedFrom: 'artifact' | 'training' } | null;
  items: ModelVersionDto[];
}

/** 200 answer of POST /v1/models/:version/activate. */
export interface ActivateModelResponse {
  active: string;
  /** The version served before, or null. */
  previous: string | null;
}
