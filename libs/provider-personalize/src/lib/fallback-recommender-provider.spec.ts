import {
  RecommenderProvider,
  UnknownSongError,
  type ProviderHealth,
  type ProviderInteraction,
  type RecommendationResult,
} from '@encore/recommender-port';
import { contractSongLookup, FakePersonalize, fakePersonalizeConfig } from '../testing';
import { FallbackRecommenderProvider, type CircuitState, type FallbackOptions } from './fallback-recommender-provider';
import { PersonalizeRecommenderProvider } from './personalize-recommender-provider';

/** Stands in for the engine: always answers with one fixed song and remembers feedback. */
class StubProvider extends RecommenderProvider {
  readonly name = 'engine';
  readonly recorded: [string, ProviderInteraction[]][] = [];
  private answer(): RecommendationResult {
    return {
      items: [{ songId: 's23', score: 1, reason: { source: 'popularity', text: 'Popular right now' } }],
      provider: 'engine',
      modelVersion: 'engine-test',
    };
  }
  recommend = async () => this.answer();
  recommendForSession = async () => this.answer();
  similar = async () => this.answer();
  recordInteractions = async (userId: string, interactions: ProviderInteraction[]) => {
    this.recorded.push([userId, interactions]);
  };
  health = async (): Promise<ProviderHealth> => ({ ok: true, provider: 'engine', modelVersion: 'engine-test' });
}

describe('FallbackRecommenderProvider over Personalize (loopback fake)', () => {
  let fake: FakePersonalize;
  let engine: StubProvider;
  let clock: number;
  let errors: string[];
  let states: CircuitState[];

  beforeEach(async () => {
    fake = await FakePersonalize.start();
    engine = new StubProvider();
    clock = 0;
    errors = [];
    states = [];
  });
  afterEach(() => fake.close());

  function wrapper(options: Partial<FallbackOptions> = {}): FallbackRecommenderProvider {
    const personalize = new PersonalizeRecommenderProvider({
      ...fakePersonalizeConfig(fake.endpoint),
      retry: { attempts: 1 },
      songs: contractSongLookup(),
    });
    return new FallbackRecommenderProvider(personalize, engine, {
      timeoutMs: 1000,
      failureThreshold: 2,
      openMs: 10_000,
      now: () => clock,
      onPrimaryError: (operation) => errors.push(operation),
      onStateChange: (state) => states.push(state),
      ...options,
    });
  }

  const recs = (p: RecommenderProvider) => p.recommend({ userId: 'u0', k: 2 });

  it('serves the primary while it is healthy, without a fallback mark', async () => {
    const p = wrapper();
    const r = await recs(p);
    expect(r.provider).toBe('personalize');
    expect(r.items.map((i) => i.songId)).toEqual(['s16', 's08']);
    expect(r.fallback).toBeUndefined();
    expect(p.name).toBe('personalize');
  });

  it('answers from the fallback when the primary returns 5xx, saying why', async () => {
    const p = wrapper();
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    const r = await recs(p);
    expect(r.provider).toBe('engine');
    expect(r.items.map((i) => i.songId)).toEqual(['s23']);
    expect(r.fallback).toEqual({
      from: 'personalize',
      reason: expect.stringMatching(/^error: personalize: GetRecommendations \(recommend\) failed .*HTTP 500/),
    });
    expect(errors).toEqual(['recommend']);
  });

  it('answers from the fallback when the primary is slower than the timeout', async () => {
    const p = wrapper({ timeoutMs: 50 });
    fake.delayMs = 400;
    const r = await p.similar({ songId: 's00', k: 2 });
    expect(r.fallback).toEqual({ from: 'personalize', reason: 'timeout after 50 ms' });
  });

  it('opens the circuit after consecutive failures and stops calling the primary', async () => {
    const p = wrapper();
    fake.fail({ status: 503, errorType: 'ServiceUnavailable' });
    await recs(p);
    expect(p.state).toBe('closed');
    await recs(p);
    expect(p.state).toBe('open');
    expect(states).toEqual(['open']);
    const calls = fake.requests.length;
    const r = await recs(p);
    expect(r.fallback).toEqual({ from: 'personalize', reason: 'circuit open' });
    expect(fake.requests.length).toBe(calls);
  });

  it('lets one trial call through after openMs: success closes the circuit', async () => {
    const p = wrapper();
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    await recs(p);
    await recs(p);
    fake.recover();
    clock += 9_999;
    expect((await recs(p)).fallback?.reason).toBe('circuit open');
    clock += 1;
    const trial = await recs(p);
    expect(trial.fallback).toBeUndefined();
    expect(p.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens the circuit when the trial call fails', async () => {
    const p = wrapper();
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    await recs(p);
    await recs(p);
    clock += 10_000;
    const calls = fake.requests.length;
    expect((await recs(p)).fallback?.reason).toMatch(/^error: /);
    expect(fake.requests.length).toBe(calls + 1);
    expect(p.state).toBe('open');
    expect((await recs(p)).fallback?.reason).toBe('circuit open');
    expect(states).toEqual(['open', 'half-open', 'open']);
  });

  it('a success resets the failure count, so only consecutive failures open the circuit', async () => {
    const p = wrapper();
    fake.fail({ status: 500, errorType: 'InternalServerError' }, 1);
    await recs(p);
    await recs(p);
    fake.fail({ status: 500, errorType: 'InternalServerError' }, 1);
    await recs(p);
    expect(p.state).toBe('closed');
  });

  it('sends feedback to both providers, and only to the fallback while the circuit is open', async () => {
    const p = wrapper();
    const event: ProviderInteraction = { songId: 's08', event: 'like', timestamp: Date.UTC(2026, 0, 1) };
    await p.recordInteractions('u0', [event]);
    expect(fake.putEvents).toHaveLength(1);
    expect(engine.recorded).toEqual([['u0', [event]]]);

    fake.fail({ status: 500, errorType: 'InternalServerError' });
    await expect(p.recordInteractions('u0', [event])).resolves.toBeUndefined();
    expect(errors).toEqual(['recordInteractions']);
    await p.recordInteractions('u0', [event]);
    expect(p.state).toBe('open');
    const calls = fake.requests.length;
    await p.recordInteractions('u0', [event]);
    expect(fake.requests.length).toBe(calls);
    expect(engine.recorded).toHaveLength(4);
  });

  it('passes an unknown song through as an error instead of counting it as an outage', async () => {
    const p = wrapper();
    await expect(p.similar({ songId: 'not-a-song', k: 2 })).rejects.toBeInstanceOf(UnknownSongError);
    expect(errors).toEqual([]);
  });

  it('reports the circuit in its health and stays ok while the fallback can answer', async () => {
    const p = wrapper();
    fake.fail({ status: 500, errorType: 'InternalServerError' });
    await recs(p);
    await recs(p);
    const h = await p.health();
    expect(h).toMatchObject({ ok: true, provider: 'personalize', modelVersion: 'personalize:encore-users' });
    expect(h.detail).toMatch(/^circuit open; personalize failing \(last call failed: .*\); fallback engine ok$/);
  });

  it('validates its options', () => {
    expect(() => new FallbackRecommenderProvider(engine, engine, { failureThreshold: 0 })).toThrow(
      'failureThreshold must be an integer ≥ 1, got 0',
    );
    expect(() => new FallbackRecommenderProvider(engine, engine, { timeoutMs: 0 })).toThrow('timeoutMs must be > 0');
  });
});
