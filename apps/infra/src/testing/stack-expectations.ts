import type { Template } from 'aws-cdk-lib/assertions';
import { asList, policyStatements } from './stacks';

/**
 * Resource '*' is acceptable only where IAM offers nothing narrower: ECR's GetAuthorizationToken
 * (registry-wide by design; the image pulls themselves are scoped to the repository).
 */
const ACTIONS_WITHOUT_RESOURCE_LEVEL = new Set(['ecr:GetAuthorizationToken']);

/** Shared guard rails of every stack: locked-down buckets and IAM without wildcards. */
export function expectBucketsLockedDown(template: Template): void {
  const buckets = template.findResources('AWS::S3::Bucket');
  expect(Object.keys(buckets).length).toBeGreaterThan(0);
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  for (const [id, bucket] of Object.entries(buckets)) {
    const props = bucket['Properties'];
    expect({ id, encryption: props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0] }).toEqual({
      id,
      encryption: { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    });
    expect({ id, block: props.PublicAccessBlockConfiguration }).toEqual({
      id,
      block: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    const own = policies.filter((p) => p['Properties'].Bucket?.Ref === id);
    expect({ id, policies: own.length }).toEqual({ id, policies: 1 });
    const statements = own[0]['Properties'].PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
  }
}

export function expectNoWildcardPermissions(template: Template): void {
  const statements = policyStatements(template);
  expect(statements.length).toBeGreaterThan(0);
  for (const { policyId, statement } of statements) {
    const actions = asList(statement['Action'] as string | string[]);
    expect({ policyId, wildcardActions: actions.filter((a) => a === '*' || a.endsWith(':*')) }).toEqual({
      policyId,
      wildcardActions: [],
    });
    if (asList(statement['Resource']).includes('*')) {
      expect({ policyId, actionsOnEveryResource: actions }).toEqual({
        policyId,
        actionsOnEveryResource: actions.filter((a) => ACTIONS_WITHOUT_RESOURCE_LEVEL.has(a)),
      });
    }
  }
}

/** Every alarm notifies the stack's SNS topic both when it fires and when it clears. */
export function expectAlarmsNotify(template: Template, topicLogicalId: string): void {
  const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms.length).toBeGreaterThan(0);
  for (const [id, alarm] of alarms) {
    expect({ id, alarm: alarm['Properties'].AlarmActions, ok: alarm['Properties'].OKActions }).toEqual({
      id,
      alarm: [{ Ref: topicLogicalId }],
      ok: [{ Ref: topicLogicalId }],
    });
  }
}
