/** The request path: the HTTP API, its authorizer and one function per route group. */
import { CfnOutput, CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FunctionResources } from '../constructs/relaydesk-function.ts';
import { ZendeskHttpApi } from '../constructs/zendesk-http-api.ts';

export interface ApiStackProps extends StackProps {
  resources: FunctionResources;
}

export class ApiStack extends Stack {
  readonly httpApi: ZendeskHttpApi;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Imports (not weak stack-output reads) keep the data and ops stacks from being deleted while
    // this stack still points at their tables, bus and topic.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.httpApi = new ZendeskHttpApi(this, 'Api', { resources: props.resources });
    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the Zendesk-compatible API (point Zendesk clients here)',
      value: this.httpApi.api.apiEndpoint,
    });
  }
}
