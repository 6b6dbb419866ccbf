import { isAbsolute, join } from 'node:path';

/**
 * Everything the stacks can be told, read from CDK context (`cdk.json` or `--context key=value`). Context rather
 * than CloudFormation parameters because several settings decide which resources exist (a certificate or an
 * imported ARN, the training schedule, Personalize grants), and rather than environment variables so that a
 * `cdk synth` is reproducible from its command line alone.
 */
export interface InfraSettings {
  /** Tag of both images in ECR; the deploy workflow passes the commit SHA. */
  imageTag: string;
  apiRepositoryName: string;
  cliRepositoryName: string;
  /** Undefined when neither certificateArn nor domainName is set: the container stack then refuses to synthesize. */
  certificate?: CertificateSettings;
  alarmEmail?: string;
  /** Outbound path of the private subnets: a t4g.nano NAT instance (default, ~$4 a month) or a managed NAT gateway (~$34). */
  natProvider: 'gateway' | 'instance';
  api: { minTasks: number; maxTasks: number; cpu: number; memoryMiB: number };
  logRetentionDays: number;
  /** Key prefix of the model artifacts in the artifacts bucket (ARTIFACT_S3_PREFIX). */
  artifactPrefix: string;
  personalize?: PersonalizeSettings;
  /** Undefined when trainingSchedule is `off`. */
  training?: { schedule: string; args: string[]; cpu: number; memoryMiB: number };
  lambda: LambdaSettings;
  dynamoTablePrefix: string;
}

export type CertificateSettings =
  | { kind: 'imported'; arn: string }
  /** A new ACM certificate validated by DNS: automatically in the hosted zone when given, else by hand. */
  | { kind: 'dns'; domainName: string; hostedZone?: { id: string; name: string } };

export interface PersonalizeSettings {
  userCampaignArn: string;
  similarCampaignArn: string;
  trackingId: string;
  /** PutEvents is authorised on the event tracker's ARN; without it, on every tracker of the account and region. */
  eventTrackerArn?: string;
  filterArn?: string;
}

export interface LambdaSettings {
  /** Directory holding lambda.js and the node_modules it needs. */
  assetDir: string;
  /** true when the path was given explicitly: a missing bundle is then an error instead of a placeholder. */
  required: boolean;
  memoryMiB: number;
  timeoutSeconds: number;
}

/** Arguments of `encore train` after `--out s3://<artifacts bucket>/<prefix>`, which the stack supplies. */
export const DEFAULT_TRAINING_ARGS = ['--dataset', 'spotify-sim', '--evaluate', '--activate', '--json'];
/** Written by `nx run infra:package-lambda`: the api build plus its production node_modules and the sample catalog. */
export const DEFAULT_LAMBDA_ASSET_DIR = 'dist/apps/api-lambda';
const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096];
/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PERSONALIZE_ARN = (kind: string) => new RegExp(`^arn:aws[a-z-]*:personalize:[a-z0-9-]+:\\d{12}:${kind}/\\S+$`);

export class InfraSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid CDK context:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraSettingsError';
  }
}

/**
 * Validates the context and fills in defaults. `context` is `app.node.tryGetContext`; values arrive as strings
 * from `--context` and as JSON values from cdk.json, so both are accepted. Relative paths resolve against `repoRoot`.
 */
