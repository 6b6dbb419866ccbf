import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real CLI path: `cdk synth` runs src/main.ts through cdk.json exactly as `nx run infra:synth` and the deploy
 * workflow do, including the built-in CloudFormation template validation the unit tests skip. Offline: the stacks
 * are environment-agnostic and make no context lookups, so no AWS call (or credential) is involved.
 */
const projectRoot = join(__dirname, '..');
const cdk = join(projectRoot, '../../node_modules/.bin/cdk');
// About 15 s on an idle machine; generous because the suites share two cores with everything else.
const SYNTH_TIMEOUT_MS = 300_000;

function synth(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'encore-cdk-out-'));
  const result = spawnSync(cdk, ['synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', out, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    // No credentials in reach: a lookup would fail instead of quietly calling AWS.
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      CI: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    },
  });
  return { ...result, out, output: `${result.stdout}${result.stderr}` };
}

describe('cdk synth (CLI)', () => {
  it(
    'writes all three templates, valid by the CLI own checks',
    () => {
      const result = synth('-c', 'domainName=api.encore.example.com', '-c', 'imageTag=0123abcd');
      expect({ status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({
        status: 0,
        output: '',
      });
      for (const stack of ['EncoreRegistryStack', 'EncoreContainerStack', 'EncoreServerlessStack']) {
        expect(existsSync(join(result.out, `${stack}.template.json`))).toBe(true);
      }
      const container = readFileSync(join(result.out, 'EncoreContainerStack.template.json'), 'utf8');
      expect(container).toContain('/encore-api:0123abcd');
      const manifest = JSON.parse(readFileSync(join(result.out, 'manifest.json'), 'utf8'));
      // Environment-agnostic: deployable to whichever account and region the credentials name.
      expect(manifest.artifacts.EncoreContainerStack.environment).toBe('aws://unknown-account/unknown-region');
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'fails with a message naming the missing certificate setting',
    () => {
      // The template validation (most of synthesis time) is beside the point here.
      const result = synth('--no-validation');
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('Set the context certificateArn');
    },
    SYNTH_TIMEOUT_MS,
  );
});
