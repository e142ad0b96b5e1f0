import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  type IAuthorizer,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodOptions,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS, CORS_MAX_AGE_SECONDS } from '../../shared/kernel/cors.ts';
import { ACCESS_DENIED_TEMPLATE, UNAUTHORIZED_BODY } from '../../shared/auth/gateway-responses.ts';
import { HANDLERS, ROUTES, type Route, type Service } from '../../shared/routes.ts';
import { SchemaMigration } from '../constructs/schema-migration.ts';
import { functionId, TicketingFunction } from '../constructs/ticketing-function.ts';
import { API_STAGE, type Profile } from '../profile.ts';
import type { DataStores, Store } from './data-stack.ts';

/** Request bodies API Gateway hands to Lambda as base64 (Connect / gRPC-Web binary frames). */
export const BINARY_MEDIA_TYPES = [
  'application/proto',
  'application/grpc-web',
  'application/grpc-web+proto',
  'application/connect+proto',
];

/** Least privilege: the stores (and so the secrets) each service's functions may use. */
export const SERVICE_STORES: Record<Service, readonly Store[]> = {
  // the IDM seeds the service account, so it reads its password
  idm: ['jwt', 'serviceAccount', 'idmDatabase', 'redis'],
  events: ['jwt', 'eventsDatabase', 'redis'],
  users: ['jwt', 'serviceAccount', 'mongodb', 'redis', 'idempotency'],
  audit: ['jwt', 'idmDatabase', 'eventsDatabase', 'mongodb', 'redis'],
  docs: [],
};

/**
 * SEAM for the authorizer issue: builds the Lambda authorizer (functions/authorizer.ts, a
 * RequestAuthorizer on the Authorization header with a short TTL, its policy covering the whole
 * API since a cached policy is reused across routes). Only routes whose access is not public get it.
 */
export type AuthorizerFactory = (scope: Construct, stores: DataStores) => IAuthorizer;

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

/** The REST API, built from the route table: one function per handler, one method per route. */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions = new Map<string, TicketingFunction>();

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { profile, stores } = props;

    this.api = new RestApi(this, 'Api', {
      restApiName: 'tix',
      description: 'Event ticketing API (routes from shared/routes.ts)',
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes: BINARY_MEDIA_TYPES,
      // OPTIONS on every resource, answered by API Gateway itself, never authorized.
      defaultCorsPreflightOptions: {
        allowOrigins: profile.corsOrigins,
        allowMethods: [...CORS_ALLOW_METHODS],
        allowHeaders: [...CORS_ALLOW_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        tracingEnabled: true,
        metricsEnabled: true,
        accessLogDestination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH }),
        ),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.addGatewayErrors();

    // Built from the API's id, not from `api.url`: that names the stage, which depends on the
    // methods, which depend on the functions — a cycle.
    const common = {
      PUBLIC_BASE_URL: profile.apiBaseUrl(this.api.restApiId),
      CORS_ORIGINS: profile.corsOrigins.join(','),
      AUTH_FALLBACK: profile.authFallback ? 'on' : 'off',
      ...profile.functionEnv,
    };
    // Databases created, migrated and seeded before any function can be invoked.
    const schema = new SchemaMigration(this, 'SchemaMigration', stores);
    for (const module of HANDLERS) {
      const service = ROUTES.find((r) => r.handler === module)!.service;
      const fn = this.serviceFunction(module, service, common, stores);
      fn.node.addDependency(schema.resource);
      this.functions.set(module, fn);
    }

    const authorizer = props.authorizer?.(this, stores);
    for (const route of ROUTES) {
      const integration = new LambdaIntegration(this.functions.get(route.handler)!, { allowTestInvoke: false });
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, methodOptions(route, authorizer));
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }

  private serviceFunction(module: string, service: Service, common: Record<string, string>, stores: DataStores) {
    const bindings = SERVICE_STORES[service].map((store) => stores[store]);
    return new TicketingFunction(this, functionId(module), {
      module,
      serviceName: `tix-${service}`,
      environment: common,
      bindings,
      // Only functions that use a store run in the VPC (the docs functions stay out).
      network: bindings.length > 0 ? stores.network : undefined,
    });
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

/** Public routes are open; the others get the authorizer once it exists. */
export function methodOptions(route: Route, authorizer: IAuthorizer | undefined): MethodOptions {
  return route.access.kind === 'public' || !authorizer ? {} : { authorizer };
}
