import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import {
  type CorsOptions,
  type IAuthorizer,
  type IResource,
  type IRestApi,
  LambdaIntegration,
  Resource,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import { ROUTES, type Service } from '../../shared/routes.ts';
import { functionId, TicketingFunction } from '../constructs/ticketing-function.ts';
import { acknowledge } from '../nag.ts';
import { methodOptions, SERVICE_STORES, SIGNING_HANDLERS } from './api-stack.ts';
import type { DataStores } from './data-stack.ts';

/** A resource of the parent stack that more than one service builds under (e.g. `/api`). */
export interface SharedResource {
  path: string;
  resourceId: string;
}

export interface ServiceApiProps extends NestedStackProps {
  service: Service;
  /** The parent's REST API (imported here by id: the methods live in this nested stack). */
  api: RestApi;
  /** The parent's resources that more than one service builds under. */
  shared: readonly SharedResource[];
  cors: CorsOptions;
  stores: DataStores;
  /** Environment every function gets (public URL, CORS, auth fallback, profile extras). */
  environment: Record<string, string>;
  authorizer?: IAuthorizer;
}

/**
 * One service's share of the REST API, as a nested stack: its functions (one per handler), the API
 * resources below the shared trunk, its methods and their invoke permissions. Each service has its
 * own 500-resource budget, so adding endpoints to one cannot push any template over the limit.
 */
export class ServiceApi extends NestedStack {
  readonly functions = new Map<string, TicketingFunction>();
  private readonly api: IRestApi;
  private readonly resources = new Map<string, IResource>();

  constructor(scope: Construct, id: string, private readonly props: ServiceApiProps) {
    super(scope, id, props);
    const { service, api, environment, stores, authorizer } = props;
    this.api = RestApi.fromRestApiAttributes(this, 'Api', { restApiId: api.restApiId, rootResourceId: api.restApiRootResourceId });

    const routes = ROUTES.filter((r) => r.service === service);
    for (const module of new Set(routes.map((r) => r.handler))) this.functions.set(module, this.addFunction(module));
    for (const route of routes) {
      const integration = new LambdaIntegration(this.functions.get(route.handler)!, { allowTestInvoke: false });
      const method = this.resourceFor(route.path).addMethod(route.method, integration, methodOptions(route, authorizer));
      if (route.access.kind === 'public') {
        acknowledge(method, `public by the route table (${route.summary})`, 'AwsSolutions-APIG4', 'AwsSolutions-COG4');
      } else if (!authorizer) {
        acknowledge(method, 'localstack profile: its free tier runs no authorizers, so the handler makes the same check itself (AUTH_FALLBACK=on)', 'AwsSolutions-APIG4', 'AwsSolutions-COG4');
      } else {
        acknowledge(method, 'the Lambda REQUEST authorizer checks the platform JWT (the IDM issues it): no Cognito user pool', 'AwsSolutions-COG4');
      }
    }
  }

  /**
   * A function of this service (its stores, its environment), in this stack: one per route handler,
   * or one no route leads to (e.g. invoked by another service's functions).
   */
  addFunction(module: string): TicketingFunction {
    const { service, stores, environment } = this.props;
    // Only the functions that issue tokens may read the private signing key.
    const bindings = [...SERVICE_STORES[service], ...(SIGNING_HANDLERS.includes(module) ? (['jwtSigning'] as const) : [])].map((store) => stores[store]);
    return new TicketingFunction(this, functionId(module), {
      module,
      serviceName: `tix-${service}`,
      environment,
      bindings,
      // Only functions that use a store run in the VPC (the docs functions stay out).
      network: bindings.length > 0 ? stores.network : undefined,
    });
  }

  /** The resource of a path: below the deepest shared one, created here with the API's CORS preflight. */
  private resourceFor(path: string): IResource {
    const known = this.resources.get(path);
    if (known) return known;
    let resource: IResource;
    if (path === '/') {
      resource = this.api.root;
    } else {
      const shared = this.props.shared.find((s) => s.path === path);
      const cut = path.lastIndexOf('/');
      resource = shared
        ? Resource.fromResourceAttributes(this, `Shared${functionId(path)}`, { restApi: this.api, resourceId: shared.resourceId, path })
        : this.resourceFor(cut === 0 ? '/' : path.slice(0, cut)).addResource(path.slice(cut + 1), {
            defaultCorsPreflightOptions: this.props.cors,
          });
    }
    this.resources.set(path, resource);
    return resource;
  }
}
