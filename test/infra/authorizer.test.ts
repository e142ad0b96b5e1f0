import { describe, expect, it } from 'vitest';
import { ACCESS_DENIED_TEMPLATE, UNAUTHORIZED_BODY } from '../../shared/auth/gateway-responses.ts';
import { ROUTES, routeKey } from '../../shared/routes.ts';
import { onApi, resourcePath, resourcesOf, synthTix } from './synth.ts';

const methods = (synth: ReturnType<typeof synthTix>) => {
  const all = synth.apiResources;
  return Object.values(resourcesOf(onApi(all, synth.apiIds.public), 'AWS::ApiGateway::Method'))
    .filter((m) => m.Properties.HttpMethod !== 'OPTIONS')
    .map((m) => ({ key: `${m.Properties.HttpMethod} ${resourcePath(all, m.Properties.ResourceId)}`, props: m.Properties }));
};

describe('the Lambda authorizer in the aws profile', () => {
  const synth = synthTix();
  const authorizers = onApi(resourcesOf(synth.templates.api, 'AWS::ApiGateway::Authorizer'), synth.apiIds.public);

  it('is one REQUEST authorizer keyed by token, method and route, with a short TTL', () => {
    const all = Object.values(authorizers);
    expect(all).toHaveLength(1);
    expect(all[0]!.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,context.httpMethod,context.resourcePath',
      AuthorizerResultTtlInSeconds: 10,
    });
  });

  it('is attached to exactly the protected routes of the route table', () => {
    const [authorizerId] = Object.keys(authorizers);
    const protectedKeys = new Set(ROUTES.filter((r) => r.access.kind !== 'public').map(routeKey));
    expect(methods(synth)).toHaveLength(ROUTES.length);
    for (const { key, props } of methods(synth)) {
      if (protectedKeys.has(key)) expect(props, key).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      else expect(props.AuthorizationType ?? 'NONE', key).toBe('NONE');
    }
    expect(protectedKeys.size).toBeGreaterThan(20);
  });

  it('its function gets the public token keys, Redis and the revocations table; no private key, no database', () => {
    const fn = Object.values(resourcesOf(synth.templates.api, 'AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'tix-authorizer');
    const env = Object.keys(fn!.Properties.Environment.Variables);
    expect(env).toEqual(expect.arrayContaining(['JWT_PUBLIC_KEYS_SECRET_ARN', 'REDIS_URL', 'REVOCATIONS_TABLE']));
    expect(env).not.toContain('JWT_SIGNING_KEY_SECRET_ARN');
    expect(env).not.toContain('DB_SECRET_ARN');
    expect(env).not.toContain('MONGODB_URL_SECRET_ARN');
  });

  it('renders its refusals like the local runtime: 401 with one static body, 403 with the Deny reason', () => {
    const responses = Object.values(resourcesOf(synth.templates.api, 'AWS::ApiGateway::GatewayResponse'));
    const byType = Object.fromEntries(responses.map((r) => [r.Properties.ResponseType, r.Properties.ResponseTemplates['application/json']]));
    expect(JSON.parse(byType.UNAUTHORIZED)).toEqual(UNAUTHORIZED_BODY);
    expect(byType.ACCESS_DENIED).toBe(ACCESS_DENIED_TEMPLATE);
  });

  it('takes its TTL from context, at most 60 s', () => {
    for (const ttl of Object.values(resourcesOf(synthTix({ authorizerTtl: 30 }).templates.api, 'AWS::ApiGateway::Authorizer'))) {
      expect(ttl.Properties.AuthorizerResultTtlInSeconds).toBe(30);
    }
    expect(() => synthTix({ authorizerTtl: 300 })).toThrow(/authorizerTtl/);
  });
});

describe('the localstack profile (its free tier runs no authorizers)', () => {
  const synth = synthTix({ profile: 'localstack' });

  it('has no authorizer: every method is open at the gateway and the handlers decide (AUTH_FALLBACK=on)', () => {
    expect(Object.keys(resourcesOf(synth.templates.api, 'AWS::ApiGateway::Authorizer'))).toEqual([]);
    for (const { key, props } of methods(synth)) expect(props.AuthorizationType ?? 'NONE', key).toBe('NONE');
  });
});