export function readSettings(context: (key: string) => unknown, repoRoot: string): InfraSettings {
  const problems: string[] = [];
  const read = new ContextReader(context, problems);

  const imageTag = read.string(
    'imageTag',
    'latest',
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    'must be a Docker image tag',
  );
  const repositoryName = /^[a-z0-9]+([._/-][a-z0-9]+)*$/;
  const apiRepositoryName = read.string('apiRepositoryName', 'encore-api', repositoryName, 'must be an ECR name');
  const cliRepositoryName = read.string('cliRepositoryName', 'encore-cli', repositoryName, 'must be an ECR name');

  const certificateArn = read.optionalString('certificateArn', ACM_ARN, 'must be an ACM certificate ARN');
  const domainName = read.optionalString('domainName', DOMAIN, 'must be a lower-case DNS name such as api.example.com');
  const hostedZoneId = read.optionalString('hostedZoneId', /^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id');
  const hostedZoneName = read.optionalString('hostedZoneName', DOMAIN, 'must be the DNS name of the hosted zone');
  let certificate: CertificateSettings | undefined;
  if (certificateArn !== undefined && domainName !== undefined) {
    problems.push('certificateArn and domainName are alternatives: set one of them');
  } else if (certificateArn !== undefined) {
    certificate = { kind: 'imported', arn: certificateArn };
  } else if (domainName !== undefined) {
    certificate = { kind: 'dns', domainName };
  }
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    problems.push('hostedZoneId and hostedZoneName go together: set both or neither');
  } else if (hostedZoneId !== undefined && hostedZoneName !== undefined) {
    if (certificate?.kind !== 'dns') problems.push('hostedZoneId needs domainName (the name created in that zone)');
    else if (!`.${certificate.domainName}`.endsWith(`.${hostedZoneName}`))
      problems.push(`domainName ${certificate.domainName} is not inside hostedZoneName ${hostedZoneName}`);
    else certificate.hostedZone = { id: hostedZoneId, name: hostedZoneName };
  }

  const alarmEmail = read.optionalString('alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address');

  // The instance by default: the managed gateway alone would put the container stack over the $100 seed budget.
  const natProvider = read.string('natProvider', 'instance', /^(gateway|instance)$/, 'must be gateway or instance') as
    'gateway' | 'instance';

  const minTasks = read.integer('apiMinTasks', 2, 1, 100);
  const maxTasks = read.integer('apiMaxTasks', 6, 1, 100);
  if (maxTasks < minTasks) problems.push(`apiMaxTasks (${maxTasks}) must be at least apiMinTasks (${minTasks})`);
  const cpu = read.integer('apiCpu', 256, 256, 4096);
  if (!FARGATE_CPU_UNITS.includes(cpu)) problems.push(`apiCpu must be one of ${FARGATE_CPU_UNITS.join(', ')}`);
  const memoryMiB = read.integer('apiMemoryMiB', 512, 512, 30_720);

  const logRetentionDays = read.integer('logRetentionDays', 30, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
    problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${logRetentionDays})`);
  const artifactPrefix = read.string(
    'artifactPrefix',
    'models/',
    /^([A-Za-z0-9_.-]+\/)+$/,
    'must be a key prefix ending in / such as models/',
  );

  const userCampaignArn = read.optionalString(
    'personalizeUserCampaignArn',
    PERSONALIZE_ARN('campaign'),
    'must be a campaign ARN',
  );
  const similarCampaignArn = read.optionalString(
    'personalizeSimilarCampaignArn',
    PERSONALIZE_ARN('campaign'),
    'must be a campaign ARN',
  );
  const trackingId = read.optionalString(
    'personalizeTrackingId',
    /^[A-Za-z0-9-]{1,256}$/,
    'must be an event tracking id',
  );
  const eventTrackerArn = read.optionalString(
    'personalizeEventTrackerArn',
    PERSONALIZE_ARN('event-tracker'),
    'must be an event tracker ARN',
  );
  const filterArn = read.optionalString('personalizeFilterArn', PERSONALIZE_ARN('filter'), 'must be a filter ARN');
  const personalizeParts = [userCampaignArn, similarCampaignArn, trackingId];
  let personalize: PersonalizeSettings | undefined;
  if (userCampaignArn !== undefined && similarCampaignArn !== undefined && trackingId !== undefined) {
    personalize = { userCampaignArn, similarCampaignArn, trackingId, eventTrackerArn, filterArn };
  } else if (
    personalizeParts.some((p) => p !== undefined) ||
    eventTrackerArn !== undefined ||
    filterArn !== undefined
  ) {
    problems.push(
      'Personalize needs personalizeUserCampaignArn, personalizeSimilarCampaignArn and personalizeTrackingId together',
    );
  }

  const schedule = read.string(
    'trainingSchedule',
    'cron(0 3 * * ? *)',
    /^(off|cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
    'must be off, cron(m h dom mon dow y) or rate(n unit)',
  );
  const args = read.stringList('trainingArgs', DEFAULT_TRAINING_ARGS);
  const trainingCpu = read.integer('trainingCpu', 1024, 256, 4096);
  if (!FARGATE_CPU_UNITS.includes(trainingCpu))
    problems.push(`trainingCpu must be one of ${FARGATE_CPU_UNITS.join(', ')}`);
  const trainingMemoryMiB = read.integer('trainingMemoryMiB', 2048, 512, 30_720);

  const explicitAsset = read.optionalString('lambdaAssetPath', /^\S+$/, 'must be a directory path');
  const assetDir = explicitAsset ?? DEFAULT_LAMBDA_ASSET_DIR;
  const lambda: LambdaSettings = {
    assetDir: isAbsolute(assetDir) ? assetDir : join(repoRoot, assetDir),
    required: explicitAsset !== undefined,
    memoryMiB: read.integer('lambdaMemoryMiB', 1024, 128, 10_240),
    // API Gateway HTTP APIs give up after 30 s, so a longer Lambda would only burn money.
    timeoutSeconds: read.integer('lambdaTimeoutSeconds', 29, 1, 29),
  };
  const dynamoTablePrefix = read.string(
    'dynamoTablePrefix',
    'encore-',
    /^[A-Za-z0-9_.-]{1,200}$/,
    'must be a table name prefix',
  );

  if (problems.length > 0) throw new InfraSettingsError(problems);
  return {
    imageTag,
    apiRepositoryName,
    cliRepositoryName,
    certificate,
    alarmEmail,
    natProvider,
    api: { minTasks, maxTasks, cpu, memoryMiB },
    logRetentionDays,
    artifactPrefix,
    personalize,
    training: schedule === 'off' ? undefined : { schedule, args, cpu: trainingCpu, memoryMiB: trainingMemoryMiB },
    lambda,
    dynamoTablePrefix,
  };
}

/** Reads one context key at a time, recording a problem that names the key instead of throwing at the first one. */
class ContextReader {
  constructor(
    private readonly context: (key: string) => unknown,
    private readonly problems: string[],
  ) {}

  optionalString(key: string, pattern: RegExp, rule: string): string | undefined {
    const value = this.context(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problems.push(`${key} ${rule} (got ${JSON.stringify(value)})`);
      return undefined;
    }
    return value;
  }

  string(key: string, fallback: string, pattern: RegExp, rule: string): string {
    return this.optionalString(key, pattern, rule) ?? fallback;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.context(key);
    if (value === undefined || value === null || value === '') return fallback;
    const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${key} must be an integer between ${min} and ${max} (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return parsed;
  }

  /** A JSON array of strings, given as an array in cdk.json or as its JSON text on the command line. */
  stringList(key: string, fallback: string[]): string[] {
    const value = this.context(key);
    if (value === undefined || value === null || value === '') return fallback;
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string' && p !== '')) {
      this.problems.push(`${key} must be a JSON array of non-empty strings (got ${JSON.stringify(value)})`);
      return fallback;
    }
    return parsed;
  }
}
