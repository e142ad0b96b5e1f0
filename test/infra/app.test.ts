import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { CORS_ALLOW_HEADERS } from '../../shared/kernel/cors.ts';
import { HANDLERS, ROUTES, type Route, routeKey } from '../../shared/routes.ts';
import { BINARY_MEDIA_TYPES, type ApiStack, SIGNING_HANDLERS } from '../../infra/stacks/api-stack.ts';
import { functionId } from '../../infra/constructs/ticketing-function.ts';
import { SERVICE_TOKEN_ISSUER } from '../../shared/auth/service-token-issuer.ts';
import { integratedFunction, onApi, resourcePath, resourcesOf, type Resources, synthTix } from './synth.ts';

type Synth = ReturnType<typeof synthTix>;

const methodsOf = (synth: Synth) => {
  const all = synth.apiResources;
  return Object.values(resourcesOf(onApi(all, synth.apiIds.public), 'AWS::ApiGateway::Method')).map((m) => ({
    method: m,
    key: `${m.Properties.HttpMethod} ${resourcePath(all, m.Properties.ResourceId)}`,
  }));
};
const envOf = (fn: Resources[string]) => fn.Properties.Environment.Variables as Record<string, unknown>;
/** Logical id → handler module, from the stack's own map of functions. */
const handlerByLogicalId = (api: ApiStack) =>
  new Map([...api.functions].map(([handler, fn]) => [Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction), handler]));
/** The functions that serve routes (the migration function has its own test). */
const functionsOf = (synth: Synth) => {
  const routeFunctions = handlerByLogicalId(synth.stacks.api);
  return Object.fromEntries(Object.entries(resourcesOf(synth.apiResources, 'AWS::Lambda::Function')).filter(([id]) => routeFunctions.has(id)));
};

const STORE_TYPES = /^AWS::(RDS|DocDB|ElastiCache|CloudFront)::/;

