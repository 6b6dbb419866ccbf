/**
 * One user–item interaction as every parser produces it and every split consumes it.
 * `weight` is the strength (rating, play count, event confidence; absent = 1), `event` the
 * kind of event when the source has one ('play', 'like', 'skip' …), `timestamp` epoch
 * milliseconds. The simulator's `InteractionEvent` is a structural subtype of this.
 */
export interface Interaction {
  userId: string;
  itemId: string;
  weight?: number;
  event?: string;
  timestamp?: number;
}

/** A parse failure tied to a 1-based line of the input, so a bad row can be found in the file. */
export class DatasetParseError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${source} line ${line}: ${reason}`);
    this.name = 'DatasetParseError';
  }
}
