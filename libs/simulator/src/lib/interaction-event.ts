/** The implicit-feedback events Encore records and the simulator produces. */
export const INTERACTION_EVENT_TYPES = ['play', 'like', 'skip'] as const;
export type InteractionEventType = (typeof INTERACTION_EVENT_TYPES)[number];

/** Default implicit weight of each event: a like says more than a play, a skip is mild negative evidence. */
export const PLAY_WEIGHT = 1;
export const LIKE_WEIGHT = 4;
export const SKIP_WEIGHT = -1;
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<InteractionEventType, number>> = Object.freeze({
  play: PLAY_WEIGHT,
  like: LIKE_WEIGHT,
  skip: SKIP_WEIGHT,
});

/** One interaction; `timestamp` is epoch milliseconds (UTC). */
export interface InteractionEvent {
  userId: string;
  itemId: string;
  event: InteractionEventType;
  weight: number;
  timestamp: number;
}

export function isInteractionEventType(value: string): value is InteractionEventType {
  return (INTERACTION_EVENT_TYPES as readonly string[]).includes(value);
}
