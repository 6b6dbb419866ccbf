import type { ProviderInteraction } from '@encore/recommender-port';

interface LiveEvent {
  songId: string;
  event: string;
  /** recordInteractions call sequence number: a retrained model that read the store after it includes the event. */
  seq: number;
}

/**
 * What one listener did since the served model was trained, kept in memory so the next request
 * folds it in without retraining. Dislikes are permanent: they survive model swaps, whatever the
 * training data says, because a listener who said "never again" must not see the song again.
 */
export class ListenerState {
  private events: LiveEvent[] = [];
  private readonly dislikes = new Set<string>();
  private changes = 0;

  constructor(private readonly maxEvents: number) {}

  get hasEvents(): boolean {
    return this.events.length > 0 || this.dislikes.size > 0;
  }

  get disliked(): ReadonlySet<string> {
    return this.dislikes;
  }

  /** Changes with every recorded or forgotten event, so what was computed from this state can tell it is stale. */
  get version(): number {
    return this.changes;
  }

  record(interactions: readonly ProviderInteraction[], seq: number): void {
    this.changes++;
    for (const i of interactions) {
      if (i.event === 'dislike') this.dislikes.add(i.songId);
      else this.events.push({ songId: i.songId, event: i.event, seq });
    }
    // The oldest live events are already in the durable store and reach the model at the next retrain.
    if (this.events.length > this.maxEvents) this.events = this.events.slice(this.events.length - this.maxEvents);
  }

  /** Drops events a newly served model was trained on (recorded at or before `seq`); dislikes stay. */
  forgetThrough(seq: number): void {
    const before = this.events.length;
    this.events = this.events.filter((e) => e.seq > seq);
    if (this.events.length !== before) this.changes++;
  }

  /** Summed event weight per song (unknown event kinds count 0), and the songs liked since training. */
  totals(weights: Readonly<Record<string, number>>): { values: Map<string, number>; liked: Set<string> } {
    const values = new Map<string, number>();
    const liked = new Set<string>();
    for (const e of this.events) {
      values.set(e.songId, (values.get(e.songId) ?? 0) + (weights[e.event] ?? 0));
      if (e.event === 'like') liked.add(e.songId);
    }
    return { values, liked };
  }
}
