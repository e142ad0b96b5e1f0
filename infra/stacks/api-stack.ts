import { Aspects, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  CfnMethod,
  type CorsOptions,
  Deployment,
  EndpointType,
  type IAuthorizer,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type MethodOptions,
  ResponseType,
  RestApi,
  Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { TixWebAcl } from '../constructs/web-acl.ts';
import { acknowledge } from '../nag.ts';
import type { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS } from '../../shared/kernel/cors.ts';
import { ACCESS_DENIED_TEMPLATE, UNAUTHORIZED_BODY } from '../../shared/auth/gateway-responses.ts';
import { SERVICE_TOKEN_ISSUER } from '../../shared/auth/service-token-issuer.ts';
import { BINARY_MEDIA_TYPES } from '../../shared/kernel/binary-media.ts';
import { ROUTES, type Route, type Service } from '../../shared/routes.ts';
import { InternalApi } from '../constructs/internal-api.ts';
import { SchemaMigration } from '../constructs/schema-migration.ts';
import { functionId, TicketingFunction } from '../constructs/ticketing-function.ts';
import { API_STAGE, type Profile } from '../profile.ts';
import type { DataStores, Store } from './data-stack.ts';
import { ServiceApi } from './service-api-stack.ts';

/** `*\/*`: binary RPC answers reach clients as bytes whatever their Accept (shared/kernel/binary-media.ts). */
export { BINARY_MEDIA_TYPES };

/** Least privilege: the stores (and so the secrets) each service's functions may use. */
export const SERVICE_STORES: Record<Service, readonly Store[]> = {
  // the IDM seeds the service account, so it reads its password
  idm: ['jwt', 'serviceAccount', 'idmDatabase', 'redis', 'revocations'],
  events: ['jwt', 'eventsDatabase', 'redis', 'revocations'],
  users: ['jwt', 'serviceAccount', 'mongodb', 'redis', 'idempotency', 'revocations'],
  audit: ['jwt', 'auditDatabases', 'mongodb', 'redis', 'revocations'],
  docs: [],
};

/**
 * The only functions that may read the token signing key: those that issue tokens (login, the
 * registration's service token and the new user's one-call token, the RPC's Authenticate, the
 * internal service-token issuer). Everyone else verifies with the public keys.
 */
export const SIGNING_HANDLERS: readonly string[] = ['idm/login', 'idm/register', 'idm/identity-service', SERVICE_TOKEN_ISSUER];

/**
 * SEAM for the authorizer issue: builds the Lambda authorizer (functions/authorizer.ts, a
 * RequestAuthorizer on the Authorization header with a short TTL, its policy covering the whole
 * API since a cached policy is reused across routes). Only routes whose access is not public get it.
 */
export type AuthorizerFactory = (scope: Construct, stores: DataStores) => (id: string) => IAuthorizer;

/**
 * Services whose functions call other services (their clients read INTERNAL_BASE_URL): the user
 * manager (tickets, event and packet summaries, identity deletion, revocation) and the IDM
 * (the registration creates the profile).
 */
export const CALLING_SERVICES: readonly Service[] = ['users', 'idm'];

export interface ApiStackProps extends StackProps {
  profile: Profile;
  stores: DataStores;
  /** Left out in the `localstack` profile: its free tier does not run authorizers (AUTH_FALLBACK=on). */
  authorizer?: AuthorizerFactory;
}

/**
 * Errors API Gateway answers itself, shaped like the functions' errors: `{"error","code"}`.
 * `$context.error.messageString` is the message already JSON-quoted.
 */
const GATEWAY_ERRORS: { type: ResponseType; statusCode?: string; code?: string; message?: string; template?: string }[] = [
  { type: ResponseType.DEFAULT_4XX, code: '$context.error.responseType' },
  { type: ResponseType.DEFAULT_5XX, code: '$context.error.responseType' },
  // A REST API answers an unknown path or method with 403 "Missing Authentication Token".
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, statusCode: '404', code: 'NOT_FOUND', message: '"route not found"' },
  // The authorizer's refusals (shared/auth/gateway-responses.ts: the local runtime renders the same).
  { type: ResponseType.UNAUTHORIZED, template: JSON.stringify(UNAUTHORIZED_BODY) },
  { type: ResponseType.ACCESS_DENIED, template: ACCESS_DENIED_TEMPLATE },
  { type: ResponseType.THROTTLED, code: 'RATE_LIMITED' },
];

