export type { AudioFeaturesDto, SongDto, SongSort, SongQuery, Page, GenreDto, HealthDto } from './lib/songs';
export type { ApiErrorBody, FieldError } from './lib/errors';
export type {
  UserRoleDto,
  CredentialsRequest,
  ChangePasswordRequest,
  RegisteredUserDto,
  AccessTokenDto,
  CurrentUserDto,
  FeedbackEventType,
  FeedbackEventInput,
  RecordFeedbackRequest,
  RecordFeedbackResponse,
  SongSummaryDto,
  HistoryItemDto,
  HistoryPageDto,
  AdminStatsDto,
} from './lib/accounts';
export type {
  RecommendationStrategy,
  RecommendationReasonDto,
  RecommendedSongDto,
  RecommendationsDto,
  RecommendationsQuery,
  SimilarSongsQuery,
  SessionRecommendationsRequest,
} from './lib/recommendations';
export type {
  EngineWeightsDto,
  TrainModelParams,
  TrainModelRequest,
  TrainingJobStatus,
  TrainModelAccepted,
  TrainingJobDto,
  ModelVersionDto,
  ModelListDto,
  ActivateModelResponse,
} from './lib/models';
