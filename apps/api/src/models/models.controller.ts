import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { ActivateModelResponse, ModelListDto, TrainingJobDto, TrainModelAccepted } from '@encore/api-contract';
import { Roles } from '../auth/access.decorators';
import { ApiErrorSchema } from '../common/api-error.schema';
import {
  ActivateModelSchema,
  ModelListSchema,
  TrainingJobSchema,
  TrainModelAcceptedSchema,
  TrainModelBody,
} from './models.dto';
import { ModelsService } from './models.service';
import { TrainingJobs } from './training-jobs.service';

const NOT_ADMIN = { type: ApiErrorSchema, description: 'Not an admin' };

@ApiTags('models')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly jobs: TrainingJobs,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Saved model versions, newest first, with the active and the served one (admin only)' })
  @ApiOkResponse({ type: ModelListSchema })
  @ApiForbiddenResponse(NOT_ADMIN)
  list(): Promise<ModelListDto> {
    return this.models.list();
  }

  @Post('train')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Train, evaluate and publish a new version in a worker thread (admin only); poll the job',
  })
  @ApiAcceptedResponse({ type: TrainModelAcceptedSchema, description: 'Queued; Location names the job' })
  @ApiBadRequestResponse({ type: ApiErrorSchema, description: 'Invalid body; details name the field' })
  @ApiConflictResponse({ type: ApiErrorSchema, description: 'A training job is already queued or running' })
  @ApiForbiddenResponse(NOT_ADMIN)
  train(
    @Body() body: TrainModelBody,
    @Res({ passthrough: true }) res: { location(url: string): unknown },
  ): TrainModelAccepted {
    const job = this.jobs.start(body);
    res.location(`/v1/jobs/${job.id}`);
    return { jobId: job.id, status: job.status };
  }

  @Post(':version/activate')
  @HttpCode(HttpStatus.OK)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Serve a saved version: verified, swapped in, written to ACTIVE, caches dropped (admin only)',
  })
  @ApiOkResponse({ type: ActivateModelSchema })
  @ApiNotFoundResponse({ type: ApiErrorSchema, description: 'No such version' })
  @ApiUnprocessableEntityResponse({
    type: ApiErrorSchema,
    description: 'Corrupt, or trained on another catalog; the served model is unchanged',
  })
  @ApiForbiddenResponse(NOT_ADMIN)
  activate(@Param('version') version: string): Promise<ActivateModelResponse> {
    return this.models.activate(version);
  }
}

@ApiTags('models')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/jobs')
export class JobsController {
  constructor(private readonly jobs: TrainingJobs) {}

  @Get()
  @ApiOperation({ summary: 'Recent training jobs, newest first (admin only)' })
  @ApiOkResponse({ type: [TrainingJobSchema] })
  @ApiForbiddenResponse(NOT_ADMIN)
  list(): TrainingJobDto[] {
    return this.jobs.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One training job: status, progress, and the new version with its metrics (admin only)' })
  @ApiOkResponse({ type: TrainingJobSchema })
  @ApiNotFoundResponse({ type: ApiErrorSchema, description: 'No such job (or forgotten: the last 50 are kept)' })
  @ApiForbiddenResponse(NOT_ADMIN)
  get(@Param('id') id: string): TrainingJobDto {
    return this.jobs.get(id);
  }
}
