import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import {
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize-runtime';
import { UnknownSongError } from '@encore/recommender-port';
import { mockClient } from 'aws-sdk-client-mock';
import { contractSongLookup, fakePersonalizeConfig } from '../testing';
import {
  isRetryable,
  PersonalizeRecommenderProvider,
  type PersonalizeProviderConfig,
} from './personalize-recommender-provider';

const runtime = mockClient(PersonalizeRuntimeClient);
const events = mockClient(PersonalizeEventsClient);

/** An SDK-shaped service error (what the clients throw for an HTTP error answer). */
function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function provider(overrides: Partial<PersonalizeProviderConfig> = {}) {
  const sleeps: number[] = [];
  const p = new PersonalizeRecommenderProvider({
    ...fakePersonalizeConfig('http://127.0.0.1:9'),
    songs: contractSongLookup(),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
  return { p, sleeps };
}

const items = (...ids: string[]) => ({ itemList: ids.map((itemId, i) => ({ itemId, score: 0.9 - i * 0.1 })) });

describe('PersonalizeRecommenderProvider (mocked SDK)', () => {
  beforeEach(() => {
    runtime.reset();
    events.reset();
  });

  it('asks the user campaign for k results plus a margin for excluded ids, and keeps Personalize order', async () => {
    runtime.on(GetRecommendationsCommand).resolves(items('s03', 's16', 's08', 's04', 's09'));
    const { p } = provider();
    const r = await p.recommend({ userId: 'u0', k: 3, exclude: ['s16'] });
    expect(runtime.commandCalls(GetRecommendationsCommand)[0].args[0].input).toEqual({
      campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/encore-users',
      userId: 'u0',
      // k 3 + 1 excluded + 5 spare.
      numResults: 9,
    });
    expect(r).toEqual({
      provider: 'personalize',
      modelVersion: 'personalize:encore-users',
      items: [
        { songId: 's03', score: 0.9, reason: { source: 'personalize', text: 'Recommended by Amazon Personalize' } },
        { songId: 's08', score: 0.7, reason: { source: 'personalize', text: 'Recommended by Amazon Personalize' } },
        { songId: 's04', score: 0.6, reason: { source: 'personalize', text: 'Recommended by Amazon Personalize' } },
      ],
    });
  });

  it('sends genres to the configured filter as quoted filter values', async () => {
    runtime.on(GetRecommendationsCommand).resolves(items('s08', 's09'));
    const { p } = provider({ filterArn: 'arn:aws:personalize:us-east-1:000000000000:filter/genres' });
    await p.recommend({ userId: 'u0', k: 2, genres: ['jazz', 'pop'] });
    expect(runtime.commandCalls(GetRecommendationsCommand)[0].args[0].input).toMatchObject({
      filterArn: 'arn:aws:personalize:us-east-1:000000000000:filter/genres',
      filterValues: { GENRES: '"jazz","pop"' },
      numResults: 7,
    });
  });

  it('filters genres, unknown songs and artists client-side from an over-fetched list when there is no filter', async () => {
    // s04 and s05 share an artist with s03 (rock-artist-a/b: s00–s03 a, s04–s07 b); 'x1' is not in the catalog.
    runtime.on(GetRecommendationsCommand).resolves(items('x1', 's03', 's08', 's04', 's05', 's06', 's16'));
    const { p } = provider();
    const rock = await p.recommend({ userId: 'u9', k: 3, genres: ['rock'], diversity: { maxPerArtist: 1 } });
    expect(runtime.commandCalls(GetRecommendationsCommand)[0].args[0].input.numResults).toBe(28);
    expect(rock.items.map((i) => i.songId)).toEqual(['s03', 's04']);
    const noRock = await p.recommend({ userId: 'u9', k: 3, excludeGenres: ['rock'] });
    expect(noRock.items.map((i) => i.songId)).toEqual(['s08', 's16']);
  });

  it('re-ranks by MMR with the catalog similarity, which Personalize lacks', async () => {
    // Scores 0.9, 0.8, 0.7, 0.6: a and a2 sound the same, b and c are unlike anything.
    runtime.on(GetRecommendationsCommand).resolves(items('s00', 's01', 's08', 's16'));
    const alike = new Set(['s00|s01', 's01|s00']);
    const similarity = (a: string, b: string) => (a === b || alike.has(`${a}|${b}`) ? 1 : 0);
    const { p } = provider({ songs: { ...contractSongLookup(), similarity } });
    const plain = await p.recommend({ userId: 'u9', k: 3 });
    expect(plain.items.map((i) => i.songId)).toEqual(['s00', 's01', 's08']);
    // λ = 0.5: after s00, s01 scores 0.5·(2/3) − 0.5·1 < 0, s08 0.5·(1/3) − 0: s08 is next, then s16 beats s01.
    const varied = await p.recommend({ userId: 'u9', k: 3, diversity: { mmrLambda: 0.5 } });
    expect(varied.items.map((i) => i.songId)).toEqual(['s00', 's08', 's16']);
    expect(varied.items.map((i) => i.score)).toEqual([0.9, 0.7, expect.closeTo(0.6, 6)]);
    // Over-fetched like every client-side re-ranking.
    expect(runtime.commandCalls(GetRecommendationsCommand)[1].args[0].input.numResults).toBe(28);
  });

  it('asks the similar-items campaign by item id, never returning the seed', async () => {
    runtime.on(GetRecommendationsCommand).resolves(items('s00', 's02', 's03'));
    const { p } = provider();
    const r = await p.similar({ songId: 's00', k: 2 });
    expect(runtime.commandCalls(GetRecommendationsCommand)[0].args[0].input).toEqual({
      campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/encore-similar',
      itemId: 's00',
      numResults: 8,
    });
    expect(r.items.map((i) => [i.songId, i.reason.seedSongId])).toEqual([
      ['s02', 's00'],
      ['s03', 's00'],
    ]);
    await expect(p.similar({ songId: 'not-in-catalog', k: 2 })).rejects.toBeInstanceOf(UnknownSongError);
  });

  it('fuses the similar items of each liked song for a guest (reciprocal rank)', async () => {
    runtime
      .on(GetRecommendationsCommand, { itemId: 's00' })
      .resolves(items('s01', 's02', 's03'))
      .on(GetRecommendationsCommand, { itemId: 's16' })
      .resolves(items('s02', 's17', 's00'));
    const { p } = provider();
    const r = await p.recommendForSession({ likedSongIds: ['s00', 's16'], k: 3 });
    // s02: 1/62 + 1/61 beats s01 (1/61) and s17 (1/62); s00 was liked, so it is left out.
    expect(r.items.map((i) => i.songId)).toEqual(['s02', 's01', 's17']);
    expect(r.items.map((i) => i.reason.seedSongId)).toEqual(['s16', 's00', 's16']);
  });

  it('sends feedback as PutEvents batches of at most 10, one session per listener', async () => {
    events.on(PutEventsCommand).resolves({});
    const { p } = provider();
    const t0 = Date.UTC(2026, 0, 1);
    const interactions = Array.from({ length: 23 }, (_, i) => ({
      songId: `s${String(i).padStart(2, '0')}`,
      event: (['play', 'like', 'skip', 'dislike'] as const)[i % 4],
      timestamp: t0 + i * 1000,
    }));
    await p.recordInteractions('u7', interactions);
    const calls = events.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.eventList?.length)).toEqual([10, 10, 3]);
    expect(calls[0]).toMatchObject({ trackingId: 'encore-tracking-id', userId: 'u7', sessionId: 'session-u7' });
    expect(calls[2].eventList?.[2]).toEqual({ eventType: 'skip', itemId: 's22', sentAt: new Date(t0 + 22_000) });
  });

  it('retries throttling with growing backoff, then succeeds', async () => {
    runtime
      .on(GetRecommendationsCommand)
      .rejectsOnce(serviceError('ThrottlingException', 400))
      .rejectsOnce(serviceError('TooManyRequestsException', 429))
      .resolves(items('s08'));
    const { p, sleeps } = provider({ retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    const r = await p.recommend({ userId: 'u0', k: 1 });
    expect(r.items.map((i) => i.songId)).toEqual(['s08']);
    expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    // Full jitter: below 100 ms, then below 200 ms.
    expect(sleeps[0]).toBeLessThan(100);
    expect(sleeps[1]).toBeLessThan(200);
  });

  it('gives up on a persistent 5xx after the configured attempts, naming the operation and status', async () => {
    runtime.on(GetRecommendationsCommand).rejects(serviceError('InternalServerError', 503));
    const { p } = provider();
    await expect(p.recommend({ userId: 'u0', k: 1 })).rejects.toThrow(
      'personalize: GetRecommendations (recommend) failed after 3 attempts: InternalServerError (HTTP 503)',
    );
    expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(3);
    expect((await p.health()).ok).toBe(false);
  });

  it('does not retry client errors such as a missing campaign', async () => {
    runtime
      .on(GetRecommendationsCommand)
      .rejects(new ResourceNotFoundException({ message: 'campaign not found', $metadata: { httpStatusCode: 404 } }));
    const { p } = provider();
    await expect(p.similar({ songId: 's00', k: 1 })).rejects.toThrow(
      'failed after 1 attempt: ResourceNotFoundException',
    );
    expect(runtime.commandCalls(GetRecommendationsCommand)).toHaveLength(1);
  });

  it('classifies retryable errors by name and HTTP status', () => {
    expect(isRetryable(serviceError('ThrottlingException', 400))).toBe(true);
    expect(isRetryable(serviceError('Whatever', 429))).toBe(true);
    expect(isRetryable(serviceError('Whatever', 502))).toBe(true);
    expect(isRetryable(serviceError('InvalidInputException', 400))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
    expect(isRetryable('text')).toBe(false);
  });

  it('refuses a configuration without the required fields', () => {
    expect(() => provider({ userCampaignArn: '' })).toThrow('personalize: userCampaignArn is required');
    expect(() => provider({ retry: { attempts: 0 } })).toThrow('retry.attempts must be an integer ≥ 1, got 0');
  });
});
