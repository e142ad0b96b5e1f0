import { type App, Aws } from 'aws-cdk-lib';
import { routeAuthorizer } from '../constructs/route-authorizer.ts';
import { API_STAGE, profileFromContext } from '../profile.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { EdgeWafStack, edgeWebAclArn } from './edge-waf-stack.ts';
import { FrontendStack } from './frontend-stack.ts';
import { ObservabilityStack } from './observability-stack.ts';

/** The platform's stacks, by concern. Environment-agnostic: no lookups, synth needs no AWS account. */
export function buildTix(app: App) {
  const profile = profileFromContext(app.node);
  // Stack names carry the stage (dev: TixData …, prod: TixProdData …): both fit in one account and region.
  const stackName = (concern: string) => (profile.stage === 'dev' ? undefined : `TixProd${concern}`);
  const data = new DataStack(app, 'TixData', { profile, stackName: stackName('Data'), description: 'Tix: network, stores, secrets' });
  const api = new ApiStack(app, 'TixApi', {
    profile,
    stackName: stackName('Api'),
    stores: data.stores,
    description: 'Tix: REST API and its functions',
    // LocalStack's free tier runs no authorizers: there the handlers decide (AUTH_FALLBACK=on).
    authorizer: profile.authFallback ? undefined : routeAuthorizer(profile),
  });
  // LocalStack has neither CloudFront nor (on the free tier) WAF.
  const edge =
    profile.name === 'aws'
      ? new EdgeWafStack(app, 'TixEdgeWaf', { stage: profile.stage, stackName: stackName('EdgeWaf'), description: 'Tix: the CloudFront web ACL (us-east-1)' })
      : undefined;
  const frontend = new FrontendStack(app, 'TixFrontend', {
    profile,
    stackName: stackName('Frontend'),
    description: 'Tix: the web app (CloudFront in front of its bucket and the API)',
    api: { domainName: `${api.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, stage: API_STAGE },
    webAcl: edge && ((scope) => edgeWebAclArn(scope, profile.stage)),
  });
  if (edge) frontend.addStackDependency(edge);
  // Dashboard, alarms and their SNS topic (-c alarmEmail=… subscribes an address).
  const observability = new ObservabilityStack(app, 'TixObservability', {
    stackName: stackName('Observability'),
    api,
    data,
    alarmEmail: app.node.tryGetContext('alarmEmail') || undefined,
    description: 'Tix: dashboard, alarms and their SNS topic',
  });
  return { profile, data, api, frontend, edge, observability };
}
