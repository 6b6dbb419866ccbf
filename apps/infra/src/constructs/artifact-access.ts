import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * Grants S3 access to the objects under one key prefix of a bucket, plus listing that bucket. Narrower than
 * `bucket.grantReadWrite`, which also reads the bucket's configuration and every object.
 */
export function grantPrefixAccess(
  grantee: IGrantable,
  bucket: IBucket,
  prefix: string,
  access: 'read' | 'read-write',
): void {
  const objectActions = ['s3:GetObject'];
  // Multipart uploads of large artifacts can be abandoned half-way; aborting them is part of writing.
  if (access === 'read-write') objectActions.push('s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload');
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects(`${prefix}*`)] }),
  );
  // Not narrowed by an s3:prefix condition on purpose: S3 answers a read of a missing key with 404 only to a
  // caller allowed to list the bucket, and a GetObject request carries no prefix, so a conditioned grant would
  // turn "no manifest yet" into 403 Access Denied. Listing reveals key names of this bucket only.
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  );
}
