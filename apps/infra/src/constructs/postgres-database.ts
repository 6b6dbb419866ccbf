import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  InstanceClass,
  InstanceSize,
  InstanceType,
  type ISecurityGroup,
  type IVpc,
  Port,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import {
  Credentials,
  DatabaseInstance,
  DatabaseInstanceEngine,
  PostgresEngineVersion,
  StorageType,
} from 'aws-cdk-lib/aws-rds';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface PostgresDatabaseProps {
  vpc: IVpc;
  subnets: SubnetSelection;
}

const DATABASE_NAME = 'encore';
const USERNAME = 'encore';

/**
 * Single-AZ RDS PostgreSQL on a t4g.micro (the seed budget; switch on multiAz before the data matters more than
 * $13 a month), encrypted, private, with its master password generated into Secrets Manager.
 */
export class PostgresDatabase extends Construct {
  readonly instance: DatabaseInstance;
  readonly secret: ISecret;
  /**
   * DATABASE_URL without the password: node-postgres takes a password missing from the URL from PGPASSWORD, which
   * the task gets from Secrets Manager. Building a URL with the password in it would need the secret's value in
   * the template (or a shell wrapper in the image) and break on URL-special characters.
   * sslmode=no-verify: RDS requires TLS, and the image does not carry the RDS CA bundle yet, so the server's
   * certificate is not checked (the connection stays inside the VPC, between two security groups).
   */
  readonly urlWithoutPassword: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.instance = new DatabaseInstance(this, 'Instance', {
      engine: DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16 }),
      instanceType: InstanceType.of(InstanceClass.BURSTABLE4_GRAVITON, InstanceSize.MICRO),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      publiclyAccessible: false,
      multiAz: false,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: StorageType.GP3,
      storageEncrypted: true,
      databaseName: DATABASE_NAME,
      credentials: Credentials.fromGeneratedSecret(USERNAME),
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
    });
    this.secret = this.instance.secret as ISecret;
    const { dbInstanceEndpointAddress: host, dbInstanceEndpointPort: port } = this.instance;
    this.urlWithoutPassword = `postgres://${USERNAME}@${host}:${port}/${DATABASE_NAME}?sslmode=no-verify`;
  }

  allowFrom(peer: ISecurityGroup): void {
    this.instance.connections.allowFrom(peer, Port.tcp(5432), 'PostgreSQL from the API tasks');
  }
}
