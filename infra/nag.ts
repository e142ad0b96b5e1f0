import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag (AwsSolutions and Serverless packs) checks every synth — `cdk synth`, `cdk deploy` and the
 * synth tests — and fails it on any finding that is not acknowledged. Acknowledgments live beside the
 * resource they concern, each with its reason (`acknowledge` below).
 */
export function addNagChecks(app: App) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** Rule ids cdk-nag reports for AWS managed policies on Lambda roles. */
export const MANAGED_POLICY = {
  basicExecution: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  vpcAccess: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
} as const;

/** Acknowledges cdk-nag findings on a construct and everything below it, for one stated reason. */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]) {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/** Ids of the functions CDK adds once per stack: log retention, the AwsCustomResource handler. */
const CDK_SINGLETONS = /^(LogRetention[0-9a-f]{32}|AWS679f53fac002430cb0da5b7982bd2287)$/;

/** Acknowledges the CDK singleton functions of a stack (call after the constructs that add them). */
export function acknowledgeCdkSingletons(stack: IConstruct) {
  for (const child of stack.node.children.filter((c) => CDK_SINGLETONS.test(c.node.id))) {
    acknowledgeCdkFunction(child, 'AwsSolutions-IAM5[Resource::*]');
  }
}

/**
 * The Lambda functions CDK itself adds (custom resource providers, log retention, the AwsCustomResource
 * singleton): their roles, runtime and settings are CDK's, not ours.
 */
export function acknowledgeCdkFunction(scope: IConstruct, ...extra: string[]) {
  acknowledge(
    scope,
    "CDK's own provisioning function (custom resource framework): CDK chooses its runtime, memory and managed logging policy; it runs only during deploys",
    MANAGED_POLICY.basicExecution,
    MANAGED_POLICY.vpcAccess,
    'AwsSolutions-L1',
    'Serverless-LambdaTracing',
    'Serverless-LambdaDefaultMemorySize',
    'Serverless-LambdaDLQ',
    'Serverless-LambdaLatestVersion',
    ...extra,
  );
}
