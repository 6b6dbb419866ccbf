import { type OptionSpec, UsageError } from '../args';
import type { Command } from '../command';

const ACTIONS = ['export', 'sync'] as const;
type Action = (typeof ACTIONS)[number];

const EXPORT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'out',
    type: 'string',
    valueName: 'DIR',
    description: 'export: directory for the CSVs and schemas (created)',
  },
  {
    name: 'catalog',
    type: 'string',
    valueName: 'FILE',
    description: 'export: song catalog CSV (default data/sample/catalog.csv)',
  },
  {
    name: 'interactions',
    type: 'string',
    valueName: 'FILE',
    description: 'export: interactions file as for train (default: simulated listeners over the catalog)',
  },
  {
    name: 'columns',
    type: 'string',
    valueName: 'MAP',
    description: 'export: header names of a generic interactions file, e.g. user=listener,item=song',
  },
  { name: 'users', type: 'integer', min: 1, valueName: 'N', description: 'export: simulated listeners (default 400)' },
  {
    name: 'seed',
    type: 'integer',
    valueName: 'S',
    description: 'export: seed of the simulated listeners (default 42)',
  },
];

const SYNC_OPTIONS: readonly OptionSpec[] = [
  { name: 'dir', type: 'string', valueName: 'DIR', description: 'sync: the directory `personalize export` wrote' },
  { name: 'bucket', type: 'string', valueName: 'B', description: 'sync: S3 bucket Personalize imports from' },
  {
    name: 'prefix',
    type: 'string',
    valueName: 'P',
    description: 'sync: key prefix of the uploaded CSVs (default none)',
  },
  {
    name: 'role-arn',
    type: 'string',
    valueName: 'ARN',
    description: 'sync: IAM role Personalize assumes to read the bucket',
  },
  {
    name: 'name',
    type: 'string',
    valueName: 'NAME',
    description: 'sync: dataset group name, prefix of every resource name (≤ 36 characters)',
  },
  { name: 'region', type: 'string', valueName: 'R', description: 'sync: AWS region (default $AWS_REGION)' },
  {
    name: 'endpoint',
    type: 'string',
    valueName: 'URL',
    description: 'sync: Personalize endpoint override (default $PERSONALIZE_ENDPOINT)',
  },
  {
    name: 's3-endpoint',
    type: 'string',
    valueName: 'URL',
    description: 'sync: S3 endpoint override, path-style (default $S3_ENDPOINT)',
  },
  {
    name: 'user-recipe',
    type: 'string',
    valueName: 'ARN',
    description: 'sync: recipe of NAME-user (default …/aws-user-personalization-v2)',
  },
  { name: 'no-filter', type: 'boolean', description: 'sync: do not create the genre filter' },
  {
    name: 'max-wait-minutes',
    type: 'integer',
    min: 1,
    valueName: 'N',
    description: 'sync: give up waiting on one resource after N minutes (default 360; a re-run resumes)',
  },
];

export const personalizeCommand: Command = {
  name: 'personalize',
  summary: 'export datasets in Amazon Personalize form, then sync them into a dataset group with campaigns',
  usage:
    'personalize export --out DIR [--catalog FILE] [--interactions FILE | --users N --seed S] [--json]\n' +
    '       encore personalize sync --dir DIR --bucket B --role-arn ARN --name NAME [--prefix P] [--region R] [--endpoint URL] [--json]',
  positionals: [{ name: 'ACTION', description: 'export | sync' }],
  options: [...EXPORT_OPTIONS, ...SYNC_OPTIONS],
  async run(args, ctx) {
    const action = args.positionals[0] as Action;
    if (!ACTIONS.includes(action)) {
      throw new UsageError(`unknown action ${JSON.stringify(action)}; actions: ${ACTIONS.join(', ')}`);
    }
    const foreign = action === 'export' ? SYNC_OPTIONS : EXPORT_OPTIONS;
    for (const o of foreign) {
      if (args.has(o.name)) throw new UsageError(`--${o.name} applies to "personalize ${otherAction(action)}" only`);
    }
    // The actions load the AWS SDK (about half a second): only `personalize` pays for it, not every
    // CLI start nor every worker thread, which runs this same bundle.
    const { runPersonalizeExport, runPersonalizeSync } = await import('../personalize/personalize-actions');
    return action === 'export' ? runPersonalizeExport(args, ctx) : runPersonalizeSync(args, ctx);
  },
};

function otherAction(action: Action): Action {
  return action === 'export' ? 'sync' : 'export';
}
