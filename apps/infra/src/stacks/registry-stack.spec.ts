import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStacks } from '../testing/stacks';

describe('EncoreRegistryStack', () => {
  it('creates both repositories with immutable tags, scanning on push and a retention rule', () => {
    const { registry, container } = buildStacks({
      domainName: 'api.example.com',
      apiRepositoryName: 'team/encore-api',
    });
    const template = Template.fromStack(registry);
    template.resourceCountIs('AWS::ECR::Repository', 2);
    for (const name of ['team/encore-api', 'encore-cli']) {
      template.hasResourceProperties('AWS::ECR::Repository', {
        RepositoryName: name,
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":30') },
      });
    }
    // Deployed before the container stack, which pulls from these repositories by name.
    expect(container.dependencies).toContain(registry);
    expect(JSON.stringify(Template.fromStack(container).toJSON())).toContain('/team/encore-api:latest');
  });
});
