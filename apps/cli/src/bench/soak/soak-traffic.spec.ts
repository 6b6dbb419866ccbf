import { MAX_FEEDBACK_EVENTS, SOAK_KINDS, SOAK_MIX, SoakTraffic, searchTermsFrom } from './soak-traffic';

const targets = {
  listenerIds: ['l-0', 'l-1', 'l-2'],
  songIds: ['s/1', 's2', 's3', 's4'],
  searchTerms: ['love', 'rock & roll'],
  listPages: 7,
};

describe('SoakTraffic', () => {
  it('follows SOAK_MIX: 10% feedback and the rest browsing, similar and recommendations', () => {
    expect(SOAK_MIX.reduce((sum, m) => sum + m.percent, 0)).toBe(100);
    const traffic = new SoakTraffic(targets, 1);
    const n = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const kind = traffic.next(i).kind;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    for (const m of SOAK_MIX) expect(Math.abs((counts.get(m.kind) ?? 0) / n - m.percent / 100)).toBeLessThan(0.01);
  });

  it('is the same sequence for the same seed and another for another seed', () => {
    const a = new SoakTraffic(targets, 5);
    const b = new SoakTraffic(targets, 5);
    const c = new SoakTraffic(targets, 6);
    const take = (t: SoakTraffic) => Array.from({ length: 50 }, (_, i) => t.next(i).path);
    const first = take(a);
    expect(take(b)).toEqual(first);
    expect(take(c)).not.toEqual(first);
  });

  it('builds a well-formed request of every kind for the picked listener', () => {
    const traffic = new SoakTraffic(targets, 3);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const r = traffic.next(i);
      seen.add(r.kind);
      const listener = targets.listenerIds[r.listener];
      expect(listener).toBeDefined();
      switch (r.kind) {
        case 'songs-list':
          expect(r.path).toMatch(/^\/v1\/songs\?limit=20&page=[1-7]$/);
          break;
        case 'songs-search':
          expect(['/v1/songs?q=love&limit=20', '/v1/songs?q=rock%20%26%20roll&limit=20']).toContain(r.path);
          break;
        case 'song-detail':
          expect(['/v1/songs/s%2F1', '/v1/songs/s2', '/v1/songs/s3', '/v1/songs/s4']).toContain(r.path);
          break;
        case 'similar':
          expect(r.path).toMatch(/^\/v1\/songs\/(s%2F1|s2|s3|s4)\/similar\?k=10$/);
          break;
        case 'recommendations':
          expect(r.path).toBe(`/v1/users/${listener}/recommendations?k=10`);
          break;
        case 'feedback':
          expect(r.path).toBe(`/v1/users/${listener}/interactions`);
          break;
      }
      expect(r.method).toBe(r.kind === 'feedback' ? 'POST' : 'GET');
    }
    expect([...seen].sort()).toEqual([...SOAK_KINDS].sort());
  });

  it('gives feedback 1–3 catalog events with client ids unique across the run', () => {
    const traffic = new SoakTraffic(targets, 9);
    const ids = new Set<string>();
    let posts = 0;
    for (let i = 0; i < 2_000; i++) {
      const r = traffic.next(i);
      if (r.kind !== 'feedback') continue;
      posts++;
      const body = JSON.parse(r.body ?? '') as { events: { id: string; songId: string; event: string }[] };
      expect(body.events.length).toBeGreaterThanOrEqual(1);
      expect(body.events.length).toBeLessThanOrEqual(MAX_FEEDBACK_EVENTS);
      expect(body.events.map((e) => e.id)).toEqual(r.feedbackIds);
      for (const e of body.events) {
        expect(targets.songIds).toContain(e.songId);
        expect(['play', 'like', 'skip']).toContain(e.event);
        expect(e.id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
        expect(ids.has(e.id)).toBe(false);
        ids.add(e.id);
      }
    }
    expect(posts).toBeGreaterThan(100);
  });

  it('needs listeners, songs and search terms', () => {
    expect(() => new SoakTraffic({ ...targets, listenerIds: [] }, 1)).toThrow('at least one listener');
    expect(() => new SoakTraffic({ ...targets, songIds: [] }, 1)).toThrow('at least one song');
    expect(() => new SoakTraffic({ ...targets, searchTerms: [] }, 1)).toThrow('at least one search term');
  });
});

describe('searchTermsFrom', () => {
  it('takes the first word of 3+ letters of each name, lower-cased and distinct, up to the limit', () => {
    expect(searchTermsFrom(['Love Story', 'I Love It', '99 Problems', 'Été Indien', 'ok', 'love me'])).toEqual([
      'love',
      'problems',
      'été',
    ]);
    expect(searchTermsFrom(['Alpha', 'Beta', 'Gamma'], 2)).toEqual(['alpha', 'beta']);
  });
});
