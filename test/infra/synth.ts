import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnResource, type NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { buildTix } from '../../infra/stacks/tix.ts';

// Skip the CloudFormation schema validation at synth (≈ 2 s); `npx cdk synth` still runs it.
process.env.CDK_VALIDATION ??= 'false';

type Resource = { Type: string; Properties: Record<string, any> };
export type Resources = Record<string, Resource>;

/** Synthesizes the whole app without bundling (fast), with extra context. */
export function synthTix(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stacks = buildTix(app);
  const templates = {
    data: Template.fromStack(stacks.data),
    api: Template.fromStack(stacks.api),
    frontend: Template.fromStack(stacks.frontend),
    ...(stacks.edge && { edge: Template.fromStack(stacks.edge) }),
  };
  const services = [...stacks.api.services.values()].map((nested) => ({ nested, template: Template.fromStack(nested) }));
  const logicalId = (api: RestApi | undefined) => api && stacks.api.getLogicalId(api.node.defaultChild as CfnResource);
  const apiIds = { public: logicalId(stacks.api.api)!, internal: logicalId(stacks.api.internalApi?.api) };
  return { stacks, templates, services, apiIds, apiResources: apiResources(stacks.api, templates.api, services) };
}

/**
 * The API's resources over the parent stack and its service stacks, as one map: a nested stack's
 * parameters (references to the parent, e.g. a shared resource's id) replaced by what the parent
 * passes, so paths and grants can be followed across stacks.
 */
function apiResources(api: Stack, parent: Template, services: { nested: NestedStack; template: Template }[]): Resources {
  const merged: Resources = { ...(parent.toJSON().Resources as Resources) };
  for (const { nested, template } of services) {
    const passed = merged[api.getLogicalId(nested.nestedStackResource as CfnResource)]!.Properties.Parameters ?? {};
    let json = JSON.stringify(template.toJSON().Resources);
    for (const [name, value] of Object.entries(passed)) json = json.replaceAll(JSON.stringify({ Ref: name }), JSON.stringify(value));
    Object.assign(merged, JSON.parse(json));
  }
  return merged;
}

/** The resources (methods, authorizers, resources …) that belong to one REST API, by its logical id. */
export const onApi = (resources: Resources, apiLogicalId: string | undefined): Resources =>
  Object.fromEntries(Object.entries(resources).filter(([, r]) => (r.Properties?.RestApiId as { Ref?: string } | undefined)?.Ref === apiLogicalId));

export const resourcesOf = (template: Template | Resources, type?: string): Resources =>
  Object.fromEntries(
    Object.entries(template instanceof Template ? (template.toJSON().Resources as Resources) : template).filter(([, r]) => !type || r.Type === type),
  );

/**
 * Full path of an AWS::ApiGateway::Resource or of the root, from a method's `ResourceId`: walks
 * `ParentId` (a Ref to the parent resource, or GetAtt RootResourceId for the root) up to the root.
 */
export function resourcePath(resources: Resources, id: unknown): string {
  const ref = (id as { Ref?: string }).Ref;
  if (ref === undefined) {
    const getAtt = (id as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt?.[1] !== 'RootResourceId') throw new Error(`unexpected resource id ${JSON.stringify(id)}`);
    return '/';
  }
  const resource = resources[ref];
  if (resource?.Type !== 'AWS::ApiGateway::Resource') throw new Error(`${ref} is not an API resource`);
  const parent = resourcePath(resources, resource.Properties.ParentId);
  return `${parent === '/' ? '' : parent}/${resource.Properties.PathPart}`;
}

/** Logical id of the function a proxy integration invokes (`…/functions/<GetAtt fn Arn>/invocations`). */
export function integratedFunction(method: Resource): string | undefined {
  const found = JSON.stringify(method.Properties.Integration?.Uri ?? {}).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/);
  return found?.[1];
}

/** A built web app to deploy (the real build is not needed to check the wiring): context `webDist`. */
export function fakeDist() {
  const dir = mkdtempSync(join(tmpdir(), 'tix-web-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tix</title>');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'config.json'), '{}');
  return dir;
}
