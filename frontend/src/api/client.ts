import createClient, { type Client } from 'openapi-fetch';
import { session } from '../auth/session.ts';
import { ApiError, apiError, NETWORK_ERROR } from './errors.ts';
import type { paths } from './schema';

/**
 * The typed client of the API (types generated from gen/openapi.json: `npm run generate:client`).
 * Every call carries the session's token; a 401 on a call that carried one means the session was
 * revoked or expired: the session ends and the app asks to sign in again.
 */
export type Api = Client<paths>;

let client: Api = make('');

function make(baseUrl: string): Api {
  const c = createClient<paths>({ baseUrl: baseUrl || globalThis.location?.origin || '' });
  c.use({
    onRequest({ request }) {
      const token = session.get()?.token;
      if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('Authorization')) session.expire();
      return response;
    },
  });
  return c;
}

export const configureApi = (baseUrl: string) => {
  client = make(baseUrl);
};
export const api = () => client;

/** The data of a call's answer, or an ApiError with the API's `error` text. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(NETWORK_ERROR, 0, 'NETWORK');
  }
  if (!result.response.ok) throw apiError(result.response.status, result.error);
  return result.data as T;
}
