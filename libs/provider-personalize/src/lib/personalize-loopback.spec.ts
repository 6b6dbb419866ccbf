import { contractSongLookup, FakePersonalize, fakePersonalizeConfig } from '../testing';
import { PersonalizeRecommenderProvider } from './personalize-recommender-provider';

// The real SDK clients (serialisation, SigV4 signing, error parsing) against a loopback fake.
describe('PersonalizeRecommenderProvider against a loopback Personalize', () => {
  let fake: FakePersonalize;
  let provider: PersonalizeRecommenderProvider;

  beforeEach(async () => {
    fake = await FakePersonalize.start();
    provider = new PersonalizeRecommenderProvider({
      ...fakePersonalizeConfig(fake.endpoint),
      songs: contractSongLookup(),
    });
  });
  afterEach(() => fake.close());

  it('sends signed GetRecommendations JSON and reads the item list back', async () => {
    const r = await provider.recommend({ userId: 'u0', k: 2 });
    expect(r.items.map((i) => i.songId)).toEqual(['s16', 's08']);
    expect(fake.requests[0].path).toBe('/recommendations');
    expect(fake.requests[0].authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/personalize\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/,
    );
    expect(fake.recommendationRequests[0]).toEqual({
      campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/encore-users',
      userId: 'u0',
      numResults: 7,
    });
  });

  it('sends PutEvents with epoch-second timestamps in batches of ten', async () => {
    const t0 = Date.UTC(2026, 0, 1, 12);
    const interactions = Array.from({ length: 12 }, (_, i) => ({
      songId: 's08',
      event: 'play' as const,
      timestamp: t0 + i * 1500,
    }));
    await provider.recordInteractions('u3', interactions);
    expect(fake.requests.map((r) => r.path)).toEqual(['/events', '/events']);
    expect(fake.putEvents[0]).toMatchObject({
      trackingId: 'encore-tracking-id',
      userId: 'u3',
      sessionId: 'session-u3',
    });
    expect(fake.putEvents[0].eventList).toHaveLength(10);
    expect(fake.putEvents[1].eventList).toEqual([
      { eventType: 'play', itemId: 's08', sentAt: (t0 + 10 * 1500) / 1000 },
      { eventType: 'play', itemId: 's08', sentAt: (t0 + 11 * 1500) / 1000 },
    ]);
  });

  it('retries a throttled call (HTTP 429 ThrottlingException) and then answers', async () => {
    fake.fail({ status: 429, errorType: 'ThrottlingException', message: 'Rate exceeded' }, 2);
    const r = await provider.similar({ songId: 's08', k: 1 });
    expect(r.items).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });

  it('surfaces a persistent 500 as an error naming the service error', async () => {
    fake.fail({ status: 500, errorType: 'InternalServerError', message: 'boom' });
    await expect(provider.recommend({ userId: 'u0', k: 1 })).rejects.toThrow(
      /GetRecommendations \(recommend\) failed after 3 attempts: InternalServerError \(HTTP 500\)/,
    );
    expect(fake.requests).toHaveLength(3);
  });

  it('aborts a call slower than timeoutMs', async () => {
    const slow = new PersonalizeRecommenderProvider({ ...fakePersonalizeConfig(fake.endpoint), timeoutMs: 50 });
    fake.delayMs = 500;
    await expect(slow.recommend({ userId: 'u0', k: 1 })).rejects.toThrow(
      'personalize: GetRecommendations (recommend) timed out after 50 ms',
    );
    expect(fake.requests).toHaveLength(1);
  });
});
