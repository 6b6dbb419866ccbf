import { FakePersonalize, type FakeRecommendationsRequest } from '@encore/provider-personalize/testing';

export const USER_CAMPAIGN = 'arn:aws:personalize:eu-west-1:123456789012:campaign/encore-users';
export const SIMILAR_CAMPAIGN = 'arn:aws:personalize:eu-west-1:123456789012:campaign/encore-similar';

/** The fake campaigns: one fixed ranking of the fixture songs for every listener, without the seed for similar items. */
export function fixedRanking(request: FakeRecommendationsRequest): { itemId: string; score: number }[] {
  const order = ['t9', 't10', 't8', 't6', 't7', 't5', 't4', 't3', 't2', 't1', 't11'];
  return order.filter((id) => id !== request.itemId).map((itemId, i) => ({ itemId, score: 1 - i / 20 }));
}

/**
 * A loopback Personalize answering `fixedRanking`, with the credentials the SDK's default chain reads (the fake does
 * not check signatures). `restore()` closes it and puts process.env back as it was.
 */
export async function startPersonalizeWorld(): Promise<{ fake: FakePersonalize; restore: () => Promise<void> }> {
  const savedEnv = { ...process.env };
  const fake = await FakePersonalize.start(fixedRanking);
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDEXAMPLE';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'fake-secret';
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  return {
    fake,
    restore: async () => {
      await fake.close();
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    },
  };
}

/** The app's settings for RECOMMENDER_PROVIDER=personalize against `fake`, plus `extra`. */
export function personalizeEnv(fake: FakePersonalize, extra: Record<string, string> = {}): Record<string, string> {
  return {
    RECOMMENDER_PROVIDER: 'personalize',
    PERSONALIZE_REGION: 'eu-west-1',
    PERSONALIZE_USER_CAMPAIGN_ARN: USER_CAMPAIGN,
    PERSONALIZE_SIMILAR_CAMPAIGN_ARN: SIMILAR_CAMPAIGN,
    PERSONALIZE_TRACKING_ID: 'encore-tracker',
    PERSONALIZE_ENDPOINT: fake.endpoint,
    ...extra,
  };
}
