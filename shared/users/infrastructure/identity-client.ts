import { AppError, serviceUnavailable } from '../../kernel/errors.ts';
import { describeFailure, httpCall, jsonObject } from '../../kernel/http-call.ts';
import { onBehalfHeaders } from '../../kernel/audit-context.ts';
import { correlationId, log } from '../../kernel/request-context.ts';
import { pathOf } from '../../routes.ts';
import type { IdentityClient, ServiceTokenProvider } from '../application/ports.ts';

const upstreamUnavailable = () => serviceUnavailable('identity service unavailable, try again later', 'UPSTREAM_UNAVAILABLE');

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * The IDM's public REST API, as deleting an account uses it: delete an identity (as the service
 * account; a 401 renews the token once) and revoke a token. Both are idempotent, so the saga's
 * retry may repeat them. A transport error or 5xx → 503 UPSTREAM_UNAVAILABLE.
 */
export class HttpIdentityClient implements IdentityClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: ServiceTokenProvider,
    private readonly timeoutMs = 3_000,
  ) {}

  async deleteIdentity(id: number): Promise<'deleted' | 'absent'> {
    const path = pathOf('idm/delete-identity', { id });
    let token = await this.tokens.token();
    let answer = await this.send('DELETE', path, token);
    if (answer.status === 401) {
      this.tokens.invalidate(token);
      token = await this.tokens.token();
      answer = await this.send('DELETE', path, token);
    }
    if (answer.status === 200) return 'deleted';
    if (answer.status === 404) return 'absent';
    if (answer.status === 409) {
      throw new AppError(409, String(answer.body?.code ?? 'CONFLICT'), String(answer.body?.error ?? 'the identity cannot be deleted'));
    }
    throw this.unexpected(`DELETE ${path}`, answer);
  }

  async revokeToken(token: string): Promise<void> {
    const path = pathOf('idm/revoke');
    const answer = await this.send('POST', path, undefined, { token });
    // 401: not a token the IDM issued, so there is nothing to revoke (cannot happen for a caller's token).
    if (answer.status !== 200 && answer.status !== 401) throw this.unexpected(`POST ${path}`, answer);
  }

  private async send(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const id = correlationId();
    if (id) headers['X-Correlation-Id'] = id;
    Object.assign(headers, onBehalfHeaders()); // whom the service account acts for, for the IDM's audit trail
    try {
      const response = await httpCall(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: this.timeoutMs });
      return { status: response.status, body: jsonObject(response.text) };
    } catch (error) {
      log().warn('identity service unavailable', { call: `${method} ${path}`, error: describeFailure(error) });
      throw upstreamUnavailable();
    }
  }

  private unexpected(call: string, answer: Answer) {
    log().error('unexpected answer from the identity service', { call, status: answer.status, error: answer.body?.error });
    return upstreamUnavailable();
  }
}
