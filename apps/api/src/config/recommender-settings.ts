import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PlatformSettings } from './platform-settings';

export const RECOMMENDER_PROVIDERS = ['engine', 'personalize'] as const;
export type RecommenderProviderKind = (typeof RECOMMENDER_PROVIDERS)[number];

const INTEGER_VARIABLES = [
  'PROVIDER_TIMEOUT_MS',
  'PROVIDER_CIRCUIT_FAILURES',
  'PROVIDER_CIRCUIT_OPEN_MS',
  'MAX_K',
] as const;
const ARN = /^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\d{12}:[a-z-]+\/\S+$/;
const ARN_MESSAGE = 'must be a Personalize ARN such as arn:aws:personalize:eu-west-1:123456789012:campaign/name';
const REQUIRED = 'is required when RECOMMENDER_PROVIDER=personalize';
const personalize = (e: RecommenderSettings) => e.RECOMMENDER_PROVIDER === 'personalize';

/** Rows of CONFIG_TABLE for the recommendation provider; `environment.ts` appends them to its own table. */
export const RECOMMENDER_CONFIG_TABLE: readonly {
  name: keyof RecommenderSettings;
  default: string;
  meaning: string;
}[] = [
  {
    name: 'RECOMMENDER_PROVIDER',
    default: 'engine',
    meaning:
      'engine: the built-in hybrid (ALS + item-kNN + content + popularity), trained in memory at start from the interaction store. personalize: Amazon Personalize campaigns, with the engine answering whenever Personalize fails or is slow (responses then carry `fallback`).',
  },
  {
    name: 'PERSONALIZE_REGION',
    default: '(required for personalize)',
    meaning: 'AWS region of the campaigns, e.g. eu-west-1.',
  },
  {
    name: 'PERSONALIZE_USER_CAMPAIGN_ARN',
    default: '(required for personalize)',
    meaning: 'Campaign of a USER_PERSONALIZATION recipe: GET /v1/users/:id/recommendations.',
  },
  {
    name: 'PERSONALIZE_SIMILAR_CAMPAIGN_ARN',
    default: '(required for personalize)',
    meaning: 'Campaign of a SIMILAR_ITEMS recipe: GET /v1/songs/:id/similar and guest sessions.',
  },
  {
    name: 'PERSONALIZE_TRACKING_ID',
    default: '(required for personalize)',
    meaning: 'Event tracker id: feedback is forwarded with PutEvents.',
  },
  {
    name: 'PERSONALIZE_FILTER_ARN',
    default: '(unset: genres filtered client-side)',
    meaning: 'Filter `INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)` used for the genre parameter.',
  },
  {
    name: 'PERSONALIZE_ENDPOINT',
    default: '(unset: the AWS endpoint)',
    meaning:
      'Endpoint override for both Personalize APIs (VPC endpoint, local fake). Credentials come from the AWS SDK default chain.',
  },
  {
    name: 'PROVIDER_TIMEOUT_MS',
    default: '800',
    meaning:
      'Longest wait for Personalize per request before the engine answers (the response then carries `fallback`).',
  },
  {
    name: 'PROVIDER_CIRCUIT_FAILURES',
    default: '5',
    meaning:
      'Consecutive Personalize failures (errors or timeouts) that open the circuit: every request then goes straight to the engine for PROVIDER_CIRCUIT_OPEN_MS.',
  },
  {
    name: 'PROVIDER_CIRCUIT_OPEN_MS',
    default: '30000',
    meaning:
      'How long an open circuit skips Personalize; then one trial call is let through, and its success closes the circuit.',
  },
  { name: 'MAX_K', default: '100', meaning: 'Largest k (list length) a recommendation request may ask for.' },
];

/** The variables above, typed and validated (Environment extends this class). */
export class RecommenderSettings extends PlatformSettings {
  @IsIn(RECOMMENDER_PROVIDERS, { message: `must be one of ${RECOMMENDER_PROVIDERS.join(', ')}` })
  RECOMMENDER_PROVIDER: RecommenderProviderKind = 'engine';

  // The required check sits next to the field: class-validator reports it first.
  @ValidateIf(personalize)
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region such as eu-west-1' })
  @IsNotEmpty({ message: REQUIRED })
  PERSONALIZE_REGION?: string;

  @ValidateIf(personalize)
  @Matches(ARN, { message: ARN_MESSAGE })
  @IsNotEmpty({ message: REQUIRED })
  PERSONALIZE_USER_CAMPAIGN_ARN?: string;

  @ValidateIf(personalize)
  @Matches(ARN, { message: ARN_MESSAGE })
  @IsNotEmpty({ message: REQUIRED })
  PERSONALIZE_SIMILAR_CAMPAIGN_ARN?: string;

  @ValidateIf(personalize)
  @IsString({ message: 'must be a string' })
  @IsNotEmpty({ message: REQUIRED })
  PERSONALIZE_TRACKING_ID?: string;

  @IsOptional()
  @Matches(ARN, { message: ARN_MESSAGE })
  PERSONALIZE_FILTER_ARN?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  PERSONALIZE_ENDPOINT?: string;

  @IsInt({ message: 'must be an integer between 10 and 60000' })
  @Min(10, { message: 'must be an integer between 10 and 60000' })
  @Max(60_000, { message: 'must be an integer between 10 and 60000' })
  PROVIDER_TIMEOUT_MS = 800;

  @IsInt({ message: 'must be an integer between 1 and 1000' })
  @Min(1, { message: 'must be an integer between 1 and 1000' })
  @Max(1000, { message: 'must be an integer between 1 and 1000' })
  PROVIDER_CIRCUIT_FAILURES = 5;

  @IsInt({ message: 'must be an integer between 100 and 3600000' })
  @Min(100, { message: 'must be an integer between 100 and 3600000' })
  @Max(3_600_000, { message: 'must be an integer between 100 and 3600000' })
  PROVIDER_CIRCUIT_OPEN_MS = 30_000;

  @IsInt({ message: 'must be an integer between 1 and 1000' })
  @Min(1, { message: 'must be an integer between 1 and 1000' })
  @Max(1000, { message: 'must be an integer between 1 and 1000' })
  MAX_K = 100;
}

/** Turns the text of the integer variables into numbers (unrecognised text is left to fail validation). */
export function coerceRecommenderValues(picked: Record<string, unknown>): void {
  for (const name of INTEGER_VARIABLES) {
    const value = picked[name];
    if (typeof value === 'string' && /^-?\d+$/.test(value)) picked[name] = Number(value);
  }
}
