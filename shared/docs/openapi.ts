import * as z from 'zod';
import type { EndpointSpec } from '../http/endpoint.ts';
import { ROUTES, type Route } from '../routes.ts';
import { RESPONSES } from './responses.ts';

/**
 * The OpenAPI 3.1 document, built from the route table and the schemas each handler validates
 * with (`endpoint()` attaches them to the handler). Nothing is described twice.
 */
type Spec = EndpointSpec<z.ZodType, z.ZodType, z.ZodType>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'code'],
  properties: {
    error: { type: 'string', description: 'human-readable message' },
    code: { type: 'string', description: 'machine-readable code, e.g. SOLD_OUT' },
    field: { type: 'string', description: 'the JSON field at fault, when one is' },
  },
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

/**
 * A response schema with its named parts (`.meta({ id })`) moved to `components.schemas`, so that
 * the document and the client generated from it name Event, Packet, User … once.
 */
function responseSchema(schema: z.ZodType, components: Record<string, unknown>) {
  const { $defs, $schema: _, ...rest } = JSON.parse(
    JSON.stringify(jsonSchema(schema, 'output')).replaceAll('"#/$defs/', '"#/components/schemas/'),
  ) as { $defs?: Record<string, unknown>; $schema?: string; id?: string };
  Object.assign(components, $defs);
  if (!rest.id) return rest;
  const { id, ...named } = rest;
  components[id] = named;
  return { $ref: `#/components/schemas/${id}` };
}

function parameters(route: Route, spec: Spec | undefined) {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: /id$/.test(m[1]!) ? { type: 'integer', minimum: 1 } : { type: 'string' },
  }));
  const query = spec?.query ? (jsonSchema(spec.query, 'output').properties as Record<string, unknown> | undefined) : undefined;
  const queryParams = Object.entries(query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
  const headers = spec?.headers ? (jsonSchema(spec.headers, 'input').properties as Record<string, Record<string, unknown>> | undefined) : undefined;
  const headerParams = Object.entries(headers ?? {}).map(([name, schema]) => ({
    name: name.replace(/(^|-)\w/g, (c) => c.toUpperCase()),
    in: 'header',
    required: false,
    ...(schema.description ? { description: schema.description } : {}),
    schema,
  }));
  return [...pathParams, ...queryParams, ...headerParams];
}

function operation(route: Route, spec: Spec | undefined, components: Record<string, unknown>) {
  const protectedRoute = route.access.kind !== 'public';
  const who = route.access.kind === 'roles' ? `Roles: ${route.access.roles.join(', ')}.` : route.access.kind === 'token' ? 'Any valid token.' : 'Public.';
  return {
    operationId: `${route.method.toLowerCase()}_${route.handler.replace(/\W+/g, '_')}`,
    summary: route.summary,
    description: `${who} Served by the Lambda function \`${route.handler}\`.`,
    tags: [route.service],
    ...(protectedRoute ? { security: [{ bearer: [] }] } : {}),
    parameters: parameters(route, spec),
    ...(spec?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    responses: {
      ...success(route, components),
      '4XX': { description: 'Client error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      '5XX': { description: 'Server fault', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

function success(route: Route, components: Record<string, unknown>) {
  const known = RESPONSES[route.handler];
  if (!known) return { '2XX': { description: 'Success' } };
  return { [known.status]: { description: 'Success', content: { 'application/json': { schema: responseSchema(known.body, components) } } } };
}

export async function buildOpenApi(specOf: (handler: string) => Promise<Spec | undefined>) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  for (const route of ROUTES) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, await specOf(route.handler), schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tix — serverless event ticketing',
      version: '1.0.0',
      description: 'Identity (IDM), event manager and user manager. Every error body is {"error","code","field"?}.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'idm', description: 'Identity: register, login, tokens' },
      { name: 'events', description: 'Events, packets, inclusions, tickets' },
      { name: 'users', description: 'Profiles, purchases, customers' },
      { name: 'audit', description: 'The audit trail (admin)' },
      { name: 'docs', description: 'This documentation' },
    ],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths,
  };
}
