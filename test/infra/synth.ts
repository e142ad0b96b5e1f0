import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
  };
  return { stacks, templates };
}

export const resourcesOf = (template: Template, type?: string): Resources =>
  Object.fromEntries(
    Object.entries(template.toJSON().Resources as Resources).filter(([, r]) => !type || r.Type === type),
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
