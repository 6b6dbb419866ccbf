import { type Attribute, AttributeType } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The tables DynamoInteractionStore (libs/interaction-store) works with, named `${DYNAMODB_TABLE_PREFIX}${suffix}`.
 * The store creates missing tables itself, which suits dynalite and tests; in AWS the stack owns them so that they
 * get point-in-time recovery, deletion protection and a retain policy. dynamo-tables.integration.spec.ts checks
 * that these key schemas are the ones the store creates.
 */
export const DYNAMO_TABLES: readonly { id: string; suffix: string; partitionKey: Attribute; sortKey?: Attribute }[] = [
  // pk: u#<id> (account) or n#<username> (name claim)
  { id: 'UsersTable', suffix: 'users', partitionKey: { name: 'pk', type: AttributeType.STRING } },
  // u: user id, k: h#<time>#<slot>#<index> (history) or k#<client id> (idempotency marker)
  {
    id: 'InteractionsTable',
    suffix: 'interactions',
    partitionKey: { name: 'u', type: AttributeType.STRING },
    sortKey: { name: 'k', type: AttributeType.STRING },
  },
  // b: bucket (slot / 1000), s: slot number of the global arrival-ordered log
  {
    id: 'FeedTable',
    suffix: 'feed',
    partitionKey: { name: 'b', type: AttributeType.NUMBER },
    sortKey: { name: 's', type: AttributeType.NUMBER },
  },
];
