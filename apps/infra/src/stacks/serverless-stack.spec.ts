import { Match, Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import {
  expectAlarmsNotify,
  expectBucketsLockedDown,
  expectNoWildcardPermissions,
} from '../testing/stack-expectations';
import {
  buildStacks,
  emptyDirectory,
  errorMessages,
  fakeLambdaBundle,
  onlyResource,
  roleStatements,
  warningMessages,
} from '../testing/stacks';
import type { ServerlessStack } from './serverless-stack';

describe('EncoreServerlessStack', () => {
  let stack: ServerlessStack;
  let template: Template;
  const ref = (value: unknown) => stack.resolve(value);
  const functionProps = () => onlyResource(template, 'AWS::Lambda::Function')[1].Properties ?? {};
  const environment = () => (functionProps()['Environment'] as { Variables: Record<string, unknown> }).Variables;

  beforeAll(() => {
    // No certificate context: this stack must not need one.
    stack = buildStacks({ lambdaAssetPath: fakeLambdaBundle(), alarmEmail: 'oncall@example.com' }).serverless;
    template = Template.fromStack(stack);
  });

  it('synthesizes without errors or warnings when the api bundle exists', () => {
    expect(errorMessages(stack)).toEqual([]);
    expect(warningMessages(stack)).toEqual([]);
  });

  it('routes every request of an HTTP API to the function (payload v2), throttled at the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: ref(stack.handler.functionArn),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });

  it('runs the api bundle on Node 20 with lambda.handler, 1 GB and a timeout under the API limit', () => {
    expect(functionProps()).toMatchObject({
      Runtime: 'nodejs20.x',
      Handler: 'lambda.handler',
      MemorySize: 1024,
      Timeout: 29,
      Code: { S3Bucket: expect.anything(), S3Key: expect.stringMatching(/\.zip$/) },
    });
  });

  it('configures DynamoDB and S3 under the agreed variable names', () => {
    expect(environment()).toMatchObject({
      INTERACTION_STORE: 'dynamodb',
      DYNAMODB_TABLE_PREFIX: 'encore-',
      ARTIFACT_STORE: 's3',
      ARTIFACT_S3_BUCKET: ref(stack.artifactsBucket.bucketName),
      ARTIFACT_S3_PREFIX: 'models/',
    });
  });

  it('takes JWT_SECRET and the admin password from Secrets Manager by reference, never as literals', () => {
    const env = environment();
    for (const name of ['JWT_SECRET', 'ENCORE_ADMIN_PASSWORD']) {
      expect(JSON.stringify(env[name])).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"/);
    }
    expect(JSON.stringify(env['ENCORE_ADMIN_PASSWORD'])).toContain(':SecretString:password::}}');
  });

  it('keeps users, interactions and the feed in on-demand tables with point-in-time recovery', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table')).map((t) => t['Properties']);
    expect(tables.map((t) => t.TableName).sort()).toEqual(['encore-feed', 'encore-interactions', 'encore-users']);
    for (const table of tables) {
      expect(table).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
    const prefixed = Template.fromStack(buildStacks({ dynamoTablePrefix: 'staging-encore-' }).serverless);
    prefixed.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'staging-encore-users' });
    prefixed.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DYNAMODB_TABLE_PREFIX: 'staging-encore-' }) },
    });
  });

  it('lets the function use those tables and the artifacts prefix, and nothing else', () => {
    const role = (ref(stack.handler.role?.roleArn) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const resources = roleStatements(template, role).flatMap((s) => [s['Resource']].flat());
    const tableArns = stack.tables.map((t) => ref(t.tableArn));
    const bucketArn = ref(stack.artifactsBucket.bucketArn);
    const allowed = [...tableArns, bucketArn, { 'Fn::Join': ['', [bucketArn, '/models/*']] }];
    for (const resource of resources) expect(allowed).toContainEqual(resource);
    for (const table of tableArns) expect(resources).toContainEqual(table);
  });

  it('lets the function describe the tables it uses but not create, change or delete any (the stack owns them)', () => {
    const role = (ref(stack.handler.role?.roleArn) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = roleStatements(template, role);
    const actionsOn = (table: unknown) =>
      statements.filter((s) => [s['Resource']].flat().some((r) => JSON.stringify(r) === JSON.stringify(table)));
    for (const table of stack.tables.map((t) => ref(t.tableArn)))
      expect(actionsOn(table).flatMap((s) => [s['Action']].flat())).toContain('dynamodb:DescribeTable');
    const tableAdministration = statements
      .flatMap((s) => [s['Action']].flat() as string[])
      .filter((action) => /^dynamodb:(Create|Update|Delete)Table/.test(action));
    expect(tableAdministration).toEqual([]);
  });

  it('locks every bucket down and grants no wildcard actions', () => {
    expectBucketsLockedDown(template);
    expectNoWildcardPermissions(template);
  });

  it('alarms on function errors, throttles, API 5xx and latency, all to the SNS topic', () => {
    const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => `${a['Properties'].Namespace}/${a['Properties'].MetricName}`,
    );
    expect(metrics.sort()).toEqual([
      'AWS/ApiGateway/5xx',
      'AWS/ApiGateway/Latency',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Throttles',
    ]);
    const [topicId] = onlyResource(template, 'AWS::SNS::Topic');
    expectAlarmsNotify(template, topicId);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  describe('without the api bundle', () => {
    it('deploys a 503 placeholder and warns when the default path is missing', () => {
      const placeholder = buildStacks({}, emptyDirectory()).serverless;
      const t = Template.fromStack(placeholder);
      t.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        Code: { ZipFile: Match.stringLikeRegexp('statusCode: 503') },
      });
      expect(warningMessages(placeholder)).toEqual([expect.stringContaining('npx nx run infra:package-lambda')]);
      expect(errorMessages(placeholder)).toEqual([]);
    });

    it('refuses to synthesize when lambdaAssetPath names a directory without lambda.js', () => {
      const missing = join(emptyDirectory(), 'dist/apps/api');
      const required = buildStacks({ lambdaAssetPath: missing }).serverless;
      expect(errorMessages(required)).toEqual([expect.stringContaining(join(missing, 'lambda.js'))]);
    });
  });
});