describe('aws profile (default)', () => {
  const synth = synthTix();
  const { api, data } = synth.templates;

  it('has exactly the routes of the route table (method + full path, OPTIONS aside)', () => {
    const keys = methodsOf(synth).map((m) => m.key).filter((k) => !k.startsWith('OPTIONS '));
    expect(keys).toHaveLength(ROUTES.length);
    expect(new Set(keys)).toEqual(new Set(ROUTES.map(routeKey)));
  });

  it("integrates every route with its handler's function (Lambda proxy)", () => {
    const handlers = handlerByLogicalId(synth.stacks.api);
    const served = new Map(
      methodsOf(synth)
        .filter((m) => m.method.Properties.HttpMethod !== 'OPTIONS')
        .map((m) => {
          expect(m.method.Properties.Integration.Type).toBe('AWS_PROXY');
          return [m.key, handlers.get(integratedFunction(m.method)!)];
        }),
    );
    expect(served).toEqual(new Map(ROUTES.map((r) => [routeKey(r), r.handler])));
  });

  it('has one function per distinct handler, all Node 24 on arm64 with the project defaults', () => {
    const fns = Object.values(functionsOf(synth));
    expect(fns).toHaveLength(HANDLERS.length);
    expect(HANDLERS.length).toBeLessThan(ROUTES.length); // the IdentityService routes share one
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
      });
      expect(envOf(fn)).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^tix-/) });
      const logGroup = synth.apiResources[fn.Properties.LoggingConfig.LogGroup.Ref]!;
      expect(logGroup.Properties.RetentionInDays).toBe(30);
    }
  });

  it('treats every media type as binary (binary RPC answers arrive as bytes whatever the Accept), preflights as text', () => {
    api.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    expect(BINARY_MEDIA_TYPES).toEqual(['*/*']);
    const options = methodsOf(synth).filter((m) => m.method.Properties.HttpMethod === 'OPTIONS');
    expect(options.length).toBeGreaterThan(20);
    for (const { method, key } of options) expect(method.Properties.Integration.ContentHandling, key).toBe('CONVERT_TO_TEXT');
  });

  it('answers OPTIONS on every path without authorization, with the CORS lists', () => {
    const methods = methodsOf(synth);
    const paths = new Set(methods.map((m) => m.key.split(' ')[1]));
    const options = methods.filter((m) => m.method.Properties.HttpMethod === 'OPTIONS');
    expect(new Set(options.map((m) => m.key.split(' ')[1]))).toEqual(paths);
    for (const { method } of options) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
      expect(method.Properties.Integration.Type).toBe('MOCK');
      const headers = method.Properties.Integration.IntegrationResponses[0].ResponseParameters;
      expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe(`'${CORS_ALLOW_HEADERS.join(',')}'`);
      expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'http://localhost:3000'");
      expect(JSON.stringify(method.Properties.Integration.IntegrationResponses[0].ResponseTemplates)).toContain('http://localhost:5173');
    }
  });

  it('deploys stage `api` with throttling, tracing and access logs', () => {
    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'api',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })],
    });
  });

  it('shapes gateway errors as {"error","code"} with CORS', () => {
    const responses = Object.values(resourcesOf(api, 'AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((r) => r.Properties.ResponseType);
    expect(types).toEqual(expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX']));
    for (const r of responses) {
      expect(r.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBeDefined();
      const template = r.Properties.ResponseTemplates['application/json'] as string;
      expect(template).toMatch(/^\{"error":.+,"code":".+"\}$/);
    }
  });

  it('sets AUTH_FALLBACK=off, CORS_ORIGINS, and PUBLIC_BASE_URL from the API id (no stage ref: no cycle)', () => {
    const restApiId = Object.keys(resourcesOf(api, 'AWS::ApiGateway::RestApi'))[0];
    for (const fn of Object.values(functionsOf(synth))) {
      const env = envOf(fn);
      expect(env.AUTH_FALLBACK).toBe('off');
      expect(env.CORS_ORIGINS).toBe('http://localhost:3000,http://localhost:5173');
      const url = JSON.stringify(env.PUBLIC_BASE_URL);
      expect(url).toContain(`{"Ref":"${restApiId}"}`);
      expect(url).toContain('/api');
      expect(url).not.toMatch(/Stage|Deployment/);
    }
  });

  it("grants each function exactly the secrets its service's env names, nothing else", () => {
    const handlers = handlerByLogicalId(synth.stacks.api);
    const roles = resourcesOf(synth.apiResources, 'AWS::IAM::Policy');
    for (const [id, fn] of Object.entries(functionsOf(synth))) {
      const env = envOf(fn);
      const arns = Object.entries(env).filter(([k]) => k.endsWith('_SECRET_ARN')).map(([, v]) => JSON.stringify(v));
      const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const policy = Object.values(roles).find((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role));
      const granted = (policy?.Properties.PolicyDocument.Statement ?? [])
        .filter((s: { Action: string[] }) => s.Action.includes('secretsmanager:GetSecretValue'))
        .map((s: { Resource: unknown }) => JSON.stringify(s.Resource));
      expect(new Set(granted)).toEqual(new Set(arns));

      const service = handlers.get(id)!.split('/')[0];
      const names = Object.keys(env);
      if (service === 'docs') expect(arns).toEqual([]);
      if (service === 'events') expect(names).not.toContain('MONGODB_URL_SECRET_ARN');
      if (service === 'events') expect(names).not.toContain('SERVICE_ACCOUNT_PASSWORD_SECRET_ARN');
      // Only the migration function reads the RDS master secret; the request path logs in as the service's role, through RDS Proxy.
      expect(names, handlers.get(id)).not.toContain('DB_SECRET_ARN');
      if (service === 'idm') expect(names).toEqual(expect.arrayContaining(['JWT_PUBLIC_KEYS_SECRET_ARN', 'DB_HOST', 'IDM_DB_SECRET_ARN', 'IDM_DB_NAME', 'REDIS_URL', 'REDIS_AUTH_SECRET_ARN', 'REVOCATIONS_TABLE']));
      if (service === 'idm') expect(names).not.toContain('EVENTS_DB_SECRET_ARN');
      if (service === 'events') expect(names).toEqual(expect.arrayContaining(['JWT_PUBLIC_KEYS_SECRET_ARN', 'DB_HOST', 'EVENTS_DB_SECRET_ARN', 'EVENTS_DB_NAME', 'REDIS_URL', 'REVOCATIONS_TABLE']));
      if (service === 'events') expect(names).not.toContain('IDM_DB_SECRET_ARN');
      // The audit reader logs in as its own role (read-only on audit_log), never as a service's.
      if (service === 'audit') expect(names).toEqual(expect.arrayContaining(['AUDIT_DB_SECRET_ARN', 'IDM_DB_NAME', 'EVENTS_DB_NAME', 'DB_HOST', 'MONGODB_URL_SECRET_ARN']));
      if (service === 'audit') expect(names).not.toContain('IDM_DB_SECRET_ARN');
      if (service === 'audit') expect(names).not.toContain('EVENTS_DB_SECRET_ARN');
      expect(names.includes('AUDIT_DB_SECRET_ARN'), handlers.get(id)).toBe(service === 'audit');
      if (service === 'users') expect(names).toEqual(expect.arrayContaining(['JWT_PUBLIC_KEYS_SECRET_ARN', 'MONGODB_URL_SECRET_ARN', 'SERVICE_ACCOUNT_PASSWORD_SECRET_ARN', 'REDIS_URL', 'IDEMPOTENCY_TABLE', 'REVOCATIONS_TABLE']));
      // Only the signing functions can read the private token key.
      expect(names.includes('JWT_SIGNING_KEY_SECRET_ARN'), handlers.get(id)).toBe(SIGNING_HANDLERS.includes(handlers.get(id)!));
      // Only the user service writes idempotency records.
      const document = JSON.stringify(policy?.Properties.PolicyDocument ?? {});
      expect(document.includes('IdempotencyTable'), handlers.get(id)).toBe(service === 'users');
      expect(names.includes('IDEMPOTENCY_TABLE')).toBe(service === 'users');
    }
  });

  it('the service-token issuer: no route leads to it; only the user manager\'s functions may invoke it, and know its name', () => {
    const handlers = handlerByLogicalId(synth.stacks.api);
    const issuer = synth.stacks.api.serviceTokenIssuer;
    const issuerId = Stack.of(issuer).getLogicalId(issuer.node.defaultChild as CfnFunction);
    expect(methodsOf(synth).some((m) => integratedFunction(m.method) === issuerId)).toBe(false);
    // Other stacks see the issuer through its nested stack's outputs, named after its construct id.
    const refersToIssuer = (value: unknown) => JSON.stringify(value ?? null).includes(functionId(SERVICE_TOKEN_ISSUER));
    const all = synth.apiResources;
    expect(Object.keys(resourcesOf(all, 'AWS::Lambda::Permission')).filter((id) => refersToIssuer(all[id]!.Properties.FunctionName))).toEqual([]);
    const roles = resourcesOf(all, 'AWS::IAM::Policy');
    for (const [id, fn] of Object.entries(functionsOf(synth))) {
      const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const policies = Object.values(roles).filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role));
      const invokes = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).some(
        (st: { Action: string | string[]; Resource: unknown }) => [st.Action].flat().includes('lambda:InvokeFunction') && refersToIssuer(st.Resource),
      );
      const isUsers = handlers.get(id)!.startsWith('users/');
      expect(invokes, handlers.get(id)).toBe(isUsers);
      expect(refersToIssuer(envOf(fn).SERVICE_TOKEN_FUNCTION), handlers.get(id)).toBe(isUsers);
    }
  });

  it('places functions that use a store in the VPC, and only those', () => {
    const handlers = handlerByLogicalId(synth.stacks.api);
    for (const [id, fn] of Object.entries(functionsOf(synth))) {
      const inVpc = fn.Properties.VpcConfig !== undefined;
      expect(inVpc, handlers.get(id)).toBe(!handlers.get(id)!.startsWith('docs/'));
    }
  });

  it('defines the stores: PostgreSQL 16 behind RDS Proxy (TLS), DocumentDB, Redis with RBAC users, the revocations table, a Secrets Manager endpoint', () => {
    data.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'postgres', EngineVersion: Match.stringLikeRegexp('^16') });
    data.resourceCountIs('AWS::DocDB::DBCluster', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'jti', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
    data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'redis', TransitEncryptionEnabled: true, UserGroupIds: Match.anyValue() });
    data.hasResourceProperties('AWS::ElastiCache::User', { UserName: 'default', AccessString: 'off -@all' });
    data.hasResourceProperties('AWS::ElastiCache::User', { UserName: 'tix-app', AuthenticationMode: { Type: 'password', Passwords: Match.anyValue() } });
    data.hasResourceProperties('AWS::RDS::DBProxy', { RequireTLS: true, EngineFamily: 'POSTGRESQL' });
    const interfaces = Object.values(resourcesOf(data.toJSON().Resources, 'AWS::EC2::VPCEndpoint')).filter((e) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => JSON.stringify(e.Properties.ServiceName))).toEqual([expect.stringContaining('.secretsmanager'), expect.stringContaining('.execute-api')]);
    data.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { GenerateStringKey: 'password' } });
    synth.templates.frontend.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });
});

