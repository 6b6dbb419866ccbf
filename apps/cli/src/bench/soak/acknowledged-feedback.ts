/** One page of a listener's stored history: the client ids on it and the cursor of the next page. */
export interface HistoryIdsPage {
  ids: readonly (string | undefined)[];
  nextCursor?: string;
}

export interface FeedbackVerification {
  /** Acknowledged events looked for. */
  acknowledged: number;
  /** Acknowledged events found in the store. */
  found: number;
  /** Acknowledged events the store does not have, per listener (empty when durable). */
  missing: { userId: string; id: string }[];
  /** History pages read. */
  pages: number;
}

/**
 * The client ids of every feedback event the server acknowledged (2xx), per listener, so that after a run
 * each can be looked up in the store: an acknowledged interaction must never be lost.
 */
export class AcknowledgedFeedback {
  private readonly byUser = new Map<string, Set<string>>();
  private total = 0;

  acknowledge(userId: string, ids: readonly string[]): void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    for (const id of ids) {
      if (set.has(id)) throw new Error(`feedback id ${id} of ${userId} acknowledged twice; ids must be unique`);
      set.add(id);
      this.total++;
    }
  }

  get count(): number {
    return this.total;
  }

  /**
   * Reads every listener's full history through `page(userId, cursor)` (first page without a cursor, then each
   * `nextCursor` until there is none) and reports which acknowledged ids are absent.
   */
  async verify(page: (userId: string, cursor?: string) => Promise<HistoryIdsPage>): Promise<FeedbackVerification> {
    const missing: { userId: string; id: string }[] = [];
    let found = 0;
    let pages = 0;
    for (const [userId, acknowledged] of this.byUser) {
      const stored = new Set<string>();
      const seenCursors = new Set<string>();
      let cursor: string | undefined;
      do {
        const p = await page(userId, cursor);
        pages++;
        for (const id of p.ids) if (id !== undefined) stored.add(id);
        cursor = p.nextCursor;
        if (cursor !== undefined) {
          if (seenCursors.has(cursor)) throw new Error(`history of ${userId} returned cursor ${cursor} twice`);
          seenCursors.add(cursor);
        }
      } while (cursor !== undefined);
      for (const id of acknowledged) {
        if (stored.has(id)) found++;
        else missing.push({ userId, id });
      }
    }
    return { acknowledged: this.total, found, missing, pages };
  }
}
