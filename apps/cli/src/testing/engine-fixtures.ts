import { runCli } from '../cli';
import { memoryIo } from './memory-io';

/** Runs one CLI invocation in-process; `json()` parses the single JSON line of a --json run. */
export async function runInProcess(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const m = memoryIo({ cwd, env });
  const code = await runCli(argv, m.io);
  return {
    code,
    stdout: m.stdout(),
    stderr: m.stderr(),
    json: <T = Record<string, unknown>>(): T => {
      const lines = m.stdout().trimEnd().split('\n');
      if (lines.length !== 1) throw new Error(`expected one JSON line on stdout, got ${lines.length}: ${m.stdout()}`);
      return JSON.parse(lines[0]) as T;
    },
  };
}

/**
 * Six listeners over eight songs in Encore's interactions format: two taste groups (s1–s4,
 * s5–s8), a skip-only pair (u1/s4: seen, net weight −1) and a dislike (u6/s5).
 */
export const LISTENERS_CSV = [
  'user_id,item_id,event,weight,timestamp',
  'u1,s1,play,1,1000',
  'u1,s2,like,4,1001',
  'u1,s4,skip,-1,1002',
  'u2,s1,play,1,1003',
  'u2,s2,play,1,1004',
  'u2,s3,play,1,1005',
  'u3,s2,play,1,1006',
  'u3,s3,like,4,1007',
  'u3,s4,play,1,1008',
  'u4,s5,play,1,1009',
  'u4,s6,play,1,1010',
  'u5,s6,like,4,1011',
  'u5,s7,play,1,1012',
  'u5,s8,play,1,1013',
  'u6,s7,play,1,1014',
  'u6,s8,play,1,1015',
  'u6,s5,dislike,,1016',
  '',
].join('\n');

/** Per user, every item in LISTENERS_CSV they touched (any event): none may be recommended back. */
export function touchedItems(csv: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of csv.trim().split('\n').slice(1)) {
    const [user, item] = line.split(',');
    if (!out.has(user)) out.set(user, new Set());
    out.get(user)?.add(item);
  }
  return out;
}

/**
 * Three users, popularity by distinct listeners a = 3, b = 2, c = 1; the test set holds an item
 * (d) the training data never saw. See evaluate.spec.ts for the hand-computed metrics.
 */
export const POPULARITY_TRAIN_CSV = 'user_id,item_id\nu1,a\nu1,b\nu2,a\nu2,c\nu3,a\nu3,b\n';
export const POPULARITY_TEST_CSV = 'user_id,item_id\nu1,c\nu2,d\nu3,c\nu3,d\n';
