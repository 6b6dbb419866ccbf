import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Repository, TagMutability } from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';

export interface RegistryStackProps extends StackProps {
  apiRepositoryName: string;
  cliRepositoryName: string;
}

/**
 * The ECR repositories, in a stack of their own because images are pushed before the container stack that runs
 * them is deployed: the deploy workflow deploys this stack, pushes, then deploys EncoreContainerStack.
 */
export class RegistryStack extends Stack {
  readonly apiRepository: Repository;
  readonly cliRepository: Repository;

  constructor(scope: Construct, id: string, props: RegistryStackProps) {
    super(scope, id, props);
    this.apiRepository = this.repository('ApiRepository', props.apiRepositoryName);
    this.cliRepository = this.repository('CliRepository', props.cliRepositoryName);
  }

  private repository(id: string, repositoryName: string): Repository {
    return new Repository(this, id, {
      repositoryName,
      // A tag names exactly one build (the commit SHA), so a rollback redeploys precisely what ran before.
      imageTagMutability: TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [{ description: 'keep the last 30 images', maxImageCount: 30 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
