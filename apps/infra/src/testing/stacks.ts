import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEncoreStacks, type EncoreStacks } from '../app';

/** Minimal context under which the container stack synthesizes cleanly. */
export const BASE_CONTEXT: Record<string, string> = { domainName: 'api.encore.example.com' };

/** The three stacks as `cdk synth` would build them from this context (no CLI, no cdk.json, no AWS calls). */
export function buildStacks(
  context: Record<string, unknown> = BASE_CONTEXT,
  repoRoot = emptyDirectory(),
): EncoreStacks {
  // Assets would otherwise be staged into a cdk.out beside the tests.
  // Unit tests skip what only the CLI needs: the built-in template validation (cdk synth runs it, see
  // synth.integration.spec.ts), construct stack traces and the tree file. Each more than doubles synthesis time.
  const app = new App({
    context,
    outdir: emptyDirectory(),
    builtinCloudFormationValidation: false,
    stackTraces: false,
    treeMetadata: false,
  });
  return addEncoreStacks(app, repoRoot);
}

export function emptyDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'encore-infra-'));
}

/** A directory shaped like the api build output: what Code.fromAsset stages for the Lambda function. */
export function fakeLambdaBundle(): string {
  const dir = emptyDirectory();
  writeFileSync(join(dir, 'lambda.js'), 'exports.handler = async () => ({ statusCode: 200, body: "ok" });\n');
  return dir;
}

type Resource = { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>;

/** Every policy statement of every inline IAM policy in the template, with the resource id that holds it. */
export function policyStatements(template: Template): { policyId: string; statement: Record<string, unknown> }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
  return Object.entries(policies).flatMap(([policyId, policy]) => {
    const document = (policy.Properties?.['PolicyDocument'] ?? {}) as { Statement: Record<string, unknown>[] };
    return document.Statement.map((statement) => ({ policyId, statement }));
  });
}

/** Statements of the inline policies attached to one role, found by the role's logical id. */
export function roleStatements(template: Template, roleLogicalId: string): Record<string, unknown>[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  }) as Record<string, Resource>;
  return Object.values(policies).flatMap(
    (p) => (p.Properties?.['PolicyDocument'] as { Statement: Record<string, unknown>[] }).Statement,
  );
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The single resource of a type, failing loudly when there are none or several. */
export function onlyResource(
  template: Template,
  type: string,
  props: Record<string, unknown> = {},
): [string, Resource] {
  const found = Object.entries(template.findResources(type, props)) as [string, Resource][];
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

export function errorMessages(stack: Parameters<typeof Annotations.fromStack>[0]): string[] {
  return Annotations.fromStack(stack)
    .findError('*', Match.anyValue())
    .map((m) => String(m.entry.data));
}

export function warningMessages(stack: Parameters<typeof Annotations.fromStack>[0]): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((m) => String(m.entry.data));
}
