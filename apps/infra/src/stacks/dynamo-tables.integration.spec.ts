import { DescribeTableCommand, DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamoInteractionStore, dynamoTableNames } from '@encore/interaction-store';
import { type LocalDynamo, startLocalDynamo } from '@encore/interaction-store/testing';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStacks } from '../testing/stacks';

/**
 * The serverless stack creates the tables before the store ever runs, and the store then uses them as they are:
 * a key schema that differs from the one the store creates for itself would break every query. So let the store
 * create its tables in dynalite, and compare them with the template.
 */
describe('DynamoDB tables of EncoreServerlessStack', () => {
  let dynamo: LocalDynamo;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    client = new DynamoDBClient(dynamo.clientConfig);
  });

  afterAll(async () => {
    client.destroy();
    await dynamo.close();
  });

  it('have the names and key schemas DynamoInteractionStore creates', async () => {
    const prefix = 'contract-';
    const store = new DynamoInteractionStore({ tablePrefix: prefix, clientConfig: dynamo.clientConfig });
    await store.init();
    await store.close();

    const shape = (t: Pick<TableDescription, 'KeySchema' | 'AttributeDefinitions'>) => ({
      keys: [...(t.KeySchema ?? [])].map((k) => `${k.KeyType}:${k.AttributeName}`).sort(),
      attributes: [...(t.AttributeDefinitions ?? [])].map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(),
    });
    const fromStore: Record<string, ReturnType<typeof shape>> = {};
    for (const name of Object.values(dynamoTableNames(prefix))) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      fromStore[name] = shape(Table ?? {});
    }

    const template = Template.fromStack(buildStacks({ dynamoTablePrefix: prefix }).serverless);
    const fromStack: Record<string, ReturnType<typeof shape>> = {};
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      fromStack[table['Properties'].TableName] = shape(table['Properties']);
    }
    expect(fromStack).toEqual(fromStore);
    expect(Object.keys(fromStack)).toHaveLength(3);
  }, 120_000);
});