describe('localstack profile', () => {
  const synth = synthTix({ profile: 'localstack', mongodbUrl: 'mongodb://mongo.test:27017/user_service' });

  it('synthesizes the same routes', () => {
    const keys = methodsOf(synth).map((m) => m.key).filter((k) => !k.startsWith('OPTIONS '));
    expect(new Set(keys)).toEqual(new Set(ROUTES.map(routeKey)));
    expect(Object.keys(functionsOf(synth))).toHaveLength(HANDLERS.length);
  });

  it('contains no RDS, DocumentDB, ElastiCache or CloudFront resources', () => {
    for (const template of [...Object.values(synth.templates), ...synth.services.map((s) => s.template)]) {
      const types = Object.values(resourcesOf(template)).map((r) => r.Type);
      expect(types.filter((t) => STORE_TYPES.test(t))).toEqual([]);
    }
  });

  it('sets AUTH_FALLBACK=on, the LocalStack endpoint and plain store URLs; no VPC', () => {
    for (const fn of Object.values(functionsOf(synth))) {
      const env = envOf(fn);
      expect(env.AUTH_FALLBACK).toBe('on');
      expect(env.AWS_ENDPOINT_URL).toBe('http://localhost.localstack.cloud:4566');
      expect(JSON.stringify(env.PUBLIC_BASE_URL)).toContain('.execute-api.localhost.localstack.cloud:4566/api');
      expect(fn.Properties.VpcConfig).toBeUndefined();
      expect(env.DB_SECRET_ARN).toBeUndefined();
      if (env.MONGODB_URL !== undefined) expect(env.MONGODB_URL).toBe('mongodb://mongo.test:27017/user_service');
      if (env.IDM_DATABASE_URL !== undefined) expect(env.IDM_DATABASE_URL).toBe('postgres://postgres@postgres:5432/idm');
    }
    const envs = Object.values(functionsOf(synth)).map(envOf);
    for (const name of ['IDM_DATABASE_URL', 'EVENTS_DATABASE_URL', 'MONGODB_URL', 'REDIS_URL', 'JWT_PUBLIC_KEYS_SECRET_ARN']) {
      expect(envs.some((e) => e[name] !== undefined), name).toBe(true);
    }
  });
});

