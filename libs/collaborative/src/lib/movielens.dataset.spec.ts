import { readFileSync } from 'fs';
import { resolve } from 'path';
import {
  buildInteractionMatrix,
  type InteractionEvent,
  type InteractionMatrix,
  type Recommender,
} from '@encore/features';
import { Rng } from '@encore/linalg';
import { Ease } from './ease';
import { ImplicitAls } from './implicit-als';
import { ItemKnn } from './item-knn';

// Sanity on real data: MovieLens 100K, a seeded random 80/20 split per user, every rating as
// one implicit play. Reference figures with this split: EASE λ=500 0.367, ALS defaults 0.373,
// item-kNN defaults 0.309, most-popular 0.188.
const DATA = resolve(__dirname, '../../../../../shared/data/ml-100k/u.data');
const SLOW = 60_000;

function split(): { train: InteractionMatrix; test: Set<number>[] } {
  let text: string;
  try {
    text = readFileSync(DATA, 'utf8');
  } catch (e) {
    throw new Error(`MovieLens 100K is missing at ${DATA} (see shared/data/README.md): ${(e as Error).message}`);
  }
  const byUser = new Map<string, string[]>();
  const items = new Set<string>();
  for (const line of text.trim().split('\n')) {
    const [user, item] = line.split('\t');
    let list = byUser.get(user);
    if (!list) byUser.set(user, (list = []));
    list.push(item);
    items.add(item);
  }
  const rng = new Rng(1);
  const events: InteractionEvent[] = [];
  const held = new Map<string, string[]>();
  for (const [user, list] of byUser) {
    rng.shuffle(list);
    const cut = Math.round(list.length * 0.8);
    for (const item of list.slice(0, cut)) events.push({ userId: user, itemId: item });
    held.set(user, list.slice(cut));
  }
  const train = buildInteractionMatrix(events, { items: [...items] });
  const test = train.userIds.map((u) => new Set((held.get(u) ?? []).map((i) => train.itemIndex(i))));
  return { train, test };
}

function precisionAt10(recommend: (user: number) => number[], test: Set<number>[]): number {
  let sum = 0;
  let users = 0;
  for (let u = 0; u < test.length; u++) {
    if (test[u].size === 0) continue;
    sum += recommend(u).filter((i) => test[u].has(i)).length / 10;
    users++;
  }
  return sum / users;
}

describe('MovieLens 100K sanity (80/20 split, precision@10)', () => {
  let train: InteractionMatrix;
  let test: Set<number>[];
  let popular: number;

  beforeAll(() => {
    ({ train, test } = split());
    const counts = new Float32Array(train.items);
    for (const i of train.matrix.colIdx) counts[i]++;
    const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
    popular = precisionAt10((u) => {
      const seen = new Set(train.seen(u));
      return order.filter((i) => !seen.has(i)).slice(0, 10);
    }, test);
  }, SLOW);

  it('has the expected shape and a most-popular baseline near 0.19', () => {
    expect(train.users).toBe(943);
    expect(train.items).toBe(1682);
    expect(train.nnz).toBe(80_000);
    expect(popular).toBeGreaterThan(0.15);
    expect(popular).toBeLessThan(0.25);
  });

  const models: [string, () => Recommender, number][] = [
    ['ItemKnn (defaults)', () => new ItemKnn(), 0.28],
    ['ImplicitAls (defaults: 64 factors, 15 iterations)', () => new ImplicitAls(), 0.34],
    ['Ease (λ = 500)', () => new Ease({ regularization: 500 }), 0.34],
  ];
  it.each(models)(
    '%s clearly beats most-popular',
    (_, create, floor) => {
      const model = create();
      model.fit(train);
      const p = precisionAt10((u) => model.recommend(u, 10).map((s) => s.index), test);
      expect(p).toBeGreaterThan(floor);
      expect(p).toBeGreaterThan(popular + 0.08);
    },
    SLOW,
  );
});
