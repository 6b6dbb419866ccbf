import { DEFAULT_TRAINING_ARGS, InfraSettingsError, readSettings } from './settings';

const read = (context: Record<string, unknown>) => readSettings((key) => context[key], '/repo');
const problemsOf = (context: Record<string, unknown>): string[] => {
  try {
    read(context);
  } catch (error) {
    if (error instanceof InfraSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected InfraSettingsError');
};

describe('readSettings', () => {
  it('fills in the seed-budget defaults', () => {
    expect(read({})).toEqual({
      imageTag: 'latest',
      apiRepositoryName: 'encore-api',
      cliRepositoryName: 'encore-cli',
      certificate: undefined,
      alarmEmail: undefined,
      natProvider: 'instance',
      api: { minTasks: 2, maxTasks: 6, cpu: 256, memoryMiB: 512 },
      logRetentionDays: 30,
      artifactPrefix: 'models/',
      personalize: undefined,
      training: { schedule: 'cron(0 3 * * ? *)', args: DEFAULT_TRAINING_ARGS, cpu: 1024, memoryMiB: 2048 },
      lambda: { assetDir: '/repo/dist/apps/api-lambda', required: false, memoryMiB: 1024, timeoutSeconds: 29 },
      dynamoTablePrefix: 'encore-',
    });
  });

  it('accepts numbers as strings (--context) and as JSON numbers (cdk.json)', () => {
    expect(read({ apiMinTasks: '3', apiMaxTasks: 8, apiCpu: '512', apiMemoryMiB: 1024 }).api).toEqual({
      minTasks: 3,
      maxTasks: 8,
      cpu: 512,
      memoryMiB: 1024,
    });
  });

  it('names every bad key at once', () => {
    expect(
      problemsOf({
        apiMinTasks: 'two',
        apiCpu: '300',
        logRetentionDays: '31',
        imageTag: 'has space',
        alarmEmail: 'nobody',
      }),
    ).toEqual([
      'imageTag must be a Docker image tag (got "has space")',
      'alarmEmail must be an e-mail address (got "nobody")',
      'apiMinTasks must be an integer between 1 and 100 (got "two")',
      'apiCpu must be one of 256, 512, 1024, 2048, 4096',
      expect.stringMatching(/^logRetentionDays must be one of 1, 3, .* \(got 31\)$/),
    ]);
  });

  it('offers a NAT gateway or a NAT instance', () => {
    expect(read({ natProvider: 'gateway' }).natProvider).toBe('gateway');
    expect(read({ natProvider: 'instance' }).natProvider).toBe('instance');
    expect(problemsOf({ natProvider: 'none' })).toEqual(['natProvider must be gateway or instance (got "none")']);
  });

  it('rejects a maximum below the minimum', () => {
    expect(problemsOf({ apiMinTasks: '4', apiMaxTasks: '3' })).toEqual([
      'apiMaxTasks (3) must be at least apiMinTasks (4)',
    ]);
  });

  describe('certificate', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/0c1e4d52-0000-4000-8000-000000000000';

    it('imports an ARN or requests a certificate for a domain, not both', () => {
      expect(read({ certificateArn: arn }).certificate).toEqual({ kind: 'imported', arn });
      expect(read({ domainName: 'api.example.com' }).certificate).toEqual({
        kind: 'dns',
        domainName: 'api.example.com',
      });
      expect(problemsOf({ certificateArn: arn, domainName: 'api.example.com' })).toEqual([
        'certificateArn and domainName are alternatives: set one of them',
      ]);
      expect(problemsOf({ certificateArn: 'arn:aws:iam::123456789012:role/x' })).toEqual([
        'certificateArn must be an ACM certificate ARN (got "arn:aws:iam::123456789012:role/x")',
      ]);
    });

    it('takes a hosted zone only together with a domain inside it', () => {
      expect(
        read({ domainName: 'api.example.com', hostedZoneId: 'Z123ABC', hostedZoneName: 'example.com' }).certificate,
      ).toEqual({ kind: 'dns', domainName: 'api.example.com', hostedZone: { id: 'Z123ABC', name: 'example.com' } });
      expect(problemsOf({ domainName: 'api.example.com', hostedZoneId: 'Z123ABC' })).toEqual([
        'hostedZoneId and hostedZoneName go together: set both or neither',
      ]);
      expect(
        problemsOf({ domainName: 'api.notexample.com', hostedZoneId: 'Z123ABC', hostedZoneName: 'example.com' }),
      ).toEqual(['domainName api.notexample.com is not inside hostedZoneName example.com']);
      expect(problemsOf({ certificateArn: arn, hostedZoneId: 'Z123ABC', hostedZoneName: 'example.com' })).toEqual([
        'hostedZoneId needs domainName (the name created in that zone)',
      ]);
    });
  });

  describe('personalize', () => {
    const campaign = 'arn:aws:personalize:eu-west-1:123456789012:campaign';

    it('is on only with both campaigns and the tracking id', () => {
      expect(
        read({
          personalizeUserCampaignArn: `${campaign}/users`,
          personalizeSimilarCampaignArn: `${campaign}/similar`,
          personalizeTrackingId: 'tracking-1',
        }).personalize,
      ).toEqual({
        userCampaignArn: `${campaign}/users`,
        similarCampaignArn: `${campaign}/similar`,
        trackingId: 'tracking-1',
        eventTrackerArn: undefined,
        filterArn: undefined,
      });
      expect(problemsOf({ personalizeUserCampaignArn: `${campaign}/users` })).toEqual([
        'Personalize needs personalizeUserCampaignArn, personalizeSimilarCampaignArn and personalizeTrackingId together',
      ]);
    });

    it('checks the kind of each ARN', () => {
      expect(
        problemsOf({
          personalizeUserCampaignArn: 'arn:aws:personalize:eu-west-1:123456789012:filter/f',
          personalizeSimilarCampaignArn: `${campaign}/similar`,
          personalizeTrackingId: 'tracking-1',
        }),
      ).toEqual([
        'personalizeUserCampaignArn must be a campaign ARN (got "arn:aws:personalize:eu-west-1:123456789012:filter/f")',
        'Personalize needs personalizeUserCampaignArn, personalizeSimilarCampaignArn and personalizeTrackingId together',
      ]);
    });
  });

  describe('training', () => {
    it('is switched off with trainingSchedule=off', () => {
      expect(read({ trainingSchedule: 'off' }).training).toBeUndefined();
    });

    it('takes cron and rate expressions and rejects anything else', () => {
      expect(read({ trainingSchedule: 'rate(12 hours)' }).training?.schedule).toBe('rate(12 hours)');
      expect(read({ trainingSchedule: 'cron(30 2 ? * MON *)' }).training?.schedule).toBe('cron(30 2 ? * MON *)');
      expect(problemsOf({ trainingSchedule: 'nightly' })).toEqual([
        'trainingSchedule must be off, cron(m h dom mon dow y) or rate(n unit) (got "nightly")',
      ]);
    });

    it('reads the train arguments as a JSON array from the command line or cdk.json', () => {
      expect(read({ trainingArgs: '["--dataset","movielens-100k"]' }).training?.args).toEqual([
        '--dataset',
        'movielens-100k',
      ]);
      expect(read({ trainingArgs: ['--model', 'als'] }).training?.args).toEqual(['--model', 'als']);
      expect(problemsOf({ trainingArgs: '--dataset movielens-100k' })).toEqual([
        'trainingArgs must be a JSON array of non-empty strings (got "--dataset movielens-100k")',
      ]);
    });
  });

  describe('lambda', () => {
    it('resolves a relative asset path against the repository and marks an explicit one as required', () => {
      expect(read({ lambdaAssetPath: 'build/api' }).lambda).toMatchObject({
        assetDir: '/repo/build/api',
        required: true,
      });
      expect(read({ lambdaAssetPath: '/abs/api' }).lambda).toMatchObject({ assetDir: '/abs/api', required: true });
    });

    it('caps the timeout at the 29 s an HTTP API waits', () => {
      expect(problemsOf({ lambdaTimeoutSeconds: '60' })).toEqual([
        'lambdaTimeoutSeconds must be an integer between 1 and 29 (got "60")',
      ]);
    });
  });
});
