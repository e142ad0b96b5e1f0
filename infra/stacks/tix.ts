import { type App, Aws } from 'aws-cdk-lib';
import { routeAuthorizer } from '../constructs/route-authorizer.ts';
import { API_STAGE, profileFromContext } from '../profile.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { FrontendStack } from './frontend-stack.ts';

/** The platform's stacks, by concern. Environment-agnostic: no lookups, synth needs no AWS account. */
export function buildTix(app: App) {
  const profile = profileFromContext(app.node);
  const data = new DataStack(app, 'TixData', { profile, description: 'Tix: network, stores, secrets' });
  const api = new ApiStack(app, 'TixApi', {
    profile,
    stores: data.stores,
    description: 'Tix: REST API and its functions',
    // LocalStack's free tier runs no authorizers: there the handlers decide (AUTH_FALLBACK=on).
    authorizer: profile.authFallback ? undefined : routeAuthorizer(profile),
  });
  const frontend = new FrontendStack(app, 'TixFrontend', {
    profile,
    description: 'Tix: the web app (CloudFront in front of its bucket and the API)',
    api: { domainName: `${api.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, stage: API_STAGE },
  });
  return { profile, data, api, frontend };
}
