import { type ISecurityGroup, type IVpc, Port, SecurityGroup, type SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';

export interface RedisCacheProps {
  vpc: IVpc;
  subnets: SubnetSelection;
  /** e.g. cache.t4g.micro */
  nodeType: string;
}

/**
 * One ElastiCache Redis node (no replica: the API treats Redis as a cache and keeps serving when it is gone),
 * encrypted at rest and in transit, reachable only from security groups handed to `allowFrom`.
 * A replication group rather than a cache cluster because only replication groups offer in-transit encryption.
 */
export class RedisCache extends Construct {
  readonly securityGroup: SecurityGroup;
  /** rediss:// URL for REDIS_URL (TLS; the certificate is publicly trusted, so no CA bundle is needed). */
  readonly url: string;
  readonly replicationGroup: CfnReplicationGroup;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: reachable from the API tasks only',
      allowAllOutbound: false,
    });
    const subnetGroup = new CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'Encore Redis subnets',
      subnetIds: props.vpc.selectSubnets(props.subnets).subnetIds,
    });
    this.replicationGroup = new CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'Encore response cache and rate-limit counters',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: 0,
    });
    this.url = `rediss://${this.replicationGroup.attrPrimaryEndPointAddress}:${this.replicationGroup.attrPrimaryEndPointPort}/0`;
  }

  allowFrom(peer: ISecurityGroup): void {
    this.securityGroup.addIngressRule(peer, Port.tcp(6379), 'Redis from the API tasks');
  }
}
