/** One request of background traffic: resolves with the HTTP status (rejections are recorded as failures). */
export type TrafficRequest = { label: string; send: () => Promise<number> };

export interface TrafficOutcome {
  label: string;
  /** HTTP status, or the network error's message. */
  status: number | string;
}

/**
 * Other callers using the API while a test breaks something: `lanes` loops, each sending the requests in turn
 * until stop(), which resolves with every outcome. Nothing is asserted here; the test decides what is acceptable.
 */
export class Traffic {
  private readonly outcomes: TrafficOutcome[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly requests: readonly TrafficRequest[],
    lanes = 2,
  ) {
    this.loops = Array.from({ length: lanes }, (_, lane) => this.loop(lane));
  }

  /** Outcomes so far. */
  get count(): number {
    return this.outcomes.length;
  }

  async stop(): Promise<TrafficOutcome[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  private async loop(lane: number): Promise<void> {
    for (let i = lane; !this.stopped; i++) {
      const { label, send } = this.requests[i % this.requests.length];
      try {
        this.outcomes.push({ label, status: await send() });
      } catch (error) {
        this.outcomes.push({ label, status: (error as Error).message });
      }
      // Steady, not saturating: the point is requests arriving throughout the fault.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
