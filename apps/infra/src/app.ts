import type { App } from 'aws-cdk-lib';
import { readSettings } from './settings';
import { ContainerStack } from './stacks/container-stack';
import { RegistryStack } from './stacks/registry-stack';
import { ServerlessStack } from './stacks/serverless-stack';

export interface EncoreStacks {
  registry: RegistryStack;
  container: ContainerStack;
  serverless: ServerlessStack;
}

/**
 * Adds the three stacks to `app`, configured by its context. Stacks are environment-agnostic (no account or
 * region at synth time, no lookups), so `cdk synth` runs offline and one template deploys to any region.
 */
export function addEncoreStacks(app: App, repoRoot: string): EncoreStacks {
  const settings = readSettings((key) => app.node.tryGetContext(key), repoRoot);
  const description = (what: string) => `Encore music recommendations: ${what}`;
  const registry = new RegistryStack(app, 'EncoreRegistryStack', {
    description: description('ECR repositories of the API and CLI images'),
    apiRepositoryName: settings.apiRepositoryName,
    cliRepositoryName: settings.cliRepositoryName,
  });
  const container = new ContainerStack(app, 'EncoreContainerStack', {
    description: description('API on ECS Fargate behind an ALB, RDS PostgreSQL, ElastiCache Redis, S3'),
    settings,
  });
  // The repositories are imported by name, not by reference, so that neither stack locks the other with exports;
  // the dependency still makes `cdk deploy EncoreContainerStack` create them first.
  container.addStackDependency(registry, 'the images are pushed to the registry before the service runs them');
  const serverless = new ServerlessStack(app, 'EncoreServerlessStack', {
    description: description('API on Lambda behind an HTTP API, DynamoDB, S3'),
    settings,
  });
  return { registry, container, serverless };
}
