import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  ActivateModelResponse,
  EngineWeightsDto,
  ModelListDto,
  ModelVersionDto,
  RecommendationStrategy,
  TrainingJobDto,
  TrainingJobStatus,
  TrainModelAccepted,
  TrainModelParams,
  TrainModelRequest,
} from '@encore/api-contract';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';

const STRATEGIES: readonly RecommendationStrategy[] = ['hybrid', 'cf', 'content', 'popular'];
const JOB_STATUSES: readonly TrainingJobStatus[] = ['queued', 'running', 'succeeded', 'failed'];

const Weight = () =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 0, maximum: 100 }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(100),
  );

export class EngineWeightsBody implements EngineWeightsDto {
  @Weight() als?: number;
  @Weight() itemKnn?: number;
  @Weight() content?: number;
  @Weight() popularity?: number;
}

export class AlsParamsBody {
  @ApiPropertyOptional({ minimum: 1, maximum: 256, example: 32 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  factors?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  iterations?: number;

  @ApiPropertyOptional({ minimum: 0, exclusiveMinimum: true, maximum: 10000, example: 30 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.000001)
  @Max(10_000)
  regularization?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, example: 3 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  alpha?: number;
}

export class ItemKnnParamsBody {
  @ApiPropertyOptional({ minimum: 1, maximum: 2000, example: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2000)
  neighbours?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10000, example: 10 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  shrinkage?: number;
}

export class TrainParamsBody implements TrainModelParams {
  @ApiPropertyOptional({ type: EngineWeightsBody, description: 'Hybrid blend weights' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EngineWeightsBody)
  weights?: EngineWeightsBody;

  @ApiPropertyOptional({ type: AlsParamsBody })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlsParamsBody)
  als?: AlsParamsBody;

  @ApiPropertyOptional({ type: ItemKnnParamsBody })
  @IsOptional()
  @ValidateNested()
  @Type(() => ItemKnnParamsBody)
  itemKnn?: ItemKnnParamsBody;

  @ApiPropertyOptional({ minimum: 10, maximum: 5000, description: 'Candidate list depth per component' })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(5000)
  candidates?: number;
}

export class TrainModelBody implements TrainModelRequest {
  @ApiPropertyOptional({ type: TrainParamsBody, description: "Overrides of the server's engine options" })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrainParamsBody)
  params?: TrainParamsBody;

  @ApiPropertyOptional({ enum: STRATEGIES, description: 'Strategy scored on the held-out split (default hybrid)' })
  @IsOptional()
  @IsIn(STRATEGIES)
  strategy?: RecommendationStrategy;

  @ApiPropertyOptional({ description: 'Activate the new version once published (default false)' })
  @IsOptional()
  @IsBoolean()
  activate?: boolean;
}

export class TrainModelAcceptedSchema implements TrainModelAccepted {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: TrainingJobStatus;
}

export class TrainingJobSchema implements TrainingJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['train'] }) kind!: 'train';
  @ApiProperty({ enum: JOB_STATUSES }) status!: TrainingJobStatus;
  @ApiProperty({ minimum: 0, maximum: 1 }) progress!: number;
  @ApiProperty({ example: 'training on all interactions' }) step!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: TrainModelBody }) request!: TrainModelRequest;
  @ApiPropertyOptional({ example: 'engine-20261125T120000Z-1a2b3c4d' }) version?: string;
  @ApiPropertyOptional({ example: { 'ndcg@10': 0.21, 'precision@10': 0.08 } }) metrics?: Record<string, number>;
  @ApiPropertyOptional() activated?: boolean;
  @ApiPropertyOptional() error?: string;
}

export class ModelVersionSchema implements ModelVersionDto {
  @ApiProperty({ example: 'engine-20261125T120000Z-1a2b3c4d' }) version!: string;
  @ApiProperty({ example: 'encore-engine' }) kind!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: { 'ndcg@10': 0.21, 'map@10': 0.1 } }) metrics!: Record<string, number>;
  @ApiProperty({ nullable: true, type: String }) trainingFingerprint!: string | null;
  @ApiProperty({ type: Object }) params!: Record<string, unknown>;
  @ApiProperty() active!: boolean;
}

class ServedModelSchema {
  @ApiProperty() version!: string;
  @ApiProperty({ enum: ['artifact', 'training'] }) loadedFrom!: 'artifact' | 'training';
}

export class ModelListSchema implements ModelListDto {
  @ApiProperty({ nullable: true, type: String }) active!: string | null;
  @ApiProperty({ type: ServedModelSchema, nullable: true }) served!: ServedModelSchema | null;
  @ApiProperty({ type: [ModelVersionSchema] }) items!: ModelVersionSchema[];
}

export class ActivateModelSchema implements ActivateModelResponse {
  @ApiProperty() active!: string;
  @ApiProperty({ nullable: true, type: String }) previous!: string | null;
}