/**
 * The REST API, built from the route table. This stack holds the API itself, what all services
 * share (gateway errors, the authorizer, the schema migration, the path trunk such as `/api`), and
 * the deployment and stage; each service's functions, resources and methods live in a nested stack
 * of their own (service-api-stack.ts), so no template nears CloudFormation's 500 resources.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly stage: Stage;
  readonly services = new Map<Service, ServiceApi>();
  /** Handler module → its function, over every service. */
  readonly functions = new Map<string, TicketingFunction>();
  /** The private API of service-to-service calls (aws profile only). */
  readonly internalApi?: InternalApi;
  /** The IDM's internal service-token issuer: no route leads to it. */
  readonly serviceTokenIssuer: TicketingFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { profile, stores } = props;
    const cors: CorsOptions = {
      allowOrigins: profile.corsOrigins,
      allowMethods: [...CORS_ALLOW_METHODS],
      allowHeaders: [...CORS_ALLOW_HEADERS],
      maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
    };

    this.api = new RestApi(this, 'Api', {
      restApiName: 'tix',
      description: 'Event ticketing API (routes from shared/routes.ts)',
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      // OPTIONS on every resource, answered by API Gateway itself, never authorized.
      defaultCorsPreflightOptions: cors,
      cloudWatchRole: true,
      // The methods live in nested stacks: the deployment below waits for all of them.
      deploy: false,
    });
    this.addGatewayErrors();
    // With `*\/*` every body counts as binary, the preflights' empty ones too: their mock integrations
    // must turn them into text, or the request template is not applied and OPTIONS fails with 500.
    Aspects.of(this).add({
      visit: (node) => {
        if (node instanceof CfnMethod && node.httpMethod === 'OPTIONS') node.addPropertyOverride('Integration.ContentHandling', 'CONVERT_TO_TEXT');
      },
    });
    acknowledge(this.api, 'every handler validates its request with a strict zod schema and answers 400/422 naming the field; a gateway validator would answer differently', 'AwsSolutions-APIG2');
    acknowledge(
      this.api,
      "CDK's account-level role letting API Gateway write its logs: the AWS managed policy is the documented one",
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    );

    // Built from the API's id, not from `api.url`: that names the stage, which depends on the
    // methods, which depend on the functions — a cycle.
    const environment = {
      PUBLIC_BASE_URL: profile.apiBaseUrl(this.api.restApiId),
      CORS_ORIGINS: profile.corsOrigins.join(','),
      AUTH_FALLBACK: profile.authFallback ? 'on' : 'off',
      ...profile.functionEnv,
    };
    // Databases created, migrated and seeded before any function can be invoked.
    const schema = new SchemaMigration(this, 'SchemaMigration', stores);
    const migrateFunction = schema.node.findChild('Function') as TicketingFunction;
    for (const [name, value] of Object.entries(profile.functionEnv)) migrateFunction.addEnvironment(name, value);
    const authorizerFor = props.authorizer?.(this, stores);
    const authorizer = authorizerFor?.('RouteAuthorizer');
    const shared = sharedPaths().map((path) => ({ path, resourceId: this.api.root.resourceForPath(path).resourceId }));

    const deployment = new Deployment(this, 'Deployment', {
      api: this.api,
      description: 'The route table (a new deployment whenever it changes)',
    });
    // A deployment is a snapshot: a new logical id (so a new snapshot) whenever the routes change.
    deployment.addToLogicalId({ routes: ROUTES, cors: profile.corsOrigins, authorized: !!authorizer, errors: GATEWAY_ERRORS });
    for (const service of new Set(ROUTES.map((r) => r.service))) {
      const nested = new ServiceApi(this, `${functionId(service)}Api`, {
        service,
        api: this.api,
        shared,
        cors,
        stores,
        environment,
        authorizer,
        description: `Tix: the ${service} service's functions and routes`,
      });
      nested.node.addDependency(schema.resource);
      deployment.node.addDependency(nested);
      this.services.set(service, nested);
      for (const [module, fn] of nested.functions) this.functions.set(module, fn);
    }

    // The IDM's internal service-token issuer (no route leads to it): only the user manager's
    // functions may invoke it (IAM), and they learn its name here.
    this.serviceTokenIssuer = this.serviceFunction(SERVICE_TOKEN_ISSUER, 'idm');
    // The function itself only (grantInvoke would add its versions too: `arn:*`).
    const invokeIssuer = new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.serviceTokenIssuer.functionArn] });
    for (const fn of this.services.get('users')!.functions.values()) {
      fn.addToRolePolicy(invokeIssuer);
      fn.addEnvironment('SERVICE_TOKEN_FUNCTION', this.serviceTokenIssuer.functionName);
    }

    for (const method of this.api.methods) deployment.node.addDependency(method);

    // Service-to-service calls: a private API behind the VPC's execute-api endpoint (where the
    // stores live in a VPC; LocalStack has none, so there they use the public URL).
    if (stores.network) {
      this.internalApi = new InternalApi(this, 'Internal', {
        endpoint: stores.network.apiEndpoint,
        functions: this.functions,
        authorizer: authorizerFor?.('InternalRouteAuthorizer'),
      });
      for (const service of CALLING_SERVICES) {
        for (const fn of this.services.get(service)!.functions.values()) fn.addEnvironment('INTERNAL_BASE_URL', this.internalApi.baseUrl);
      }
    }

    this.stage = new Stage(this, 'Stage', {
      deployment,
      stageName: API_STAGE,
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      ...stageObservability(this),
    });
    this.api.deploymentStage = this.stage;
    if (profile.name === 'localstack') {
      acknowledge(this.stage, 'LocalStack (free tier) has no WAF: the aws profile attaches the web ACL', 'AwsSolutions-APIG3');
    } else {
      const waf = new TixWebAcl(this, 'WebAcl', { scope: 'REGIONAL' });
      new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.stage.stageArn, webAclArn: waf.arn });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }

  /** A function of a service that no route leads to, in that service's stack (see ServiceApi.addFunction). */
  serviceFunction(module: string, service: Service): TicketingFunction {
    return this.services.get(service)!.addFunction(module);
  }

  private addGatewayErrors() {
    // Gateway errors carry no data, and the API uses bearer tokens (no cookies): any origin may read them.
    const responseHeaders = { 'Access-Control-Allow-Origin': "'*'" };
    for (const { type, statusCode, code, message = '$context.error.messageString', template } of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(type.responseType, {
        type,
        statusCode,
        responseHeaders,
        templates: { 'application/json': template ?? `{"error":${message},"code":"${code}"}` },
      });
    }
  }
}

/**
 * Path prefixes (no full route needed) that routes of more than one service share: built once in
 * this stack, each service's nested stack adds its own resources below them.
 */
export function sharedPaths(): string[] {
  const services = new Map<string, Set<Service>>();
  for (const route of ROUTES) {
    const parts = route.path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = `/${parts.slice(0, i).join('/')}`;
      services.set(prefix, (services.get(prefix) ?? new Set()).add(route.service));
    }
  }
  return [...services].filter(([, owners]) => owners.size > 1).map(([path]) => path);
}

/**
 * What every stage records: traces, metrics, access logs, and execution logs of failed requests
 * only (full logging would copy request bodies: passwords). The log group is `scope`'s `AccessLogs`.
 */
export function stageObservability(scope: Construct) {
  return {
    tracingEnabled: true,
    metricsEnabled: true,
    loggingLevel: MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    accessLogDestination: new LogGroupLogDestination(new LogGroup(scope, 'AccessLogs', { retention: RetentionDays.ONE_MONTH })),
    accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
  };
}

/** Public routes are open; the others get the authorizer once it exists. */
export function methodOptions(route: Route, authorizer: IAuthorizer | undefined): MethodOptions {
  return route.access.kind === 'public' || !authorizer ? {} : { authorizer };
}
