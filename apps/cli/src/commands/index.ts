import type { Command } from '../command';
import { benchCommand } from './bench';
import { evaluateCommand } from './evaluate';
import { ingestCommand } from './ingest';
import { personalizeCommand } from './personalize';
import { recommendCommand } from './recommend';
import { similarCommand } from './similar';
import { simulateCommand } from './simulate';
import { trainCommand } from './train';

/**
 * Every CLI command, in the order the program help lists them.
 * To add one (simulate, train, evaluate, recommend, similar…): create `commands/<name>.ts`
 * exporting a `Command` (see `command.ts`; `ingest.ts` is a complete example), then add it here.
 */
export const commands: readonly Command[] = [
  ingestCommand,
  simulateCommand,
  trainCommand,
  evaluateCommand,
  recommendCommand,
  similarCommand,
  personalizeCommand,
  benchCommand,
];
