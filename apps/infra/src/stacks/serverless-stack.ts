import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/alarm-topic';
import { grantPrefixAccess } from '../constructs/artifact-access';
import { createSecureBucket } from '../constructs/secure-bucket';
import type { InfraSettings, LambdaSettings } from '../settings';
import { DYNAMO_TABLES } from './dynamo-tables';

export interface ServerlessStackProps extends StackProps {
  settings: InfraSettings;
}

/**
 * The API without servers: an HTTP API in front of one Lambda function (the Nest app behind an API Gateway v2
 * adapter, apps/api/src/lambda.ts), users and interactions in on-demand DynamoDB tables, model artifacts in S3.
 * Nothing runs, and almost nothing is paid, while nobody calls it; no VPC, so no NAT gateway either.
 */
export class ServerlessStack extends Stack {
  readonly handler: LambdaFunction;
  readonly httpApi: HttpApi;
  readonly tables: Table[];
  readonly artifactsBucket: Bucket;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: ServerlessStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const retention = settings.logRetentionDays as RetentionDays;

    this.artifactsBucket = createSecureBucket(this, 'ArtifactsBucket', { versioned: true });
    this.tables = DYNAMO_TABLES.map(
      (table) =>
        new Table(this, table.id, {
          tableName: `${settings.dynamoTablePrefix}${table.suffix}`,
          partitionKey: table.partitionKey,
          sortKey: table.sortKey,
          billingMode: BillingMode.PAY_PER_REQUEST,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          encryption: TableEncryption.AWS_MANAGED,
          deletionProtection: true,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const jwtSecret = new Secret(this, 'JwtSecret', {
      description: 'Encore API (Lambda): HS256 signing key of access tokens (JWT_SECRET)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const adminSecret = new Secret(this, 'AdminSecret', {
      description: 'Encore API (Lambda): admin account (ENCORE_ADMIN_USER / ENCORE_ADMIN_PASSWORD)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'admin' }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
        requireEachIncludedType: true,
      },
    });

    this.handler = new LambdaFunction(this, 'ApiFunction', {
      runtime: Runtime.NODEJS_20_X,
      architecture: Architecture.X86_64,
      ...this.code(settings.lambda),
      memorySize: settings.lambda.memoryMiB,
      timeout: Duration.seconds(settings.lambda.timeoutSeconds),
      logGroup: new LogGroup(this, 'ApiFunctionLogs', { retention, removalPolicy: RemovalPolicy.DESTROY }),
      description: 'Encore API (NestJS) behind API Gateway',
      environment: {
        NODE_ENV: 'production',
        NODE_OPTIONS: '--enable-source-maps',
        // The only writable directory in Lambda; per instance and short-lived, so nothing durable goes there.
        ENCORE_DATA_DIR: '/tmp/encore',
        INTERACTION_STORE: 'dynamodb',
        DYNAMODB_TABLE_PREFIX: settings.dynamoTablePrefix,
        ARTIFACT_STORE: 's3',
        ARTIFACT_S3_BUCKET: this.artifactsBucket.bucketName,
        ARTIFACT_S3_PREFIX: settings.artifactPrefix,
        RECOMMENDER_PROVIDER: 'engine',
        // Lambda has no secret injection like ECS: these are CloudFormation dynamic references, resolved at deploy
        // time into the function's (KMS-encrypted) configuration. The template and cdk.out never hold the values;
        // whoever may read the function's configuration can read them, so grant lambda:GetFunctionConfiguration
        // as narrowly as secretsmanager:GetSecretValue.
        JWT_SECRET: jwtSecret.secretValue.unsafeUnwrap(),
        ENCORE_ADMIN_USER: adminSecret.secretValueFromJson('username').unsafeUnwrap(),
        ENCORE_ADMIN_PASSWORD: adminSecret.secretValueFromJson('password').unsafeUnwrap(),
      },
    });
    // Data actions plus DescribeTable: the store's init() describes each table first and only calls CreateTable on
    // ResourceNotFoundException. This stack creates the tables, so the function gets no CreateTable (a table deleted
    // behind the stack's back fails start-up with AccessDenied instead of coming back empty and unmanaged).
    for (const table of this.tables) table.grantReadWriteData(this.handler);
    grantPrefixAccess(this.handler, this.artifactsBucket, settings.artifactPrefix, 'read-write');

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Encore API',
      defaultIntegration: new HttpLambdaIntegration('Api', this.handler),
      createDefaultStage: false,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      // A ceiling on what a flood of requests can cost; the API's own per-user rate limit sits below it.
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY }),
        ),
        // HTTP API context variables (the default format is the REST API's and logs blanks here).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            bytes: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { email: settings.alarmEmail });
    const fiveMinutes = Duration.minutes(5);
    const watch = (id: string, props: ConstructorParameters<typeof Alarm>[2]) =>
      this.alarmTopic.notify(new Alarm(this, id, { treatMissingData: TreatMissingData.NOT_BREACHING, ...props }));
    watch('FunctionErrorsAlarm', {
      alarmDescription: 'Lambda invocations failing (uncaught errors, timeouts) in 2 consecutive 5-minute periods',
      metric: this.handler.metricErrors({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
    });
    watch('FunctionThrottlesAlarm', {
      alarmDescription: 'Lambda throttled: the account or function concurrency limit was reached',
      metric: this.handler.metricThrottles({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    watch('Api5xxAlarm', {
      alarmDescription: 'HTTP API answered 5xx at least 10 times in each of 2 consecutive 5-minute periods',
      metric: this.httpApi.metricServerError({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 10,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
    });
    watch('ApiLatencyP99Alarm', {
      alarmDescription: 'HTTP API p99 latency above 3 s for 3 consecutive 5-minute periods (cold starts included)',
      metric: this.httpApi.metricLatency({ period: fiveMinutes, statistic: Stats.percentile(99) }),
      threshold: 3000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifactsBucket.bucketName });
    new CfnOutput(this, 'AdminSecretArn', { value: adminSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
  }

  /**
   * The function's code is the packaged api build (`npx nx run infra:package-lambda` writes lambda.js with its
   * node_modules to dist/apps/api-lambda). Without it, synthesis still works, so the stack can be tested and diffed
   * on a fresh checkout: the function becomes a placeholder answering 503 and synthesis warns. When the path was
   * given on purpose (-c lambdaAssetPath=…, as the deploy workflow does) a missing bundle is an error instead, so a
   * placeholder can never be deployed by accident from CI.
   */
  private code(lambda: LambdaSettings): { code: Code; handler: string } {
    if (existsSync(join(lambda.assetDir, 'lambda.js'))) {
      return { code: Code.fromAsset(lambda.assetDir), handler: 'lambda.handler' };
    }
    const message = `${join(lambda.assetDir, 'lambda.js')} not found: run \`npx nx run infra:package-lambda\` before deploying`;
    if (lambda.required) Annotations.of(this).addError(message);
    else Annotations.of(this).addWarning(`${message}; the function is a placeholder answering 503`);
    return {
      code: Code.fromInline(
        "exports.handler = async () => ({ statusCode: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'Lambda bundle not deployed', details: [] }) });",
      ),
      handler: 'index.handler',
    };
  }
}
