import { buildInteractionMatrix, type InteractionEvent, type InteractionMatrix } from '@encore/features';
import { Rng } from '@encore/linalg';

export interface PlantedBlocksOptions {
  /** Number of taste groups; group g's users only play group g's items. Default 2. */
  blocks?: number;
  usersPerBlock?: number;
  itemsPerBlock?: number;
  /** Probability a user has played each item of their block. Default 0.7. */
  density?: number;
  /** Played items per user withheld from training (to be ranked back). Default 2. */
  heldOutPerUser?: number;
  seed?: number;
}

export interface PlantedBlocks {
  /** Training interactions (held-out pairs removed). */
  data: InteractionMatrix;
  /** Per user, dense item indices they played but that were withheld. */
  heldOut: number[][];
  userBlock: Int32Array;
  itemBlock: Int32Array;
}

/**
 * A planted low-rank structure: `blocks` user groups × `blocks` item groups, users playing a
 * random `density` share of their own group's items (play counts 1–3) and nothing else.
 * A sound collaborative model ranks a user's withheld in-block items above every other
 * block's items. Deterministic under `seed`.
 */
export function plantedBlocks(options: PlantedBlocksOptions = {}): PlantedBlocks {
  const blocks = options.blocks ?? 2;
  const upb = options.usersPerBlock ?? 12;
  const ipb = options.itemsPerBlock ?? 10;
  const density = options.density ?? 0.7;
  const holdOut = options.heldOutPerUser ?? 2;
  const rng = new Rng(options.seed ?? 7);
  const users = blocks * upb;
  const items = blocks * ipb;
  const userBlock = new Int32Array(users);
  const itemBlock = new Int32Array(items);
  for (let u = 0; u < users; u++) userBlock[u] = Math.floor(u / upb);
  for (let i = 0; i < items; i++) itemBlock[i] = Math.floor(i / ipb);
  const events: InteractionEvent[] = [];
  const heldOut: number[][] = [];
  for (let u = 0; u < users; u++) {
    const played: number[] = [];
    for (let i = userBlock[u] * ipb; i < (userBlock[u] + 1) * ipb; i++) if (rng.next() < density) played.push(i);
    rng.shuffle(played);
    heldOut.push(played.slice(0, holdOut).sort((a, b) => a - b));
    for (const i of played.slice(holdOut)) events.push({ userId: `u${u}`, itemId: `i${i}`, weight: 1 + rng.int(3) });
  }
  const data = buildInteractionMatrix(events, {
    users: Array.from({ length: users }, (_, u) => `u${u}`),
    items: Array.from({ length: items }, (_, i) => `i${i}`),
  });
  return { data, heldOut, userBlock, itemBlock };
}

/**
 * For every user: does every withheld in-block item score above every item of another block?
 * Returns the share of users for whom it does (1 = the structure was fully recovered).
 */
export function plantedRecovery(
  planted: PlantedBlocks,
  score: (user: number, out: Float32Array) => Float32Array,
): number {
  const { data, heldOut, userBlock, itemBlock } = planted;
  const out = new Float32Array(data.items);
  let ok = 0;
  for (let u = 0; u < data.users; u++) {
    score(u, out);
    let worstIn = Infinity;
    for (const i of heldOut[u]) worstIn = Math.min(worstIn, out[i]);
    let bestOut = -Infinity;
    for (let i = 0; i < data.items; i++) if (itemBlock[i] !== userBlock[u]) bestOut = Math.max(bestOut, out[i]);
    if (heldOut[u].length === 0 || worstIn > bestOut) ok++;
  }
  return ok / data.users;
}

/**
 * Three users over three items: u0 {i0, i1}, u1 {i1, i2}, u2 {i0, i1, i2}, all with value 1.
 * Small enough for hand-computed references (XᵀX = [[2,2,1],[2,3,2],[1,2,2]]).
 */
export function overlappingTrio(): InteractionMatrix {
  return buildInteractionMatrix(
    [
      ['u0', 'i0'],
      ['u0', 'i1'],
      ['u1', 'i1'],
      ['u1', 'i2'],
      ['u2', 'i0'],
      ['u2', 'i1'],
      ['u2', 'i2'],
    ].map(([userId, itemId]) => ({ userId, itemId })),
  );
}
