/**
 * CDK entry point (cdk.json "app"). The stacks are environment-agnostic: nothing looks up the account,
 * so `npx cdk synth` needs no credentials, and `cdk deploy` targets the caller's account and region.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './stacks/index.ts';

const app = new App();
buildApp(app);
app.synth();
