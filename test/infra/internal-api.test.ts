import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../shared/routes.ts';
import { CALLING_SERVICES } from '../../infra/stacks/api-stack.ts';
import { integratedFunction, onApi, resourcePath, resourcesOf, synthTix } from './synth.ts';

/** What the service clients call: test/routes.test.ts proves the clients call exactly these. */
const SERVICE_CALLS = ROUTES.filter((r) => r.internal).map(routeKey);

describe('service calls in the aws profile: a private API behind the VPC endpoint', () => {
  const synth = synthTix();
  const { api, data } = synth.templates;
  const internalId = synth.apiIds.internal!;
  const privateApi = resourcesOf(api, 'AWS::ApiGateway::RestApi')[internalId]!;
  const endpoints = Object.entries(resourcesOf(data, 'AWS::EC2::VPCEndpoint')).filter(([, e]) => JSON.stringify(e.Properties.ServiceName).includes('.execute-api'));
  const methods = Object.values(resourcesOf(onApi(synth.apiResources, internalId), 'AWS::ApiGateway::Method')).map((m) => ({
    m,
    key: `${m.Properties.HttpMethod} ${resourcePath(synth.apiResources, m.Properties.ResourceId)}`,
  }));

  /** The function a parent-stack method integrates: through its service stack's output of the function's ARN. */
  const outputs = Object.assign({}, ...synth.services.map((x) => x.template.toJSON().Outputs)) as Record<string, { Value: unknown }>;
  const throughOutput = (method: Parameters<typeof integratedFunction>[0]) => {
    const output = JSON.stringify(method.Properties.Integration.Uri).match(/"Outputs\.([^"]+)"/)?.[1];
    return output && integratedFunction({ Type: '', Properties: { Integration: { Uri: outputs[output]?.Value } } });
  };

  it('the execute-api interface endpoint has private DNS, in the functions\' subnets, its security group open only to the functions', () => {
    expect(endpoints).toHaveLength(1);
    const [endpointId, endpoint] = endpoints[0]!;
    expect(endpoint.Properties).toMatchObject({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    const groups = endpoint.Properties.SecurityGroupIds as { 'Fn::GetAtt': [string, string] }[];
    expect(groups).toHaveLength(1);
    const group = resourcesOf(data, 'AWS::EC2::SecurityGroup')[groups[0]!['Fn::GetAtt'][0]]!;
    expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
    const ingress = Object.values(resourcesOf(data, 'AWS::EC2::SecurityGroupIngress')).filter((i) => JSON.stringify(i.Properties.GroupId).includes(groups[0]!['Fn::GetAtt'][0]));
    expect(ingress).toHaveLength(1);
    expect(ingress[0]!.Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^AppSecurityGroup/), 'GroupId'] } });
    expect(endpointId).toMatch(/ExecuteApi/);
  });

  it('is PRIVATE, bound to that endpoint, and its resource policy admits only that endpoint', () => {
    const [endpointId] = endpoints[0]!;
    expect(privateApi.Properties.EndpointConfiguration.Types).toEqual(['PRIVATE']);
    const viaEndpoint = JSON.stringify(privateApi.Properties.EndpointConfiguration.VpcEndpointIds);
    expect(viaEndpoint).toContain(endpointId);
    const statements = privateApi.Properties.Policy.Statement as { Effect: string; Condition?: Record<string, Record<string, unknown>> }[];
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(JSON.stringify(statements[0]!.Condition!.StringEquals!['aws:SourceVpce'])).toContain(endpointId);
  });

  it('carries exactly the internal routes, integrated with the same functions as the public API, the authorizer on the protected ones', () => {
    expect(methods.map((x) => x.key).sort()).toEqual([...SERVICE_CALLS].sort());
    const publicMethods = Object.values(resourcesOf(onApi(synth.apiResources, synth.apiIds.public), 'AWS::ApiGateway::Method'));
    const [authorizerId] = Object.keys(onApi(resourcesOf(api, 'AWS::ApiGateway::Authorizer'), internalId));
    for (const { m, key } of methods) {
      const twin = publicMethods.find((p) => `${p.Properties.HttpMethod} ${resourcePath(synth.apiResources, p.Properties.ResourceId)}` === key)!;
      expect(throughOutput(m), key).toBe(integratedFunction(twin));
      const route = ROUTES.find((r) => routeKey(r) === key)!;
      if (route.access.kind === 'public') expect(m.Properties.AuthorizationType ?? 'NONE', key).toBe('NONE');
      else expect(m.Properties, key).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    }
    // Its authorizer runs the public API's authorizer function.
    const authorizers = Object.values(resourcesOf(api, 'AWS::ApiGateway::Authorizer'));
    expect(authorizers).toHaveLength(2);
    expect(JSON.stringify(authorizers[0]!.Properties.AuthorizerUri)).toBe(JSON.stringify(authorizers[1]!.Properties.AuthorizerUri));
  });

  it('the calling services\' functions get INTERNAL_BASE_URL = the private API; no other function has it', () => {
    const callers = new Set<string>();
    for (const service of CALLING_SERVICES) {
      for (const fn of synth.stacks.api.services.get(service)!.functions.values()) callers.add(Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnFunction));
    }
    expect(callers.size).toBeGreaterThan(10);
    const expected = JSON.stringify({ 'Fn::Join': ['', ['https://', { Ref: internalId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/api']] });
    for (const [id, fn] of Object.entries(resourcesOf(synth.apiResources, 'AWS::Lambda::Function'))) {
      const url = fn.Properties.Environment?.Variables?.INTERNAL_BASE_URL;
      if (callers.has(id)) expect(JSON.stringify(url), id).toBe(expected);
      else expect(url, id).toBeUndefined();
    }
  });

  it('the private stage has its own logs and throttle and no web ACL; the public stage keeps its own', () => {
    const stages = resourcesOf(api, 'AWS::ApiGateway::Stage');
    const internalStage = Object.values(onApi(stages, internalId))[0]!;
    const publicStage = Object.values(onApi(stages, synth.apiIds.public))[0]!;
    expect(internalStage.Properties.AccessLogSetting).toBeDefined();
    expect(internalStage.Properties.MethodSettings).toEqual(expect.arrayContaining([expect.objectContaining({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 })]));
    expect(publicStage.Properties.MethodSettings).toEqual(expect.arrayContaining([expect.objectContaining({ ThrottlingRateLimit: 100 })]));
    const acl = Object.values(resourcesOf(api, 'AWS::WAFv2::WebACLAssociation'));
    expect(acl).toHaveLength(1);
    const [publicStageId] = Object.keys(onApi(stages, synth.apiIds.public));
    expect(JSON.stringify(acl[0]!.Properties.ResourceArn)).toContain(publicStageId);
  });
});

describe('service calls in the localstack profile', () => {
  it('has no private API (no VPC, no endpoint): the services call each other on the public URL', () => {
    const synth = synthTix({ profile: 'localstack' });
    expect(synth.apiIds.internal).toBeUndefined();
    expect(Object.keys(resourcesOf(synth.templates.api, 'AWS::ApiGateway::RestApi'))).toHaveLength(1);
    for (const fn of Object.values(resourcesOf(synth.apiResources, 'AWS::Lambda::Function'))) expect(fn.Properties.Environment?.Variables?.INTERNAL_BASE_URL).toBeUndefined();
  });
});
