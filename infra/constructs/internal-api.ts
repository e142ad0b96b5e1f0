import { EndpointType, type IAuthorizer, LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IInterfaceVpcEndpoint } from 'aws-cdk-lib/aws-ec2';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Aws } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ROUTES } from '../../shared/routes.ts';
import { acknowledge } from '../nag.ts';
import { API_STAGE } from '../profile.ts';
import { methodOptions, stageObservability } from '../stacks/api-stack.ts';

/** The routes one service calls on another (`internal: true` in shared/routes.ts). */
export const INTERNAL_ROUTES = ROUTES.filter((r) => r.internal);

export interface InternalApiProps {
  /** The execute-api interface endpoint in the VPC: the only way in. */
  endpoint: IInterfaceVpcEndpoint;
  /** Handler module → its function (the same functions the public API integrates). */
  functions: ReadonlyMap<string, IFunction>;
  /** The same authorizer function as the public API, attached to this API (undefined: none). */
  authorizer?: IAuthorizer;
}

/**
 * The private REST API the services call each other on (docs/AUTHORIZATION.md, Service calls):
 * exactly the internal routes of the route table, integrated with the same functions and checked by
 * the same authorizer, reachable only through the VPC's execute-api endpoint (resource policy on
 * `aws:SourceVpce`). So these calls stay in the VPC, skip the NAT, and never meet the public
 * stage's throttle or its web ACL.
 */
export class InternalApi extends Construct {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: InternalApiProps) {
    super(scope, id);
    const { endpoint, functions, authorizer } = props;
    this.api = new RestApi(this, 'Api', {
      restApiName: 'tix-internal',
      description: 'Service-to-service routes (internal: true in shared/routes.ts), reachable only through the VPC endpoint',
      endpointConfiguration: { types: [EndpointType.PRIVATE], vpcEndpoints: [endpoint] },
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            effect: Effect.ALLOW,
            principals: [new AnyPrincipal()],
            actions: ['execute-api:Invoke'],
            resources: ['execute-api:/*'],
            conditions: { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
          }),
        ],
      }),
      // The public API already set the account's CloudWatch role.
      cloudWatchRole: false,
      deployOptions: {
        stageName: API_STAGE,
        // Its own limit, well above the public stage's 100/s: service calls follow the public
        // requests that cause them (a purchase makes one or two), and a runaway caller still
        // cannot take the whole account's API Gateway quota.
        throttlingRateLimit: 1000,
        throttlingBurstLimit: 2000,
        ...stageObservability(this),
      },
    });
    acknowledge(this.api, 'every handler validates its request with a strict zod schema and answers 400/422 naming the field; a gateway validator would answer differently', 'AwsSolutions-APIG2');
    acknowledge(this.api.deploymentStage, 'private API: only the VPC endpoint reaches it (resource policy), so no web ACL stands in front of it', 'AwsSolutions-APIG3');

    for (const route of INTERNAL_ROUTES) {
      const fn = functions.get(route.handler);
      if (!fn) throw new Error(`internal route ${route.method} ${route.path}: no function ${route.handler}`);
      const method = this.api.root
        .resourceForPath(route.path)
        .addMethod(route.method, new LambdaIntegration(fn, { allowTestInvoke: false }), methodOptions(route, authorizer));
      if (route.access.kind === 'public') {
        acknowledge(method, `public by the route table (${route.summary}); private API, VPC endpoint only`, 'AwsSolutions-APIG4', 'AwsSolutions-COG4');
      } else if (!authorizer) {
        acknowledge(method, 'no authorizer configured: the handler makes the same check itself (AUTH_FALLBACK=on)', 'AwsSolutions-APIG4', 'AwsSolutions-COG4');
      } else {
        acknowledge(method, 'the Lambda REQUEST authorizer checks the platform JWT (the IDM issues it): no Cognito user pool', 'AwsSolutions-COG4');
      }
    }
  }

  /**
   * The base URL callers use (INTERNAL_BASE_URL): the API's default host, which the endpoint's
   * private DNS resolves inside the VPC. Built from the id, not `api.url` (that names the stage,
   * which depends on the methods, which depend on the functions: a cycle).
   */
  get baseUrl(): string {
    return `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${API_STAGE}`;
  }
}
