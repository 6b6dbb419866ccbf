import { Sha256 } from './sha256';

/** The fields of an interaction that define training data; structurally matches `@encore/datasets` `Interaction`. */
export interface FingerprintedInteraction {
  userId: string;
  itemId: string;
  weight?: number;
  event?: string;
  timestamp?: number;
}

/**
 * Order-independent SHA-256 of a set of interactions, stored in the manifest so a model can be
 * traced to the data it was trained on. Each row becomes `"user"\t"item"\tweight\t"event"\ttimestamp`
 * (strings JSON-quoted; absent weight = 1, absent event/timestamp = empty; numbers in JS shortest round-trip form),
 * the rows are sorted by UTF-16 code units and hashed as UTF-8 lines. Two inputs that differ only
 * in row order share a fingerprint; any changed field, added or removed row changes it.
 */
export function fingerprintInteractions(interactions: Iterable<FingerprintedInteraction>): string {
  const lines: string[] = [];
  for (const r of interactions) {
    // JSON-quoting the strings keeps an id containing a tab from colliding with a different row.
    const event = r.event === undefined ? '' : JSON.stringify(r.event);
    lines.push(
      `${JSON.stringify(r.userId)}\t${JSON.stringify(r.itemId)}\t${r.weight ?? 1}\t${event}\t${r.timestamp ?? ''}\n`,
    );
  }
  lines.sort();
  const hash = new Sha256();
  const encoder = new TextEncoder();
  // Hash in ~64 KB chunks: one giant string would double peak memory on big logs.
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 65536) {
      hash.update(encoder.encode(chunk));
      chunk = '';
    }
  }
  if (chunk) hash.update(encoder.encode(chunk));
  return hash.hex();
}
