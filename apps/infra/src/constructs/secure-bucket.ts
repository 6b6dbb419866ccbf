import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketOptions {
  /** Keeps every version of an object; old versions expire after `noncurrentVersionDays`. */
  versioned?: boolean;
  noncurrentVersionDays?: number;
}

/**
 * The only way the stacks create buckets, so every bucket gets the same guard rails: encrypted at rest, all four
 * public-access blocks, TLS ≥ 1.2 only (a bucket policy denies plain HTTP), ACLs disabled, and kept when the stack
 * is deleted (the data outlives the infrastructure).
 */
export function createSecureBucket(scope: Construct, id: string, options: SecureBucketOptions = {}): Bucket {
  return new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: options.versioned ?? false,
    lifecycleRules: [
      { abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ...(options.versioned
        ? [{ noncurrentVersionExpiration: Duration.days(options.noncurrentVersionDays ?? 30) }]
        : []),
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
