import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, validateEnvironment } from './environment';

describe('recommender settings', () => {
  let root: string;
  const personalize = {
    RECOMMENDER_PROVIDER: 'personalize',
    PERSONALIZE_REGION: 'eu-west-1',
    PERSONALIZE_USER_CAMPAIGN_ARN: 'arn:aws:personalize:eu-west-1:123456789012:campaign/users',
    PERSONALIZE_SIMILAR_CAMPAIGN_ARN: 'arn:aws:personalize:eu-west-1:123456789012:campaign/similar',
    PERSONALIZE_TRACKING_ID: 'tracker-1',
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'encore-rec-env-'));
    writeFileSync(join(root, 'catalog.csv'), 'track_id\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const validate = (raw: Record<string, string>) =>
    validateEnvironment({ CATALOG_PATH: 'catalog.csv', ...raw }, { cwd: root });
  function problemsOf(raw: Record<string, string>): string[] {
    try {
      validate(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as ConfigurationError).problems;
    }
    throw new Error('expected a ConfigurationError');
  }

  it('accepts a complete Personalize configuration and converts the numbers', () => {
    const env = validate({
      ...personalize,
      PERSONALIZE_ENDPOINT: 'http://127.0.0.1:4566',
      PROVIDER_TIMEOUT_MS: '250',
      PROVIDER_CIRCUIT_FAILURES: '3',
      PROVIDER_CIRCUIT_OPEN_MS: '1500',
      MAX_K: '50',
    });
    expect(env).toMatchObject({
      ...personalize,
      PERSONALIZE_ENDPOINT: 'http://127.0.0.1:4566',
      PROVIDER_TIMEOUT_MS: 250,
      PROVIDER_CIRCUIT_FAILURES: 3,
      PROVIDER_CIRCUIT_OPEN_MS: 1500,
      MAX_K: 50,
    });
  });

  it('ignores missing Personalize fields while the engine is the provider', () => {
    expect(validate({ PERSONALIZE_REGION: '' }).RECOMMENDER_PROVIDER).toBe('engine');
  });

  it('names each missing or malformed Personalize field', () => {
    expect(problemsOf({ RECOMMENDER_PROVIDER: 'personalize' })).toEqual([
      'PERSONALIZE_REGION is required when RECOMMENDER_PROVIDER=personalize (got undefined)',
      'PERSONALIZE_USER_CAMPAIGN_ARN is required when RECOMMENDER_PROVIDER=personalize (got undefined)',
      'PERSONALIZE_SIMILAR_CAMPAIGN_ARN is required when RECOMMENDER_PROVIDER=personalize (got undefined)',
      'PERSONALIZE_TRACKING_ID is required when RECOMMENDER_PROVIDER=personalize (got undefined)',
    ]);
    expect(
      problemsOf({ ...personalize, PERSONALIZE_REGION: 'Europe', PERSONALIZE_USER_CAMPAIGN_ARN: 'campaign/users' }),
    ).toEqual([
      'PERSONALIZE_REGION must be an AWS region such as eu-west-1 (got "Europe")',
      'PERSONALIZE_USER_CAMPAIGN_ARN must be a Personalize ARN such as arn:aws:personalize:eu-west-1:123456789012:campaign/name (got "campaign/users")',
    ]);
  });

  it('bounds the provider timeout, the circuit settings and k', () => {
    expect(
      problemsOf({
        PROVIDER_TIMEOUT_MS: '5',
        PROVIDER_CIRCUIT_FAILURES: '0',
        PROVIDER_CIRCUIT_OPEN_MS: '50',
        MAX_K: '0',
      }),
    ).toEqual([
      'PROVIDER_TIMEOUT_MS must be an integer between 10 and 60000 (got 5)',
      'PROVIDER_CIRCUIT_FAILURES must be an integer between 1 and 1000 (got 0)',
      'PROVIDER_CIRCUIT_OPEN_MS must be an integer between 100 and 3600000 (got 50)',
      'MAX_K must be an integer between 1 and 1000 (got 0)',
    ]);
  });
});
