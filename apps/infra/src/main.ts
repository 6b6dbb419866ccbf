import { App, Tags } from 'aws-cdk-lib';
import { join } from 'node:path';
import { addEncoreStacks } from './app';

// `cdk` runs this from apps/infra (cdk.json); relative paths in the context resolve against the repository root.
const app = new App();
addEncoreStacks(app, join(__dirname, '../../..'));
Tags.of(app).add('project', 'encore');
app.synth();
