import { Annotations, Arn, ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import {
  GatewayVpcEndpointAwsService,
  InstanceClass,
  InstanceSize,
  InstanceType,
  NatProvider,
  NatTrafficDirection,
  Peer,
  Port,
  SecurityGroup,
  type SubnetSelection,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import {
  Cluster,
  ContainerImage,
  CpuArchitecture,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
  Secret as EcsSecret,
} from 'aws-cdk-lib/aws-ecs';
import { ApplicationLoadBalancedFargateService, ScheduledFargateTask } from 'aws-cdk-lib/aws-ecs-patterns';
import { ApplicationProtocol, HttpCodeElb, HttpCodeTarget, SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HostedZone, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/alarm-topic';
import { grantPrefixAccess } from '../constructs/artifact-access';
import { PostgresDatabase } from '../constructs/postgres-database';
import { RedisCache } from '../constructs/redis-cache';
import { createSecureBucket } from '../constructs/secure-bucket';
import type { CertificateSettings, InfraSettings, PersonalizeSettings } from '../settings';

export interface ContainerStackProps extends StackProps {
  settings: InfraSettings;
}

const CONTAINER_PORT = 3000;
/** Key prefix of the datasets the training task may read from the data bucket. */
export const DATASET_PREFIX = 'datasets/';
const APP_SUBNETS: SubnetSelection = { subnetGroupName: 'App' };
const DATA_SUBNETS: SubnetSelection = { subnetGroupName: 'Data' };

/**
 * The API as a container service: two Fargate tasks behind an HTTPS load balancer, PostgreSQL for users and
 * interactions, Redis for the response cache and rate limits, S3 for model artifacts, and a nightly training task.
 *
 * Subnets: public (load balancer, NAT), App (tasks; out through one NAT, a t4g.nano instance unless
 * `natProvider=gateway`, S3 through a free gateway endpoint), Data (database and cache; no route out at all).
 */
export class ContainerStack extends Stack {
  readonly vpc: Vpc;
  readonly artifactsBucket: Bucket;
  readonly dataBucket: Bucket;
  readonly api: ApplicationLoadBalancedFargateService;
  readonly database: PostgresDatabase;
  readonly cache: RedisCache;
  readonly alarmTopic: AlarmTopic;
  readonly jwtSecret: Secret;
  readonly adminSecret: Secret;
  readonly training?: ScheduledFargateTask;

  constructor(scope: Construct, id: string, props: ContainerStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // The NAT instance (the default) trades the managed gateway's availability and bandwidth for about $30 a month,
    // which keeps the stack under the $100 seed budget; with it, patching that instance (Amazon Linux 2023) is ours.
    // natProvider=gateway buys the managed gateway back.
    const natInstance =
      settings.natProvider === 'instance'
        ? NatProvider.instanceV2({
            instanceType: InstanceType.of(InstanceClass.T4G, InstanceSize.NANO),
            defaultAllowedTraffic: NatTrafficDirection.OUTBOUND_ONLY,
            associatePublicIpAddress: true,
          })
        : undefined;
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      // One NAT (~$4 a month as an instance, ~$34 as a gateway) instead of one per zone: losing that zone stops
      // outbound calls (ECR pulls, Personalize) until it is back, which the seed budget accepts.
      natGateways: 1,
      natGatewayProvider: natInstance ?? NatProvider.gateway(),
      subnetConfiguration: [
        { name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'App', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'Data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: GatewayVpcEndpointAwsService.S3 } },
    });
    natInstance?.connections.allowFrom(Peer.ipv4(this.vpc.vpcCidrBlock), Port.allTraffic(), 'Forwarded from the VPC');

    this.dataBucket = createSecureBucket(this, 'DataBucket');
    this.artifactsBucket = createSecureBucket(this, 'ArtifactsBucket', { versioned: true });

    this.jwtSecret = new Secret(this, 'JwtSecret', {
      description: 'Encore API: HS256 signing key of access tokens (JWT_SECRET)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.adminSecret = new Secret(this, 'AdminSecret', {
      description: 'Encore API: admin account (ENCORE_ADMIN_USER / ENCORE_ADMIN_PASSWORD)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'admin' }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
        // The API's password rule wants at least one letter and one digit.
        requireEachIncludedType: true,
      },
    });

    this.database = new PostgresDatabase(this, 'Database', { vpc: this.vpc, subnets: DATA_SUBNETS });
    this.cache = new RedisCache(this, 'Cache', { vpc: this.vpc, subnets: DATA_SUBNETS, nodeType: 'cache.t4g.micro' });

    const cluster = new Cluster(this, 'Cluster', { vpc: this.vpc });
    const apiRepository = Repository.fromRepositoryName(this, 'ApiRepository', settings.apiRepositoryName);
    const apiLogs = new LogGroup(this, 'ApiLogs', {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const taskRole = new Role(this, 'ApiTaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Encore API tasks: model artifacts in S3 and, when configured, Amazon Personalize',
    });
    grantPrefixAccess(taskRole, this.artifactsBucket, settings.artifactPrefix, 'read-write');
    if (settings.personalize) this.grantPersonalize(taskRole, settings.personalize);

    // With a hosted zone the certificate validates itself and the domain gets an alias record to the load balancer.
    const dns = settings.certificate?.kind === 'dns' ? settings.certificate : undefined;
    const hostedZone = dns?.hostedZone
      ? HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
          hostedZoneId: dns.hostedZone.id,
          zoneName: dns.hostedZone.name,
        })
      : undefined;
    const certificate = this.certificate(settings.certificate, hostedZone);

    this.api = new ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      cpu: settings.api.cpu,
      memoryLimitMiB: settings.api.memoryMiB,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
      desiredCount: settings.api.minTasks,
      taskSubnets: APP_SUBNETS,
      publicLoadBalancer: true,
      protocol: ApplicationProtocol.HTTPS,
      certificate,
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      redirectHTTP: true,
      domainName: hostedZone ? dns?.domainName : undefined,
      domainZone: hostedZone,
      // Start-up trains the in-memory model from the interaction store before /health answers.
      healthCheckGracePeriod: Duration.seconds(180),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      taskImageOptions: {
        family: 'encore-api',
        containerName: 'api',
        image: ContainerImage.fromEcrRepository(apiRepository, settings.imageTag),
        containerPort: CONTAINER_PORT,
        taskRole,
        logDriver: LogDrivers.awsLogs({ logGroup: apiLogs, streamPrefix: 'api' }),
        environment: {
          NODE_ENV: 'production',
          HOST: '0.0.0.0',
          PORT: String(CONTAINER_PORT),
          ENCORE_DATA_DIR: '/data',
          AWS_REGION: this.region,
          INTERACTION_STORE: 'postgres',
          DATABASE_URL: this.database.urlWithoutPassword,
          REDIS_URL: this.cache.url,
          ARTIFACT_STORE: 's3',
          ARTIFACT_S3_BUCKET: this.artifactsBucket.bucketName,
          ARTIFACT_S3_PREFIX: settings.artifactPrefix,
          ...personalizeEnvironment(settings.personalize),
        },
        // Secrets reach the container as environment variables at start, fetched by ECS with the execution role;
        // their values never appear in the task definition or the template.
        secrets: {
          JWT_SECRET: EcsSecret.fromSecretsManager(this.jwtSecret),
          ENCORE_ADMIN_USER: EcsSecret.fromSecretsManager(this.adminSecret, 'username'),
          ENCORE_ADMIN_PASSWORD: EcsSecret.fromSecretsManager(this.adminSecret, 'password'),
          PGPASSWORD: EcsSecret.fromSecretsManager(this.database.secret, 'password'),
        },
      },
    });
    this.api.loadBalancer.setAttribute('routing.http.drop_invalid_header_fields.enabled', 'true');
    this.api.targetGroup.configureHealthCheck({
      path: '/health',
      healthyHttpCodes: '200',
      interval: Duration.seconds(15),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    });
    // Requests finish in well under a second; 30 s instead of 300 s makes deployments four minutes shorter.
    this.api.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '30');

    const scaling = this.api.service.autoScaleTaskCount({
      minCapacity: settings.api.minTasks,
      maxCapacity: settings.api.maxTasks,
    });
    scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: 1000, targetGroup: this.api.targetGroup });

    const apiSecurityGroup = this.api.service.connections.securityGroups[0];
    this.database.allowFrom(apiSecurityGroup);
    this.cache.allowFrom(apiSecurityGroup);

    if (settings.training) this.training = this.addTraining(cluster, settings, settings.training);

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { email: settings.alarmEmail });
    this.addAlarms();

    new CfnOutput(this, 'ApiUrl', {
      value: `https://${hostedZone && dns ? dns.domainName : this.api.loadBalancer.loadBalancerDnsName}`,
    });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifactsBucket.bucketName });
    new CfnOutput(this, 'DataBucketName', { value: this.dataBucket.bucketName });
    new CfnOutput(this, 'AdminSecretArn', { value: this.adminSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
  }

  private certificate(settings: CertificateSettings | undefined, zone: IHostedZone | undefined): ICertificate {
    if (settings?.kind === 'imported') return Certificate.fromCertificateArn(this, 'Certificate', settings.arn);
    if (settings?.kind === 'dns') {
      // Without a hosted zone, CloudFormation waits until the CNAME shown in the ACM console has been added by hand.
      return new Certificate(this, 'Certificate', {
        domainName: settings.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
    }
    // HTTPS needs a certificate, and there is no safe default. An error annotation stops `cdk synth` and
    // `cdk deploy` of this stack with the message, while the serverless stack stays deployable without it.
    Annotations.of(this).addError(
      'Set the context certificateArn (an ACM certificate in this region) or domainName (a certificate is requested), e.g. cdk deploy EncoreContainerStack -c domainName=api.example.com',
    );
    return Certificate.fromCertificateArn(this, 'Certificate', 'arn:aws:acm:us-east-1:000000000000:certificate/unset');
  }

  private grantPersonalize(role: Role, personalize: PersonalizeSettings): void {
    role.addToPolicy(
      new PolicyStatement({
        actions: ['personalize:GetRecommendations'],
        resources: [
          personalize.userCampaignArn,
          personalize.similarCampaignArn,
          ...(personalize.filterArn ? [personalize.filterArn] : []),
        ],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['personalize:PutEvents'],
        resources: [
          personalize.eventTrackerArn ??
            Stack.of(this).formatArn({ service: 'personalize', resource: 'event-tracker', resourceName: '*' }),
        ],
      }),
    );
  }

  /** The CLI image on a schedule: trains from the data bucket and publishes a new model version to the artifacts. */
  private addTraining(
    cluster: Cluster,
    settings: InfraSettings,
    training: NonNullable<InfraSettings['training']>,
  ): ScheduledFargateTask {
    const role = new Role(this, 'TrainingTaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Encore training task: reads datasets, publishes model artifacts',
    });
    grantPrefixAccess(role, this.artifactsBucket, settings.artifactPrefix, 'read-write');
    grantPrefixAccess(role, this.dataBucket, DATASET_PREFIX, 'read');

    const taskDefinition = new FargateTaskDefinition(this, 'TrainingTask', {
      family: 'encore-training',
      cpu: training.cpu,
      memoryLimitMiB: training.memoryMiB,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
      taskRole: role,
    });
    taskDefinition.addContainer('trainer', {
      image: ContainerImage.fromEcrRepository(
        Repository.fromRepositoryName(this, 'CliRepository', settings.cliRepositoryName),
        settings.imageTag,
      ),
      // The CLI names its model store by URL; ARTIFACT_* below say the same for code that reads the environment.
      command: [
        'train',
        '--out',
        `s3://${this.artifactsBucket.bucketName}/${settings.artifactPrefix}`,
        ...training.args,
      ],
      environment: {
        NODE_ENV: 'production',
        AWS_REGION: this.region,
        ARTIFACT_STORE: 's3',
        ARTIFACT_S3_BUCKET: this.artifactsBucket.bucketName,
        ARTIFACT_S3_PREFIX: settings.artifactPrefix,
      },
      logging: LogDrivers.awsLogs({
        streamPrefix: 'training',
        logGroup: new LogGroup(this, 'TrainingLogs', {
          retention: settings.logRetentionDays as RetentionDays,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      }),
    });

    return new ScheduledFargateTask(this, 'ScheduledTraining', {
      cluster,
      schedule: Schedule.expression(training.schedule),
      scheduledFargateTaskDefinitionOptions: { taskDefinition },
      subnetSelection: APP_SUBNETS,
      // Outbound only (ECR, S3 through the endpoint); nothing connects to the trainer.
      securityGroups: [new SecurityGroup(this, 'TrainingSecurityGroup', { vpc: this.vpc, allowAllOutbound: true })],
    });
  }

  private addAlarms(): void {
    const { loadBalancer, targetGroup, service } = this.api;
    const watch = (id: string, props: ConstructorParameters<typeof Alarm>[2]) =>
      this.alarmTopic.notify(new Alarm(this, id, { treatMissingData: TreatMissingData.NOT_BREACHING, ...props }));
    const minute = Duration.minutes(1);

    const lb = loadBalancer.metrics;
    watch('Http5xxRateAlarm', {
      alarmDescription: 'More than 5% of requests answered with a 5xx (load balancer or tasks) in 3 of 5 minutes',
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(lb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
        usingMetrics: {
          requests: lb.requestCount({ period: minute, statistic: Stats.SUM }),
          lb5xx: lb.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, { period: minute, statistic: Stats.SUM }),
          target5xx: lb.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, { period: minute, statistic: Stats.SUM }),
        },
        period: minute,
        label: '5xx %',
      }),
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    watch('LatencyP99Alarm', {
      alarmDescription: 'p99 target response time above 1 s for 3 consecutive 5-minute periods',
      metric: targetGroup.metrics.targetResponseTime({ statistic: Stats.percentile(99), period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    watch('UnhealthyHostsAlarm', {
      alarmDescription: 'At least one task failing the /health check for 3 minutes',
      metric: targetGroup.metrics.unhealthyHostCount({ statistic: Stats.MAXIMUM, period: minute }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
    });
    watch('ServiceCpuAlarm', {
      alarmDescription: 'API tasks above 85% CPU for 15 minutes (autoscaling at its maximum, or stuck)',
      metric: service.metricCpuUtilization({ period: Duration.minutes(5) }),
      threshold: 85,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    const db = this.database.instance;
    watch('DatabaseCpuAlarm', {
      alarmDescription: 'PostgreSQL above 80% CPU for 15 minutes (t4g burst credits drain)',
      metric: db.metricCPUUtilization({ period: Duration.minutes(5) }),
      threshold: 80,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    watch('DatabaseStorageAlarm', {
      alarmDescription: 'PostgreSQL free storage below 2 GiB',
      metric: db.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: Stats.MINIMUM }),
      threshold: 2 * 1024 ** 3,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    watch('CacheMemoryAlarm', {
      alarmDescription: 'Redis above 90% of its memory: the cache starts evicting hot entries',
      metric: new Metric({
        namespace: 'AWS/ElastiCache',
        metricName: 'DatabaseMemoryUsagePercentage',
        // A replication group's first (here: only) node is the cache cluster <group id>-001.
        dimensionsMap: { CacheClusterId: `${this.cache.replicationGroup.ref}-001` },
        statistic: Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 90,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
  }
}

/** PERSONALIZE_* variables of the API (see apps/api/src/config/recommender-settings.ts); engine when absent. */
function personalizeEnvironment(personalize: PersonalizeSettings | undefined): Record<string, string> {
  if (!personalize) return { RECOMMENDER_PROVIDER: 'engine' };
  return {
    RECOMMENDER_PROVIDER: 'personalize',
    // The campaigns may live in another region than the stack; their ARN says which.
    PERSONALIZE_REGION: Arn.split(personalize.userCampaignArn, ArnFormat.SLASH_RESOURCE_NAME).region as string,
    PERSONALIZE_USER_CAMPAIGN_ARN: personalize.userCampaignArn,
    PERSONALIZE_SIMILAR_CAMPAIGN_ARN: personalize.similarCampaignArn,
    PERSONALIZE_TRACKING_ID: personalize.trackingId,
    ...(personalize.filterArn ? { PERSONALIZE_FILTER_ARN: personalize.filterArn } : {}),
  };
}