describe('context overrides', () => {
  it('takes CORS origins and the public base URL from context', () => {
    const synth = synthTix({ corsOrigins: 'https://tix.example', publicBaseUrl: 'https://api.tix.example/' });
    for (const fn of Object.values(functionsOf(synth))) {
      expect(envOf(fn)).toMatchObject({ CORS_ORIGINS: 'https://tix.example', PUBLIC_BASE_URL: 'https://api.tix.example' });
    }
  });

  it('rejects an unknown profile', () => {
    expect(() => synthTix({ profile: 'gcp' })).toThrow(/profile/);
  });
});

describe('room to grow', () => {
  /** CloudFormation refuses a template of more than 500 resources. */
  const LIMIT = 500;
  /** What every template keeps free: room for dozens of new routes in any one service. */
  const HEADROOM = 250;

  for (const profile of ['aws', 'localstack']) {
    it(`${profile}: splits the API by service, every stack and nested stack ≥ ${HEADROOM} resources under the limit`, () => {
      const synth = synthTix({ profile });
      expect(new Set(synth.services.map((s) => s.nested.node.id))).toEqual(new Set(['IdmApi', 'EventsApi', 'UsersApi', 'AuditApi', 'DocsApi']));
      const templates = { ...synth.templates, ...Object.fromEntries(synth.services.map((s) => [s.nested.node.id, s.template])) };
      for (const [name, template] of Object.entries(templates)) {
        const count = Object.keys(resourcesOf(template)).length;
        expect(count, name).toBeLessThanOrEqual(LIMIT - HEADROOM);
      }
      // Each service's methods live in its own stack.
      for (const { nested, template } of synth.services) {
        const service = nested.node.id.replace(/Api$/, '').toLowerCase();
        const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
        expect(methods, service).toHaveLength(ROUTES.filter((r) => r.service === service).length);
      }
    });
  }

  it('snapshots a new API deployment (new logical id) whenever the route table changes', () => {
    // The public API's (the private API's has its own test, internal-api.test.ts).
    const deployment = (synth: Synth) => Object.entries(resourcesOf(onApi(resourcesOf(synth.templates.api), synth.apiIds.public), 'AWS::ApiGateway::Deployment'));
    const before = synthTix();
    expect(deployment(before)).toHaveLength(1);
    const [id] = deployment(before)[0]!;
    expect(Object.values(resourcesOf(onApi(resourcesOf(before.templates.api), before.apiIds.public), 'AWS::ApiGateway::Stage'))[0]!.Properties.DeploymentId).toEqual({ Ref: id });
    // Every service stack is deployed before the snapshot is taken.
    const nested = Object.keys(resourcesOf(before.templates.api, 'AWS::CloudFormation::Stack'));
    expect((deployment(before)[0]![1] as unknown as { DependsOn: string[] }).DependsOn).toEqual(expect.arrayContaining(nested));

    (ROUTES as Route[]).push({ method: 'GET', path: '/api/idm/extra', handler: 'idm/health', service: 'idm', access: { kind: 'public' }, summary: 'test' });
    try {
      expect(deployment(synthTix())[0]![0]).not.toBe(id);
    } finally {
      (ROUTES as Route[]).pop();
    }
  });
});
