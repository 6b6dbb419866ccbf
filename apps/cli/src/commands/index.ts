import type { Command } from '../command';
import { benchCommand } from './bench';
import { ingestCommand } from './ingest';

/**
 * Every CLI command, in the order the program help lists them.
 * To add one (simulate, train, evaluate, recommend, similar…): create `commands/<name>.ts`
 * exporting a `Command` (see `command.ts`; `ingest.ts` is a complete example), then add it here.
 */
export const commands: readonly Command[] = [ingestCommand, benchCommand];
