import http from 'node:http';
import https from 'node:https';
import { dependencyError } from './metrics.ts';

/**
 * Service-to-service HTTP (User service → event manager, IDM → User service, the service login):
 * one request with a text body and a text answer, over node:http(s) with keep-alive connections
 * kept for the container's life. Not fetch: its web streams, AbortSignal and DOMException machinery
 * made the undici fetch the largest single cost of a purchase in the local runtime's profile; for
 * the same reason the deadline is a plain timer, not an AbortSignal (aborting one builds a
 * DOMException with a stack trace, on every call).
 */
export interface HttpCall {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole call's deadline: past it the request is destroyed and the promise rejects with HttpTimeout. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export class HttpTimeout extends Error {
  override name = 'HttpTimeout';
}

export function httpCall(url: string, { method, headers = {}, body, timeoutMs }: HttpCall): Promise<HttpAnswer> {
  const target = new URL(url);
  const protocol = target.protocol as keyof typeof agents;
  if (!(protocol in agents)) return Promise.reject(new Error(`unsupported URL ${url}`));
  const transport = protocol === 'https:' ? https : http;
  const sized = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = transport.request(target, { method, headers: sized, agent: agents[protocol] }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text });
      });
      response.on('error', fail);
    });
    // Settles the promise at the deadline whatever the request does next (a later settle is a no-op).
    const timer = setTimeout(() => {
      dependencyError('service-call');
      const error = new HttpTimeout(`${method} ${target.pathname}: no answer within ${timeoutMs} ms`);
      reject(error);
      request.destroy(error);
    }, timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      dependencyError('service-call');
      reject(error);
    }
    request.on('error', fail);
    request.end(body);
  });
}

/** A transport error as a short text for logs: the message and, where there is one, the errno code. */
export const describeFailure = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !String(error).includes(code) ? `${String(error)} (${code})` : String(error);
};

/** An answer's body as a JSON object, or undefined when it is not one. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined; // a 204: not worth a SyntaxError (and its stack trace)
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
