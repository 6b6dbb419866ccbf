import { Rp3Beta } from '@encore/collaborative';
import { buildInteractionMatrix } from '@encore/features';
import { HybridRanker } from './hybrid-ranker';

describe('HybridRanker.fromArtifact with the default decoders', () => {
  it('restores a hybrid with an RP3beta component without extra decoders', () => {
    const data = buildInteractionMatrix(
      Array.from({ length: 6 }, (_, u) =>
        Array.from({ length: 2 }, (_, j) => ({ userId: `u${u}`, itemId: `i${(u + j) % 4}` })),
      ).flat(),
    );
    const ranker = new HybridRanker([{ name: 'rp3beta', model: new Rp3Beta(), weight: 1 }]);
    ranker.fit(data);
    const restored = HybridRanker.fromArtifact(ranker.toArtifact());
    for (let u = 0; u < data.users; u++) expect(restored.recommend(u, 3)).toEqual(ranker.recommend(u, 3));
  });
});
