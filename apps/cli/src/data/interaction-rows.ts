import type { Interaction } from '@encore/datasets';
import { positiveFeedback } from '@encore/evaluation';
import {
  buildInteractionMatrix,
  DEFAULT_EVENT_WEIGHTS,
  DISLIKE_EVENT,
  type InteractionEvent,
  type InteractionMatrix,
} from '@encore/features';

/**
 * The CLI's reading of an interaction row: `weight` is the row's final weight (the simulator and
 * Encore's interactions CSV write -1 for a skip and 4 for a like); a row without a weight takes
 * its event's default weight (play 1, like 4, skip -1) or 1; `dislike` removes the item for the
 * user. buildInteractionMatrix multiplies weight by the event weight, so events go in as plain
 * plays carrying the final weight.
 */
export function* matrixEvents(rows: Iterable<Interaction>): Generator<InteractionEvent> {
  for (const r of rows) {
    if (r.event === DISLIKE_EVENT) {
      yield { userId: r.userId, itemId: r.itemId, event: DISLIKE_EVENT, timestamp: r.timestamp };
      continue;
    }
    let weight = r.weight;
    if (weight === undefined) {
      weight = r.event === undefined ? 1 : DEFAULT_EVENT_WEIGHTS[r.event];
      if (weight === undefined) {
        throw new Error(
          `event "${r.event}" (user ${r.userId}, item ${r.itemId}) has no weight and no default one; ` +
            `known events: ${[...Object.keys(DEFAULT_EVENT_WEIGHTS), DISLIKE_EVENT].join(', ')}`,
        );
      }
    }
    yield { userId: r.userId, itemId: r.itemId, weight, timestamp: r.timestamp };
  }
}

/** The user × item matrix models train on, from interaction rows. */
export function buildMatrix(rows: Iterable<Interaction>, items?: readonly string[]): InteractionMatrix {
  return buildInteractionMatrix(matrixEvents(rows), items ? { items, onUnknown: 'ignore' } : {});
}

/**
 * Which held-out rows count as relevant: with event kinds (Encore's logs), skips, dislikes and
 * non-positive weights do not; without them (ratings, play counts), every row does.
 */
export function relevanceFor(
  rows: readonly Interaction[],
): ((weight: number, row: Interaction) => boolean) | undefined {
  return rows.some((r) => r.event !== undefined) ? positiveFeedback : undefined;
}
