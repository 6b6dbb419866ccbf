import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  expectAlarmsNotify,
  expectBucketsLockedDown,
  expectNoWildcardPermissions,
} from '../testing/stack-expectations';
import {
  BASE_CONTEXT,
  buildStacks,
  errorMessages,
  onlyResource,
  policyStatements,
  roleStatements,
} from '../testing/stacks';
import type { ContainerStack } from './container-stack';

const CAMPAIGN = 'arn:aws:personalize:eu-west-1:123456789012:campaign';

describe('EncoreContainerStack', () => {
  let stack: ContainerStack;
  let template: Template;
  const ref = (value: unknown) => stack.resolve(value);
  const subnetRefs = (group: string) => stack.vpc.selectSubnets({ subnetGroupName: group }).subnetIds.map(ref);
  const apiContainer = () => {
    const [, taskDefinition] = onlyResource(template, 'AWS::ECS::TaskDefinition', {
      Properties: { Family: 'encore-api' },
    });
    return (taskDefinition.Properties?.['ContainerDefinitions'] as Record<string, unknown>[])[0];
  };
  const environmentOf = (container: Record<string, unknown>) =>
    Object.fromEntries((container['Environment'] as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));

  beforeAll(() => {
    stack = buildStacks({ ...BASE_CONTEXT, alarmEmail: 'oncall@example.com' }).container;
    template = Template.fromStack(stack);
  });

  it('synthesizes without errors when a domain is given', () => {
    expect(errorMessages(stack)).toEqual([]);
  });

  describe('network', () => {
    it('spans two availability zones with an S3 gateway endpoint', () => {
      for (const group of ['Public', 'App', 'Data']) expect(subnetRefs(group)).toHaveLength(2);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    });

    it('routes the app subnets out through one t4g.nano NAT instance open only to the VPC by default', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      const [instanceId] = onlyResource(template, 'AWS::EC2::Instance', {
        Properties: { InstanceType: 't4g.nano', SourceDestCheck: false },
      });
      for (const subnet of stack.vpc.selectSubnets({ subnetGroupName: 'App' }).subnets)
        template.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: ref(subnet.routeTable.routeTableId),
          DestinationCidrBlock: '0.0.0.0/0',
          InstanceId: { Ref: instanceId },
        });
      const [, natGroup] = onlyResource(template, 'AWS::EC2::SecurityGroup', {
        Properties: { GroupDescription: 'Security Group for NAT instances' },
      });
      expect(natGroup.Properties?.['SecurityGroupIngress']).toEqual([
        expect.objectContaining({ IpProtocol: '-1', CidrIp: { 'Fn::GetAtt': [expect.any(String), 'CidrBlock'] } }),
      ]);
    });

    it('uses a single managed NAT gateway instead with natProvider=gateway', () => {
      const gatewayStack = buildStacks({ ...BASE_CONTEXT, natProvider: 'gateway' }).container;
      const t = Template.fromStack(gatewayStack);
      t.resourceCountIs('AWS::EC2::Instance', 0);
      const [gatewayId] = onlyResource(t, 'AWS::EC2::NatGateway', {});
      for (const subnet of gatewayStack.vpc.selectSubnets({ subnetGroupName: 'App' }).subnets)
        t.hasResourceProperties('AWS::EC2::Route', {
          RouteTableId: gatewayStack.resolve(subnet.routeTable.routeTableId),
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: { Ref: gatewayId },
        });
    });

    it('gives the data subnets no route out of the VPC', () => {
      for (const subnet of stack.vpc.selectSubnets({ subnetGroupName: 'Data' }).subnets) {
        const table = ref(subnet.routeTable.routeTableId);
        expect(template.findResources('AWS::EC2::Route', { Properties: { RouteTableId: table } })).toEqual({});
      }
    });
  });

  describe('load balancer', () => {
    it('listens with HTTPS on 443 using the certificate and a TLS 1.2+ policy', () => {
      const [certificateId] = onlyResource(template, 'AWS::CertificateManager::Certificate', {
        Properties: { DomainName: 'api.encore.example.com', ValidationMethod: 'DNS' },
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: { Ref: certificateId } }],
        SslPolicy: Match.stringLikeRegexp('^ELBSecurityPolicy-TLS13-1-2'),
        DefaultActions: [Match.objectLike({ Type: 'forward' })],
      });
    });

    it('answers HTTP on 80 only with a permanent redirect to HTTPS', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
    });

    it('is internet-facing, drops invalid headers, and health-checks the tasks on /health', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/health',
        Matcher: { HttpCode: '200' },
        TargetType: 'ip',
      });
    });
  });

  describe('service', () => {
    it('runs two Fargate tasks in the private app subnets without public addresses', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            Subnets: subnetRefs('App'),
            SecurityGroups: Match.anyValue(),
          },
        },
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', { Family: 'encore-api', Cpu: '256', Memory: '512' });
    });

    it('scales between 2 and 6 tasks on CPU and on requests per target', () => {
      const [targetId] = onlyResource(template, 'AWS::ApplicationAutoScaling::ScalableTarget', {
        Properties: { MinCapacity: 2, MaxCapacity: 6, ScalableDimension: 'ecs:service:DesiredCount' },
      });
      const policies = Object.values(
        template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', {
          Properties: { ScalingTargetId: { Ref: targetId } },
        }),
      ).map((p) => p['Properties'].TargetTrackingScalingPolicyConfiguration);
      expect(policies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            TargetValue: 60,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          }),
          expect.objectContaining({
            TargetValue: 1000,
            PredefinedMetricSpecification: expect.objectContaining({
              PredefinedMetricType: 'ALBRequestCountPerTarget',
            }),
          }),
        ]),
      );
    });

    it('takes the scaling bounds and the image tag from the context', () => {
      const other = buildStacks({ ...BASE_CONTEXT, apiMinTasks: '3', apiMaxTasks: '10', imageTag: 'abc123' }).container;
      const t = Template.fromStack(other);
      t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
      t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 10 });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: 'encore-api',
        ContainerDefinitions: [
          Match.objectLike({
            Image: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/encore-api:abc123$')])] },
          }),
        ],
      });
    });

    it('hands the API its configuration under the agreed variable names', () => {
      const env = environmentOf(apiContainer());
      expect(env).toMatchObject({
        HOST: '0.0.0.0',
        PORT: '3000',
        INTERACTION_STORE: 'postgres',
        ARTIFACT_STORE: 's3',
        ARTIFACT_S3_BUCKET: ref(stack.artifactsBucket.bucketName),
        ARTIFACT_S3_PREFIX: 'models/',
        RECOMMENDER_PROVIDER: 'engine',
      });
      expect(JSON.stringify(env['REDIS_URL'])).toMatch(/"rediss:\/\/".*PrimaryEndPoint\.Address/);
      // The password is not in the URL: node-postgres takes it from PGPASSWORD (a Secrets Manager secret).
      expect(JSON.stringify(env['DATABASE_URL'])).toMatch(/"postgres:\/\/encore@".*Endpoint\.Address/);
    });

    it('injects JWT_SECRET, the admin account and the database password from Secrets Manager, never as plain variables', () => {
      const container = apiContainer();
      const secrets = Object.fromEntries(
        (container['Secrets'] as { Name: string; ValueFrom: unknown }[]).map((s) => [s.Name, s.ValueFrom]),
      );
      expect(secrets['JWT_SECRET']).toEqual(ref(stack.jwtSecret.secretArn));
      expect(JSON.stringify(secrets['ENCORE_ADMIN_PASSWORD'])).toContain(':password::');
      expect(JSON.stringify(secrets['ENCORE_ADMIN_USER'])).toContain(':username::');
      expect(JSON.stringify(secrets['PGPASSWORD'])).toContain(':password::');
      const plain = Object.keys(environmentOf(container));
      for (const name of ['JWT_SECRET', 'ENCORE_ADMIN_PASSWORD', 'PGPASSWORD']) expect(plain).not.toContain(name);
      expect(JSON.stringify(container['Environment'])).not.toMatch(/password|secret/i);
    });

    it('lets the execution role read exactly those secrets', () => {
      const executionRole = ref(stack.api.taskDefinition.executionRole?.roleArn) as { 'Fn::GetAtt': [string, string] };
      const reads = roleStatements(template, executionRole['Fn::GetAtt'][0]).filter((s) =>
        JSON.stringify(s['Action']).includes('secretsmanager:GetSecretValue'),
      );
      const resources = reads.flatMap((s) => s['Resource'] as unknown[]);
      expect(resources).toEqual(
        expect.arrayContaining([
          ref(stack.jwtSecret.secretArn),
          ref(stack.adminSecret.secretArn),
          ref(stack.database.secret.secretArn),
        ]),
      );
      expect(resources).toHaveLength(3);
    });
  });

  describe('task role', () => {
    it('may only touch the artifacts bucket: objects under models/ and listing that bucket', () => {
      const taskRole = ref(stack.api.taskDefinition.taskRole.roleArn) as { 'Fn::GetAtt': [string, string] };
      const statements = roleStatements(template, taskRole['Fn::GetAtt'][0]);
      const bucketArn = ref(stack.artifactsBucket.bucketArn);
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
          Resource: { 'Fn::Join': ['', [bucketArn, '/models/*']] },
        },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
      ]);
    });

    it('gets Personalize only when configured, and then only on the named campaigns and tracker', () => {
      expect(JSON.stringify(policyStatements(template))).not.toContain('personalize:');

      const personalize = buildStacks({
        ...BASE_CONTEXT,
        personalizeUserCampaignArn: `${CAMPAIGN}/users`,
        personalizeSimilarCampaignArn: `${CAMPAIGN}/similar`,
        personalizeTrackingId: 'b6a9c8e2-0000-4000-8000-000000000000',
        personalizeEventTrackerArn: 'arn:aws:personalize:eu-west-1:123456789012:event-tracker/plays',
      }).container;
      const t = Template.fromStack(personalize);
      const taskRole = personalize.resolve(personalize.api.taskDefinition.taskRole.roleArn)['Fn::GetAtt'][0];
      expect(roleStatements(t, taskRole)).toEqual(
        expect.arrayContaining([
          {
            Effect: 'Allow',
            Action: 'personalize:GetRecommendations',
            Resource: [`${CAMPAIGN}/users`, `${CAMPAIGN}/similar`],
          },
          {
            Effect: 'Allow',
            Action: 'personalize:PutEvents',
            Resource: 'arn:aws:personalize:eu-west-1:123456789012:event-tracker/plays',
          },
        ]),
      );
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: 'encore-api',
        ContainerDefinitions: [
          Match.objectLike({
            Environment: Match.arrayWith([
              { Name: 'RECOMMENDER_PROVIDER', Value: 'personalize' },
              { Name: 'PERSONALIZE_REGION', Value: 'eu-west-1' },
              { Name: 'PERSONALIZE_USER_CAMPAIGN_ARN', Value: `${CAMPAIGN}/users` },
            ]),
          }),
        ],
      });
    });
  });

  describe('data stores', () => {
    it('keeps PostgreSQL encrypted, private, small and in the data subnets, with a generated secret', () => {
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.micro',
        AllocatedStorage: '20',
        StorageEncrypted: true,
        PubliclyAccessible: false,
        DeletionProtection: true,
        MasterUserPassword: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:')])],
        }),
      });
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: subnetRefs('Data') });
    });

    it('runs one encrypted Redis node in the data subnets', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 1,
        AtRestEncryptionEnabled: true,
        TransitEncryptionEnabled: true,
      });
      template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: subnetRefs('Data') });
    });

    it('admits connections to PostgreSQL and Redis only from the API security group', () => {
      const apiGroup = ref(stack.api.service.connections.securityGroups[0].securityGroupId);
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(
        (r) => r['Properties'],
      );
      const toPort = (port: number) => ingress.filter((i) => i.FromPort === port);
      for (const port of [5432, 6379]) {
        expect(toPort(port)).toEqual([expect.objectContaining({ SourceSecurityGroupId: apiGroup, ToPort: port })]);
      }
      // Neither group has inline rules (which could admit an address range).
      const resources = template.toJSON()['Resources'];
      for (const group of [stack.database.instance.connections.securityGroups[0], stack.cache.securityGroup]) {
        const id = (ref(group.securityGroupId) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        expect(resources[id]['Properties'].SecurityGroupIngress).toBeUndefined();
      }
    });
  });

  it('locks every bucket down: encrypted, all public access blocked, TLS only; artifacts versioned', () => {
    expectBucketsLockedDown(template);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
  });

  it('grants no wildcard actions, and resource * only where IAM has no resource level', () => {
    expectNoWildcardPermissions(template);
  });

  describe('alarms', () => {
    it('watch 5xx rate, p99 latency, unhealthy hosts, service CPU, database CPU and storage', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a['Properties']);
      const metricNames = alarms.map((a) =>
        a.MetricName
          ? `${a.Namespace}/${a.MetricName}`
          : a.Metrics.map((m: { MetricStat?: { Metric: { MetricName: string } } }) => m.MetricStat?.Metric.MetricName)
              .filter(Boolean)
              .sort()
              .join('+'),
      );
      expect(metricNames).toEqual(
        expect.arrayContaining([
          'HTTPCode_ELB_5XX_Count+HTTPCode_Target_5XX_Count+RequestCount',
          'AWS/ApplicationELB/TargetResponseTime',
          'AWS/ApplicationELB/UnHealthyHostCount',
          'AWS/ECS/CPUUtilization',
          'AWS/RDS/CPUUtilization',
          'AWS/RDS/FreeStorageSpace',
        ]),
      );
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
      });
    });

    it('all notify the SNS topic, which mails the address from the context', () => {
      const [topicId] = onlyResource(template, 'AWS::SNS::Topic');
      expectAlarmsNotify(template, topicId);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
        TopicArn: { Ref: topicId },
      });
    });
  });

  describe('training', () => {
    it('runs the CLI image nightly, publishing to the artifacts bucket', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        Targets: [Match.objectLike({ EcsParameters: Match.objectLike({ LaunchType: 'FARGATE', TaskCount: 1 }) })],
      });
      const [, task] = onlyResource(template, 'AWS::ECS::TaskDefinition', {
        Properties: { Family: 'encore-training' },
      });
      const [container] = task.Properties?.['ContainerDefinitions'] as Record<string, unknown>[];
      expect(container['Command']).toEqual([
        'train',
        '--out',
        { 'Fn::Join': ['', ['s3://', ref(stack.artifactsBucket.bucketName), '/models/']] },
        '--dataset',
        'spotify-sim',
        '--evaluate',
        '--activate',
        '--json',
      ]);
      expect(JSON.stringify(container['Image'])).toMatch(/encore-cli:latest/);
    });

    it('may read datasets/ from the data bucket but write only under models/ in the artifacts bucket', () => {
      const role = ref(stack.training?.taskDefinition.taskRole.roleArn)['Fn::GetAtt'][0];
      const statements = roleStatements(template, role);
      const dataBucket = ref(stack.dataBucket.bucketArn);
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [dataBucket, '/datasets/*']] },
      });
      const writes = statements.filter((s) => JSON.stringify(s['Action']).includes('s3:PutObject'));
      expect(writes.map((s) => s['Resource'])).toEqual([
        { 'Fn::Join': ['', [ref(stack.artifactsBucket.bucketArn), '/models/*']] },
      ]);
    });

    it('is left out with trainingSchedule=off', () => {
      const t = Template.fromStack(buildStacks({ ...BASE_CONTEXT, trainingSchedule: 'off' }).container);
      t.resourceCountIs('AWS::Events::Rule', 0);
      expect(t.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: 'encore-training' } })).toEqual({});
    });
  });

  describe('certificate', () => {
    it('refuses to synthesize without certificateArn or domainName', () => {
      const bare = buildStacks({}).container;
      expect(errorMessages(bare)).toEqual([expect.stringContaining('certificateArn')]);
    });

    it('uses an imported certificate as is', () => {
      const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0c1e4d52-0000-4000-8000-000000000000';
      const imported = buildStacks({ certificateArn: arn }).container;
      const t = Template.fromStack(imported);
      expect(errorMessages(imported)).toEqual([]);
      t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Certificates: [{ CertificateArn: arn }],
      });
    });

    it('validates through the hosted zone and points the domain at the load balancer when a zone is given', () => {
      const zoned = buildStacks({
        domainName: 'api.encore.example.com',
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'encore.example.com',
      }).container;
      const t = Template.fromStack(zoned);
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'api.encore.example.com',
        DomainValidationOptions: [{ DomainName: 'api.encore.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.encore.example.com.',
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.anyValue(),
      });
    });
  });
});
