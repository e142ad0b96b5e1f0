import { Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { TixWebAcl } from '../constructs/web-acl.ts';
import { acknowledgeCdkSingletons } from '../nag.ts';
import type { StageName } from '../profile.ts';

/** CloudFront only accepts web ACLs of scope CLOUDFRONT, and those exist only in us-east-1. */
export const EDGE_REGION = 'us-east-1';
/** Where the edge stack of a stage publishes its web ACL's ARN (an SSM parameter in us-east-1). */
export const edgeWebAclParameter = (stage: StageName) => `/tix/${stage}/edge/web-acl-arn`;

export interface EdgeWafStackProps extends StackProps {
  stage: StageName;
}

/**
 * The CloudFront web ACL, in a stack pinned to us-east-1 (bootstrap that region too). Stacks stay
 * account-agnostic: the distribution's stack reads the ARN back across regions (edgeWebAclArn).
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: TixWebAcl;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: EDGE_REGION } });
    this.webAcl = new TixWebAcl(this, 'WebAcl', { scope: 'CLOUDFRONT' });
    new StringParameter(this, 'WebAclArn', {
      parameterName: edgeWebAclParameter(props.stage),
      stringValue: this.webAcl.arn,
      description: 'ARN of the Tix CloudFront web ACL (read by the TixFrontend stack)',
    });
  }
}

/**
 * The edge web ACL's ARN inside another region's stack: a custom resource reads the us-east-1
 * parameter at deploy time (CloudFormation references cannot cross regions). Deploy after the edge stack.
 */
export function edgeWebAclArn(scope: Construct, stage: StageName): string {
  const parameter = edgeWebAclParameter(stage);
  const read = new AwsCustomResource(scope, 'EdgeWebAclArn', {
    onUpdate: {
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: parameter },
      region: EDGE_REGION,
      physicalResourceId: PhysicalResourceId.of(parameter),
    },
    policy: AwsCustomResourcePolicy.fromSdkCalls({
      resources: [Stack.of(scope).formatArn({ service: 'ssm', region: EDGE_REGION, resource: 'parameter', resourceName: parameter.slice(1) })],
    }),
    installLatestAwsSdk: false,
  });
  acknowledgeCdkSingletons(Stack.of(scope));
  return read.getResponseField('Parameter.Value');
}
