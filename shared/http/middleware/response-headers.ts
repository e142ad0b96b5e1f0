import { corsHeaders, SECURITY_HEADERS } from '../../kernel/cors.ts';
import { correlationId } from '../../kernel/request-context.ts';
import { type ApiMiddleware, header } from './types.ts';

/** CORS, hardening and correlation headers on every response, errors included. */
export const responseHeaders = (): ApiMiddleware => {
  const apply: NonNullable<ApiMiddleware['after']> = (request) => {
    if (!request.response) return;
    request.response.headers = {
      ...SECURITY_HEADERS,
      ...request.response.headers,
      ...corsHeaders(header(request.event, 'origin')),
      'X-Correlation-Id': correlationId() ?? '',
    };
  };
  return { after: apply, onError: apply };
};
