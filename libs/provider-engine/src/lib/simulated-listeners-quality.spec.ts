import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestCatalogText } from '@encore/catalog';
import { evaluateRecommender, ndcgAtK, positiveFeedback, stratifiedSplit } from '@encore/evaluation';
import { DEMO_SIMULATION, simulateListeners } from '@encore/simulator';
import { trainEngineModel, type EngineModel } from './engine-model';
import { relevantByListener } from './engine-weight-search';

// The served hybrid on the embedded demo's seeded listeners, scored on held-out positive feedback.
// Its content and popularity weights are chosen at training time on a validation split of the
// training part (one-standard-error rule). On these listeners no blend beats CF by more than the
// validation noise, so the served hybrid is CF's ranking: content carries no signal CF lacks here.
// The simulator's hidden tastes (genres, audio centre, popularity bias, favourite artists: all but
// the per-song appeal only co-listening reveals) used as a content score and blended with CF did
// not beat CF either (test nDCG@10 −0.0013 ± 0.0006 pooled over six simulator seeds), so no content
// model can lift the blend above CF on this data; the spec guards that the blend does not fall below.
describe('served hybrid on simulated listeners (sample catalog, DEMO_SIMULATION)', () => {
  const catalogText = readFileSync(join(__dirname, '../../../../data/sample/catalog.csv'), 'utf8');
  const { catalog } = ingestCatalogText(catalogText);
  const { events } = simulateListeners(catalog, DEMO_SIMULATION);
  const rows = events.map((e) => ({
    userId: e.userId,
    itemId: e.itemId,
    event: e.event,
    weight: e.weight,
    timestamp: e.timestamp,
  }));
  const { train, test } = stratifiedSplit(rows, { ratio: 0.8, seed: 42 });
  // The simulator's CSV weight is the event's default weight; the engine weighs events itself.
  const model = trainEngineModel({
    catalog,
    interactions: train.map((r) => ({ userId: r.userId, songId: r.itemId, event: r.event, timestamp: r.timestamp })),
    now: 0,
  });
  const evaluate = (strategy: keyof EngineModel['rankers']) =>
    evaluateRecommender(model.rankers[strategy], model.data, test, { k: 10, relevance: positiveFeedback });

  /** Per-listener nDCG@10 of `strategy`, listeners in a fixed order, for paired comparisons. */
  const perListener = (strategy: keyof EngineModel['rankers']) => {
    const relevant = relevantByListener(test);
    return [...relevant.keys()].sort().map((id) => {
      const recs = model.rankers[strategy].recommend(model.data.userIndex(id), 10);
      return ndcgAtK(
        recs.map((s) => model.data.itemIds[s.index]),
        relevant.get(id) as Set<string>,
        10,
      );
    });
  };

  it('serves the weights chosen on validation data and is not below CF, and beats content and popularity', () => {
    const search = model.report.weightSearch;
    if (search?.status !== 'searched') throw new Error(`expected a weight search, got ${JSON.stringify(search)}`);
    expect(search.validationListeners).toBeGreaterThan(300);
    expect(model.options.weights).toMatchObject(search.chosen);

    const hybrid = evaluate('hybrid');
    const cf = evaluate('cf');
    const content = evaluate('content');
    const popular = evaluate('popular');
    const table = { hybrid, cf, content, popular };
    const h = perListener('hybrid');
    const c = perListener('cf');
    const diff = h.map((x, u) => x - c[u]);
    const mean = diff.reduce((s, x) => s + x, 0) / diff.length;
    const se = Math.sqrt(diff.reduce((s, x) => s + (x - mean) ** 2, 0) / (diff.length - 1) / diff.length);
    // Printed so the README's table can be refreshed from a test run.
    console.log(
      [
        ...Object.entries(table).map(
          ([name, m]) =>
            `${name}: P@10 ${m.precision.toFixed(4)} R@10 ${m.recall.toFixed(4)} nDCG@10 ${m.ndcg.toFixed(4)} MAP@10 ${m.map.toFixed(4)} users ${m.users}`,
        ),
        `hybrid − cf per listener: ${mean.toFixed(4)} ± ${se.toFixed(4)} (paired, ${diff.length} listeners)`,
        `weights chosen on ${search.validationListeners} validation listeners: ${JSON.stringify(search.chosen)}`,
        ...search.trials.map(
          (t) =>
            `  content ${t.content} popularity ${t.popularity}: validation nDCG@10 ${t.ndcg.toFixed(4)} (SE from best ${t.seFromBest.toFixed(4)})`,
        ),
      ].join('\n'),
    );
    expect(hybrid.users).toBeGreaterThan(300);
    expect(mean).toBeCloseTo(hybrid.ndcg - cf.ndcg, 10);
    expect(hybrid.ndcg).toBeGreaterThanOrEqual(cf.ndcg);
    expect(hybrid.ndcg).toBeGreaterThan(content.ndcg);
    expect(hybrid.ndcg).toBeGreaterThan(popular.ndcg);
  });
});
