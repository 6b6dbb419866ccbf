import type { BenchCase } from '../bench-case';
import { ingestOneThread, ingestWorkers } from './ingest';

/**
 * Every benchmark case, in report order. To add one: write `cases/<topic>.ts` exporting
 * `defineBenchCase({...})` (see ingest.ts) and list it here.
 */
export const benchCases: readonly BenchCase[] = [ingestOneThread, ingestWorkers];
