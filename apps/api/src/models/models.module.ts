import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { CatalogModule } from '../catalog/catalog.module';
import { RecommendationsModule } from '../recommendations/recommendations.module';
import { JobsController, ModelsController } from './models.controller';
import { ModelsService } from './models.service';
import { TrainingJobs } from './training-jobs.service';
import { TrainingRunner, WorkerTrainingRunner } from './training-runner';

/**
 * Admin model management: saved versions (GET /v1/models), activation, training jobs run in a
 * worker thread with ALS on TRAINING_THREADS threads (POST /v1/models/train, GET /v1/jobs/:id),
 * and following ACTIVE set elsewhere.
 */
@Module({
  imports: [CatalogModule, RecommendationsModule],
  controllers: [ModelsController, JobsController],
  providers: [
    ModelsService,
    TrainingJobs,
    {
      provide: TrainingRunner,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new WorkerTrainingRunner({ alsThreads: config.get('TRAINING_THREADS', { infer: true }) }),
    },
  ],
})
export class ModelsModule {}
