import { endpoint, ok } from '#shared/http/endpoint';
import { httpConfig } from '#shared/kernel/config';
import document from '../../gen/openapi.json' with { type: 'json' };

/** The OpenAPI 3.1 document (generated from the route table and schemas: npm run generate). */
export const handler = endpoint({}, async () => ok({ ...document, servers: [{ url: httpConfig().publicBaseUrl }] }));
